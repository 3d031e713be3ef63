package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/labelcheck/labelcheck/registry"
)

const header = "certificate_no,status,holder,manufacturer,factory,product_name,models,issue_date,expiry_date\n"

// writeRegistry writes a registry of n certificates, every seventh revoked
// and without dates, every fifth with one model, after bad rows at lines
// 2 and 3.
func writeRegistry(tb testing.TB, dir string, n int) string {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("12345,valid,,,,,,,\n")            // line 2: not 16 digits
	b.WriteString("2021012401999999,maybe,,,,,,,\n") // line 3: unknown status
	for i := range n {
		switch {
		case i%7 == 0:
			fmt.Fprintf(&b, "2021%012d,撤销,持证人%d,制造商%d有限公司,,家用燃气灶,JZT-%dA、JZT-%dB,,\n", i, i, i, i, i)
		case i%5 == 0:
			fmt.Fprintf(&b, "2021%012d,valid,持证人%d,制造商%d有限公司,工厂%d,燃气热水器,JSQ%d,2021-03-01,2026-02-28\n", i, i, i, i, i)
		default:
			fmt.Fprintf(&b, "2021%012d,有效,持证人%d,\"制造商%d有限公司, 佛山\",工厂%d,家用燃气灶,JZT-%dA;JZT-%dB,2021-03-01,2026-02-28\n", i, i, i, i, i, i)
		}
	}
	path := filepath.Join(dir, "registry.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func openStore(tb testing.TB) *Store {
	s, err := Open(filepath.Join(tb.TempDir(), "sub", "store.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Every certificate comes out of the store as it went in, and the store's
// registry says what the CSV's says.
func TestImportedRegistryReadsAsTheFile(t *testing.T) {
	s := openStore(t)
	path := writeRegistry(t, t.TempDir(), 300)
	want, err := registry.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.RegistryFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	if got.Reused || got.Len() != want.Len() || got.Source != path || !reflect.DeepEqual(got.Problems, want.Problems) {
		t.Fatalf("reused %v, %d certificates (want %d), source %q, problems %v (want %v)",
			got.Reused, got.Len(), want.Len(), got.Source, got.Problems, want.Problems)
	}
	for rec := range want.All() {
		have, ok, err := got.Certificate(rec.CertificateNo)
		if err != nil || !ok {
			t.Fatalf("%s: %v, found %v", rec.CertificateNo, err, ok)
		}
		if !reflect.DeepEqual(have, rec) {
			t.Fatalf("%s:\n got %+v\nwant %+v", rec.CertificateNo, have, rec)
		}
	}
	if _, ok, err := got.Certificate("2021 0000 0000 0007"); !ok || err != nil {
		t.Errorf("a spaced number: found %v, %v", ok, err)
	}
	if _, ok, err := got.Certificate("2099000000000000"); ok || err != nil {
		t.Errorf("a number not registered: found %v, %v", ok, err)
	}
}

// A file imported once is looked up where it is the next time, in another
// process too (a store opened again); a file changed is imported again.
func TestRegistryFileIsImportedOnce(t *testing.T) {
	dir := t.TempDir()
	storePath := filepath.Join(dir, "store.db")
	path := writeRegistry(t, dir, 50)
	ctx := context.Background()
	s, err := Open(storePath)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.RegistryFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	s.Close()

	s, err = Open(storePath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	again, err := s.RegistryFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if !again.Reused || again.Len() != first.Len() || len(again.Problems) != 2 || again.Problems[1].Line != 3 ||
		!again.LoadedAt.Equal(first.LoadedAt) {
		t.Errorf("again: reused %v, %d certificates, problems %v, loaded %v (first %v)",
			again.Reused, again.Len(), again.Problems, again.LoadedAt, first.LoadedAt)
	}
	if rec, ok, err := again.Certificate("2021000000000007"); err != nil || !ok || rec.Status != registry.Revoked {
		t.Errorf("certificate 7: %+v %v %v", rec, ok, err)
	}

	// The file edited: one more certificate, and it is read again.
	if err := os.WriteFile(path, append(must(os.ReadFile(path)), "2021012401777777,valid,,,,,,,\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edited, err := s.RegistryFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer edited.Close()
	if edited.Reused || edited.Len() != first.Len()+1 {
		t.Errorf("edited: reused %v, %d certificates", edited.Reused, edited.Len())
	}
	if _, ok, _ := edited.Certificate("2021012401777777"); !ok {
		t.Error("the added certificate is not found")
	}
	// The old registry is still there for a run that uses it.
	if _, ok, _ := again.Certificate("2021012401777777"); ok {
		t.Error("the old registry holds the certificate added to the file")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A file that is no registry is an error naming it; nothing is imported.
func TestRegistryFileRefusesAnUnusableFile(t *testing.T) {
	s := openStore(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("holder,models\n美厨,JZT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(dir, "missing.csv")} {
		if _, err := s.RegistryFile(context.Background(), path); err == nil || !strings.Contains(err.Error(), filepath.Base(path)) {
			t.Errorf("%s: %v", path, err)
		}
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM registries").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d registries in the store (%v)", n, err)
	}
}

// A file that is not a store, or a store of another layout, is refused with
// a message, not misread.
func TestOpenRefusesWhatIsNoStore(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(junk); err == nil {
		s.Close()
		t.Error("a file of text opened as a store")
	}
	future := filepath.Join(dir, "future.db")
	s, err := Open(future)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(future); err == nil || !strings.Contains(err.Error(), "version 99") {
		if err == nil {
			s.Close()
		}
		t.Errorf("a store of layout 99: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "a?b.db")); err == nil {
		t.Error("a path with ? opened")
	}
}

// Look-ups from many goroutines at once, as the inspector's jobs make them.
func TestCertificateConcurrently(t *testing.T) {
	s := openStore(t)
	r, err := s.RegistryFile(context.Background(), writeRegistry(t, t.TempDir(), 200))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := g; i < 200; i += 8 {
				no := fmt.Sprintf("2021%012d", i)
				rec, ok, err := r.Certificate(no)
				if err != nil || !ok || rec.CertificateNo != no {
					errs <- fmt.Errorf("%s: %v %v %v", no, rec, ok, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// BenchmarkImport100k reads a CSV of 100,000 certificates and imports it
// into a new store.
func BenchmarkImport100k(b *testing.B) {
	path := writeRegistry(b, b.TempDir(), 100_000)
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "store.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r, err := s.RegistryFile(context.Background(), path)
		if err != nil || r.Len() != 100_000 {
			b.Fatalf("%v", err)
		}
		b.StopTimer()
		r.Close()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkReuse100k opens the registry of a file the store holds.
func BenchmarkReuse100k(b *testing.B) {
	s := openStore(b)
	path := writeRegistry(b, b.TempDir(), 100_000)
	if _, err := s.RegistryFile(context.Background(), path); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := s.RegistryFile(context.Background(), path)
		if err != nil || !r.Reused {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkCertificate looks numbers up in a stored registry of 100,000.
func BenchmarkCertificate(b *testing.B) {
	s := openStore(b)
	r, err := s.RegistryFile(context.Background(), writeRegistry(b, b.TempDir(), 100_000))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	i := 0
	for b.Loop() {
		if _, ok, err := r.Certificate(fmt.Sprintf("2021%012d", i%100_000)); !ok || err != nil {
			b.Fatal("not found", err)
		}
		i++
	}
}

// Two runs importing the same new file at once, each with its own
// connection: both end with the whole registry, one imported, one reusing
// it, and neither loses its certificates to the other's import.
func TestImportsAtOnce(t *testing.T) {
	dir := t.TempDir()
	path := writeRegistry(t, dir, 2000)
	storePath := filepath.Join(dir, "store.db")
	var wg sync.WaitGroup
	regs := make([]*Registry, 4)
	errs := make([]error, 4)
	for i := range regs {
		wg.Go(func() {
			s, err := Open(storePath)
			if err != nil {
				errs[i] = err
				return
			}
			t.Cleanup(func() { s.Close() })
			regs[i], errs[i] = s.RegistryFile(context.Background(), path)
		})
	}
	wg.Wait()
	imported := 0
	for i, r := range regs {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if !r.Reused {
			imported++
		}
	}
	if imported != 1 {
		t.Errorf("%d runs imported the file, want 1", imported)
	}
	for i, r := range regs {
		for _, n := range []int{0, 999, 1999} {
			if _, ok, err := r.Certificate(fmt.Sprintf("2021%012d", n)); !ok || err != nil {
				t.Errorf("run %d: certificate %d not found (%v)", i, n, err)
			}
		}
		r.Close()
	}
}
