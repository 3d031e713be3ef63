// Package store is labelcheck's embedded storage: one SQLite file
// (modernc.org/sqlite, no server, no cgo) that holds what outlives a run.
// It holds the certificate registries imported from CSV (CONTRACT.md 1.3),
// each once: a registry file already imported, known by its SHA-256, is
// looked up where it is instead of being read again.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/labelcheck/labelcheck/registry"
)

// schemaVersion is the layout of the tables below, kept in SQLite's
// user_version; a store of another version is refused, not misread.
const schemaVersion = 1

const schema = `
CREATE TABLE IF NOT EXISTS registries (
	id           INTEGER PRIMARY KEY,
	sha256       TEXT    NOT NULL UNIQUE,
	source       TEXT    NOT NULL,
	loaded_at    TEXT    NOT NULL,
	used_at      TEXT    NOT NULL,
	certificates INTEGER NOT NULL,
	problems     TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS certificates (
	registry     INTEGER NOT NULL REFERENCES registries(id) ON DELETE CASCADE,
	number       TEXT    NOT NULL,
	line         INTEGER NOT NULL,
	status       TEXT    NOT NULL,
	holder       TEXT    NOT NULL,
	manufacturer TEXT    NOT NULL,
	factory      TEXT    NOT NULL,
	product_name TEXT    NOT NULL,
	models       TEXT    NOT NULL,
	issue_date   TEXT    NOT NULL,
	expiry_date  TEXT    NOT NULL,
	PRIMARY KEY (registry, number)
) WITHOUT ROWID;
`

// keepUnused is how long a registry no run has used stays in the store.
const keepUnused = 30 * 24 * time.Hour

// dateLayout is how dates are kept: the registry CSV's own form.
const dateLayout = "2006-01-02"

// Store is an open store. It is safe for concurrent use, and several
// processes may share one file (SQLite's locking, a 10 s busy wait).
type Store struct {
	db   *sql.DB
	path string
}

// DefaultPath is where the store lives unless told otherwise: in the
// user's cache directory ($XDG_CACHE_HOME, ~/.cache), since all it holds
// can be imported again.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("store: no cache directory to keep it in (%w); name a file with --store", err)
	}
	return filepath.Join(dir, "labelcheck", "store.db"), nil
}

// Open opens the store at path, creating it and its directory if need be.
func Open(path string) (*Store, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store %s: a path with ? or # cannot be opened as a SQLite URI", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// Transactions take the write lock when they begin (_txlock): two runs
	// importing at once queue instead of one failing on a lock upgrade.
	q := url.Values{"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"},
		"_txlock": {"immediate"}}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	// Runs opening a new store at once contend for it while one sets WAL
	// mode and makes the tables, which SQLite answers with "busy" rather
	// than waiting: such a start is tried again, for up to busyWait.
	err = s.migrate()
	for deadline := time.Now().Add(busyWait); busy(err) && time.Now().Before(deadline); err = s.migrate() {
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return s, nil
}

// busyWait is how long Open waits for other runs starting on the store.
const busyWait = 10 * time.Second

// busy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED.
func busy(err error) bool {
	var coded interface{ Code() int }
	if !errors.As(err, &coded) {
		return false
	}
	code := coded.Code() & 0xff // the primary code of an extended one
	return code == 5 || code == 6
}

// migrate makes the tables of a new store and checks an old one's version.
func (s *Store) migrate() error {
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		if busy(err) {
			return err
		}
		return fmt.Errorf("not a SQLite database? %w", err)
	}
	switch v {
	case schemaVersion:
		return nil
	case 0:
		// In one transaction (immediate: _txlock), so that of two runs
		// making a new store, the second finds the tables made.
		tx, err := s.db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := tx.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v == schemaVersion {
			return err
		}
		if _, err := tx.Exec(schema + fmt.Sprintf("PRAGMA user_version = %d;", schemaVersion)); err != nil {
			return fmt.Errorf("creating the tables: %w", err)
		}
		return tx.Commit()
	}
	return fmt.Errorf("store layout version %d, this labelcheck knows %d: use another --store file", v, schemaVersion)
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Registry is a certificate registry held in the store. It implements
// registry.Certificates; look-ups go to SQLite through one prepared
// statement.
type Registry struct {
	// Source is the file it was imported from, SHA256 that file's digest.
	Source, SHA256 string
	// LoadedAt is when it was imported.
	LoadedAt time.Time
	// Problems are the rows skipped at import, with why.
	Problems []registry.Problem
	// Reused says that it was in the store already: the file was not read
	// again.
	Reused bool
	id     int64
	n      int
	lookup *sql.Stmt
}

// Len is the number of certificates held.
func (r *Registry) Len() int { return r.n }

// Certificate looks a certificate number up.
func (r *Registry) Certificate(no string) (*registry.Record, bool, error) {
	rec := &registry.Record{CertificateNo: registry.Number(no)}
	var models, issued, expires string
	err := r.lookup.QueryRow(r.id, rec.CertificateNo).Scan(&rec.Line, &rec.Status, &rec.Holder,
		&rec.Manufacturer, &rec.Factory, &rec.ProductName, &models, &issued, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if err := json.Unmarshal([]byte(models), &rec.Models); err != nil {
		return nil, false, fmt.Errorf("certificate %s: models %q: %w", rec.CertificateNo, models, err)
	}
	for _, d := range []struct {
		text string
		to   *time.Time
	}{{issued, &rec.IssueDate}, {expires, &rec.ExpiryDate}} {
		if d.text == "" {
			continue
		}
		if *d.to, err = time.Parse(dateLayout, d.text); err != nil {
			return nil, false, fmt.Errorf("certificate %s: %w", rec.CertificateNo, err)
		}
	}
	return rec, true, nil
}

// Close releases the registry's prepared statement.
func (r *Registry) Close() error { return r.lookup.Close() }

// RegistryFile returns the registry in the CSV file at path: the one the
// store holds when it holds a file of the same SHA-256, else the file read
// (registry.Load) and imported. A file that cannot be read at all is an
// error; bad rows are the registry's Problems, as registry.Load reports
// them.
func (s *Store) RegistryFile(ctx context.Context, path string) (*Registry, error) {
	sum, err := fileSHA256(path)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	r, err := s.registry(ctx, sum)
	if err != nil {
		return nil, err
	}
	if r != nil {
		r.Reused = true
		return r, nil
	}
	reg, err := registry.LoadFile(path)
	if err != nil {
		return nil, err
	}
	return s.Import(ctx, reg, path, sum)
}

// fileSHA256 is the hex SHA-256 of a file's bytes.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// registry opens the registry of digest sum, or returns nil when the store
// has none, and marks it used now.
func (s *Store) registry(ctx context.Context, sum string) (*Registry, error) {
	r := &Registry{SHA256: sum}
	var loaded, problems string
	err := s.db.QueryRowContext(ctx, `UPDATE registries SET used_at = ? WHERE sha256 = ?
		RETURNING id, source, loaded_at, certificates, problems`, now(), sum).Scan(&r.id, &r.Source, &loaded, &r.n, &problems)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if r.LoadedAt, err = time.Parse(time.RFC3339, loaded); err != nil {
		return nil, fmt.Errorf("store: registry %s: loaded_at %q: %w", sum, loaded, err)
	}
	if err := json.Unmarshal([]byte(problems), &r.Problems); err != nil {
		return nil, fmt.Errorf("store: registry %s: problems: %w", sum, err)
	}
	if err := s.prepare(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Store) prepare(ctx context.Context, r *Registry) error {
	stmt, err := s.db.PrepareContext(ctx, `SELECT line, status, holder, manufacturer, factory, product_name, models,
		issue_date, expiry_date FROM certificates WHERE registry = ? AND number = ?`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	r.lookup = stmt
	return nil
}

// Import puts a registry read from CSV into the store in one transaction,
// as the registry of digest sum from source. When the store holds that
// digest already — another run imported the same file meanwhile — that one
// is returned (Reused) and reg is not written: a run looking certificates
// up in it keeps finding them. Registries no run has used for 30 days are
// dropped.
func (s *Store) Import(ctx context.Context, reg *registry.Registry, source, sum string) (*Registry, error) {
	problems, err := json.Marshal(reg.Problems)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer tx.Rollback()
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM registries WHERE sha256 = ?`, sum).Scan(&held); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if held > 0 {
		tx.Rollback()
		r, err := s.registry(ctx, sum)
		if err == nil && r != nil {
			r.Reused = true
		}
		return r, err
	}
	at := now()
	if _, err := tx.ExecContext(ctx, `DELETE FROM registries WHERE used_at < ?`,
		time.Now().Add(-keepUnused).UTC().Format(time.RFC3339)); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	r := &Registry{Source: source, SHA256: sum, Problems: reg.Problems, n: reg.Len()}
	if err := tx.QueryRowContext(ctx, `INSERT INTO registries (sha256, source, loaded_at, used_at, certificates, problems)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, sum, source, at, at, reg.Len(), string(problems)).Scan(&r.id); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO certificates (registry, number, line, status, holder, manufacturer,
		factory, product_name, models, issue_date, expiry_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer ins.Close()
	for rec := range reg.All() {
		models, err := json.Marshal(rec.Models)
		if err != nil {
			return nil, err
		}
		if _, err := ins.ExecContext(ctx, r.id, rec.CertificateNo, rec.Line, rec.Status, rec.Holder, rec.Manufacturer,
			rec.Factory, rec.ProductName, string(models), date(rec.IssueDate), date(rec.ExpiryDate)); err != nil {
			return nil, fmt.Errorf("store: certificate %s (line %d): %w", rec.CertificateNo, rec.Line, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	r.LoadedAt, _ = time.Parse(time.RFC3339, at)
	if err := s.prepare(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// date is a record's date as kept: empty for none.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}
