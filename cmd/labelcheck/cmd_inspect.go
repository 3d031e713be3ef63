package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/labelcheck/labelcheck/annotate"
	"github.com/labelcheck/labelcheck/cases"
	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/inspector"
	"github.com/labelcheck/labelcheck/registry"
	"github.com/labelcheck/labelcheck/report"
	"github.com/labelcheck/labelcheck/store"
	"github.com/labelcheck/labelcheck/vision"
)

func inspectCommand() *cli.Command {
	def := inspector.DefaultConfig()
	return &cli.Command{
		Name:      "inspect",
		Usage:     "inspect cases on disk",
		ArgsUsage: "DIR|ZIP...",
		Description: "Each DIR is one case (it holds listing.json/listing.txt or images) or a folder of case folders;\n" +
			"a .zip of either works the same.\n\n" +
			"Exit status: 0 no case reached the --fail-on verdict; 1 at least one did (a case that could not be\n" +
			"inspected counts as fail); 2 usage error or failure of the tool itself.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Usage: "text, json, jsonl, csv or html (default: text on a terminal, jsonl otherwise)", EnvVars: []string{"LABELCHECK_FORMAT"}},
			&cli.StringFlag{Name: "out", Usage: "write the report to `PATH` instead of stdout", EnvVars: []string{"LABELCHECK_OUT"}},
			&cli.StringFlag{Name: "category", Usage: "judge every case as `C` (gas_stove, gas_water_heater, ebike, toy, generic)", EnvVars: []string{"LABELCHECK_CATEGORY"}},
			&cli.StringFlag{Name: "registry", Usage: "look the CCC certificate numbers up in the registry `FILE` (CSV: certificate_no, status, holder, manufacturer, factory, product_name, models, issue_date, expiry_date)", EnvVars: []string{"LABELCHECK_REGISTRY"}},
			&cli.StringFlag{Name: "store", Usage: "keep imported registries in the SQLite file `PATH` (default: labelcheck/store.db in the user's cache directory)", EnvVars: []string{"LABELCHECK_STORE"}},
			&cli.IntFlag{Name: "jobs", Value: def.Jobs, Usage: "images worked on at once", EnvVars: []string{"LABELCHECK_JOBS"}},
			&cli.StringFlag{Name: "annotate", Usage: "write each image with the lines read, the evidence, marks and codes drawn into `DIR`/<case>/", EnvVars: []string{"LABELCHECK_ANNOTATE"}},
			&cli.StringFlag{Name: "engine", Value: def.OCR.Engine, Usage: "recogniser: tesseract, paddle (PP-OCRv4), or auto (Tesseract, then PP-OCR for the lines Tesseract is unsure of or whose field is misformed)", EnvVars: []string{"LABELCHECK_ENGINE"}},
			&cli.Float64Flag{Name: "paddle-below", Value: def.OCR.SecondBelow, Usage: "under --engine auto, a line Tesseract reads at a confidence below `F` is read by PP-OCR too (1 reads every line with both, 0 only lines whose field is misformed)", EnvVars: []string{"LABELCHECK_PADDLE_BELOW"}},
			&cli.StringFlag{Name: "detector", Value: def.Vision.Detector, Usage: "text-line detector: " + strings.Join(vision.Detectors, " or "), EnvVars: []string{"LABELCHECK_DETECTOR"}},
			&cli.StringSliceFlag{Name: "disable", Usage: "switch off preprocessing `STEP`s, to measure what each gains: " + strings.Join(vision.StepNames(), ", "), EnvVars: []string{"LABELCHECK_DISABLE"}},
			&cli.StringFlag{Name: "fail-on", Value: "fail", Usage: "exit 1 when a case reaches this verdict: fail or review", EnvVars: []string{"LABELCHECK_FAIL_ON"}},
			&cli.BoolFlag{Name: "quiet", Usage: "no progress bar and no notes on stderr, only warnings and errors", EnvVars: []string{"LABELCHECK_QUIET"}},
		},
		Action: runInspect,
	}
}

func runInspect(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef("inspect needs at least one DIR or ZIP")
	}
	cfg := inspector.DefaultConfig()
	cfg.Jobs = c.Int("jobs")
	if cfg.Jobs < 1 {
		return usagef("--jobs must be at least 1")
	}
	if s := c.String("category"); s != "" {
		cat, err := inspection.ParseCategory(s)
		if err != nil {
			return usageError{err}
		}
		cfg.Category = cat
	}
	if path := c.String("registry"); path != "" {
		reg, done, err := openRegistry(c, path)
		if err != nil {
			return err
		}
		defer done()
		cfg.Registry = reg
	}
	cfg.Vision.Detector = c.String("detector")
	cfg.OCR.Engine = c.String("engine")
	cfg.OCR.SecondBelow = c.Float64("paddle-below")
	if err := cfg.OCR.Validate(); err != nil {
		return usageError{err}
	}
	for _, name := range c.StringSlice("disable") {
		if err := cfg.Vision.Disable(name); err != nil {
			return usageError{err}
		}
	}
	var failOn inspection.Verdict
	switch v := c.String("fail-on"); v {
	case "fail", "review":
		failOn = inspection.Verdict(v)
	default:
		return usagef("--fail-on %q: want fail or review", v)
	}
	format := c.String("format")
	if format == "" {
		format = "jsonl"
		if c.String("out") == "" && isTerminal(os.Stdout) {
			format = "text"
		}
	}

	var all []cases.Case
	for _, arg := range c.Args().Slice() {
		src, err := cases.Open(arg)
		if err != nil {
			return usageError{err}
		}
		defer src.Close()
		all = append(all, src.Cases...)
	}
	if len(all) == 0 {
		return usagef("no cases found in %s", strings.Join(c.Args().Slice(), " "))
	}

	out, commit, err := output(c.String("out"))
	if err != nil {
		return err
	}
	// Reports come in the order of the cases: all[next] is r's case.
	next := 0
	opts := report.Options{
		Color: c.String("out") == "" && isTerminal(os.Stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb",
		Picture: func(r *inspection.Report, name string) (*report.Picture, error) {
			return picture(all[next], name, cfg.Vision.Limits)
		},
	}
	w, err := report.New(format, out, opts)
	if err != nil {
		out.Close()
		return usageError{err}
	}
	ins, err := inspector.New(cfg)
	if err != nil {
		out.Close()
		return err
	}
	defer ins.Close()

	var bar *progress
	if !c.Bool("quiet") && isTerminal(os.Stderr) {
		bar = startProgress(os.Stderr, len(all))
	}
	annotateDir := c.String("annotate")
	reached := false
	err = ins.Batch(c.Context, all, func(r *inspection.Report) error {
		reached = reached || r.Verdict.Rank() >= failOn.Rank()
		if annotateDir != "" {
			if err := annotate.Case(annotateDir, all[next], r, cfg.Vision.Limits); err != nil {
				bar.logf(os.Stderr, "labelcheck: %v\n", err)
			}
		}
		err := w.Write(r)
		next++
		bar.add(r)
		return err
	})
	bar.finish()
	if err == nil {
		err = w.Close()
	}
	if err = commit(err); err != nil {
		return err
	}
	if reached {
		return errFound
	}
	return nil
}

// openRegistry opens the registry in the CSV file path for a run: from the
// store, which imports the file the first time it sees it (store.Store.
// RegistryFile). When the default store cannot be opened (no cache
// directory, a read-only home), the file is read into memory for this run,
// with a warning; a --store named that cannot be opened is an error. done
// releases the registry and the store.
func openRegistry(c *cli.Context, path string) (reg registry.Certificates, done func(), err error) {
	storePath, named := c.String("store"), c.String("store") != ""
	if !named {
		storePath, err = store.DefaultPath()
	}
	var st *store.Store
	if err == nil {
		st, err = store.Open(storePath)
	}
	if err != nil {
		if named {
			return nil, nil, usageError{err}
		}
		fmt.Fprintf(os.Stderr, "labelcheck: %v; the registry is read into memory for this run\n", err)
		mem, err := registry.LoadFile(path)
		if err != nil {
			return nil, nil, usageError{err}
		}
		reportRegistry(c, path, mem.Problems, mem.Len(), "loaded")
		return mem, func() {}, nil
	}
	held, err := st.RegistryFile(c.Context, path)
	if err != nil {
		st.Close()
		return nil, nil, usageError{err}
	}
	how := "imported into " + st.Path()
	if held.Reused {
		how = fmt.Sprintf("as imported into %s on %s", st.Path(), held.LoadedAt.Local().Format("2006-01-02 15:04"))
	}
	reportRegistry(c, path, held.Problems, held.Len(), how)
	return held, func() { held.Close(); st.Close() }, nil
}

// reportRegistry tells stderr what was made of a registry file: the rows
// skipped, and unless --quiet, the total.
func reportRegistry(c *cli.Context, path string, problems []registry.Problem, n int, how string) {
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "labelcheck: registry %s: %s, skipped\n", path, p)
	}
	if c.Bool("quiet") {
		return
	}
	fmt.Fprintf(os.Stderr, "labelcheck: registry %s: %d certificates, %d rows skipped, %s\n", path, n, len(problems), how)
}

// previewSide is the longer side of the photos the HTML report embeds:
// enough to see a label's lines and the boxes on them, small enough for a
// batch of hundreds of cases in one file.
const previewSide = 720

// picture is image name of case c as the HTML report embeds it.
func picture(c cases.Case, name string, lim vision.Limits) (*report.Picture, error) {
	for _, im := range c.Images {
		if im.Name != name {
			continue
		}
		data, err := im.Read(lim.MaxBytes)
		if err != nil {
			return nil, err
		}
		jpeg, err := annotate.Preview(data, lim, previewSide)
		if err != nil {
			return nil, err
		}
		return &report.Picture{JPEG: jpeg}, nil
	}
	return nil, fmt.Errorf("no image %s in case %s", name, c.Name)
}

// output opens the report destination. With a path, the report goes to a
// temporary file beside it that commit renames into place, so a failed run
// never leaves half a report.
func output(path string) (io.WriteCloser, func(error) error, error) {
	if path == "" {
		return nopCloser{os.Stdout}, func(err error) error { return err }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, nil, err
	}
	// A report is for others to read too, as a file os.Create makes would be.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, nil, err
	}
	commit := func(err error) error {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			os.Remove(f.Name())
		}
		return err
	}
	return f, commit, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
