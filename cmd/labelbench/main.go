// Command labelbench is labelcheck's accuracy and speed scoreboard. It
// generates a benchmark set (the same cases at the clean, phone and hard
// levels), runs `labelcheck inspect` on each level and the plain tesseract
// CLI on the same images side by side, scores both against the truth and
// writes bench/RESULTS.md and bench/results.json.
//
//	go run ./cmd/labelbench                 # 300 cases, all levels, with the baseline
//	go run ./cmd/labelbench -cases 30       # a quick look
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/internal/bench"
	"github.com/labelcheck/labelcheck/internal/labelgen"
)

type options struct {
	cases    int
	seed     uint64
	levels   string
	work     string
	results  string
	jobs     int
	baseline bool
	reuse    bool
	args     string
	bin      string
	mix      float64
	mixN     int
}

func main() {
	var o options
	flag.IntVar(&o.cases, "cases", 300, "cases per level")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the generated set")
	flag.StringVar(&o.levels, "levels", "clean,phone,hard", "difficulty levels, comma-separated")
	flag.StringVar(&o.work, "work", "bench/out", "folder for the generated sets, the binary and the raw reports")
	flag.StringVar(&o.results, "results", "bench", "folder for RESULTS.md and results.json")
	flag.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "parallel jobs for generation, labelcheck and the baseline")
	flag.BoolVar(&o.baseline, "baseline", true, "also run the plain tesseract CLI on the same images")
	flag.BoolVar(&o.reuse, "reuse", false, "reuse a set already generated with the same -cases and -seed")
	flag.StringVar(&o.args, "args", "", "extra arguments for labelcheck inspect, space-separated (ablations: \"--disable focus\", \"--detector db\")")
	flag.StringVar(&o.bin, "bin", "", "run this labelcheck binary instead of building the working tree")
	flag.Float64Var(&o.mix, "mix", 0, "instead of the scoreboard, measure images/s against the CLI on -mix-images images of the (first) level, this share of them product photos (0.7: a platform's stream); writes MIX.md")
	flag.IntVar(&o.mixN, "mix-images", 200, "images in the -mix set")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "labelbench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	os.Setenv("OMP_THREAD_LIMIT", "1")
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	bin, err := filepath.Abs(filepath.Join(o.work, "labelcheck"))
	if err != nil {
		return err
	}
	if o.bin != "" {
		bin = o.bin
	} else if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, "./cmd/labelcheck").CombinedOutput(); err != nil {
		return fmt.Errorf("build labelcheck: %v\n%s", err, out)
	}
	board := &bench.Board{Commit: commit(), Date: time.Now().UTC().Format("2006-01-02 15:04 MST"),
		Machine: fmt.Sprintf("%d CPUs, %d jobs", runtime.NumCPU(), o.jobs), Cases: o.cases, Seed: o.seed,
		Command: fmt.Sprintf("go run ./cmd/labelbench -cases %d -seed %d -levels %s -jobs %d", o.cases, o.seed, o.levels, o.jobs)}
	if o.args != "" {
		board.Command += fmt.Sprintf(" -args %q", o.args)
	}
	set := labelgen.Synthesize(o.cases, o.seed)
	if o.mix > 0 {
		dir, err := generateLevel(strings.Split(o.levels, ",")[0], set, o)
		if err != nil {
			return err
		}
		return mixed(dir, bin, o.mix, o.mixN, o)
	}
	for _, name := range strings.Split(o.levels, ",") {
		dir, err := generateLevel(name, set, o)
		if err != nil {
			return err
		}
		level, err := measure(dir, bin, o)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		level.Level = name
		board.Levels = append(board.Levels, level)
		fmt.Fprintf(os.Stderr, "%s: finding F1 %.3f, verdict accuracy %.3f, field recall %.3f (tesseract %.3f), %.2f images/s\n",
			name, level.All.Findings.F1(), level.All.VerdictAccuracy(), level.FieldRecall, level.BaselineFieldRecall, level.Speed.ImagesPerSec)
	}
	if err := os.MkdirAll(o.results, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(board, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.results, "results.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(o.results, "RESULTS.md"), []byte(board.Markdown()), 0o644)
}

// generateLevel writes the set at the level called name into the work
// folder and returns where.
func generateLevel(name string, set labelgen.Set, o options) (string, error) {
	d, ok := labelgen.Levels[name]
	if !ok {
		return "", fmt.Errorf("unknown level %q", name)
	}
	dir := filepath.Join(o.work, name)
	return dir, generate(dir, set, d, o)
}

// generate writes the set at level d into dir, one case per job.
func generate(dir string, set labelgen.Set, d labelgen.Distortion, o options) error {
	marker := filepath.Join(dir, ".generated")
	want := fmt.Sprintf("cases=%d seed=%d level=%s\n", o.cases, o.seed, d.Name)
	if o.reuse {
		if got, err := os.ReadFile(marker); err == nil && string(got) == want {
			return nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	start := time.Now()
	var g errgroup.Group
	g.SetLimit(o.jobs)
	for _, c := range set.Cases {
		g.Go(func() error { return labelgen.WriteCase(dir, c, d, o.seed) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := labelgen.WriteRegistry(filepath.Join(dir, "registry.csv"), set.Registry); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: generated %d cases in %.1f s\n", d.Name, len(set.Cases), time.Since(start).Seconds())
	return os.WriteFile(marker, []byte(want), 0o644)
}

// measure runs labelcheck and the baseline on one level and scores them.
func measure(dir, bin string, o options) (*bench.Level, error) {
	args := []string{"inspect", "--format", "jsonl", "--jobs", fmt.Sprint(o.jobs)}
	if reg := filepath.Join(dir, "registry.csv"); fileExists(reg) {
		args = append(args, "--registry", reg) // the truth expects its checks
	}
	args = append(args, strings.Fields(o.args)...)
	cmd, rss := measured(dir+".rss", bin, append(args, dir)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
		return nil, fmt.Errorf("labelcheck exited %d: %v\n%s", code, err, stderr.String())
	}
	peak, err := rss()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(dir+".reports.jsonl", stdout.Bytes(), 0o644); err != nil {
		return nil, err
	}
	var cs []bench.Case
	var ms []float64
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var r inspection.Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, err
		}
		t, err := labelgen.ReadTruth(filepath.Join(dir, r.Case))
		if err != nil {
			return nil, err
		}
		for _, im := range r.Images {
			ms = append(ms, float64(im.Ms))
		}
		cs = append(cs, bench.Case{Truth: t, Report: &r})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var base *bench.Speed
	if o.baseline {
		var err error
		if base, err = baseline(dir, cs, o.jobs); err != nil {
			return nil, err
		}
	}
	level := bench.Score(filepath.Base(dir), cs)
	level.Speed = bench.NewSpeed(ms, wall, peak)
	level.Baseline = base
	return level, nil
}

// baseline runs `tesseract IMAGE - -l chi_sim` once per image, jobs at a
// time, and puts each case's text into cs for scoring.
func baseline(dir string, cs []bench.Case, jobs int) (*bench.Speed, error) {
	type job struct{ c, i int }
	texts := make([][]string, len(cs))
	var work []job
	for c := range cs {
		texts[c] = make([]string, len(cs[c].Truth.Images))
		for i := range cs[c].Truth.Images {
			work = append(work, job{c, i})
		}
	}
	ms := make([]float64, len(work))
	var mu sync.Mutex
	var peak float64
	var g errgroup.Group
	g.SetLimit(jobs)
	start := time.Now()
	for k, j := range work {
		g.Go(func() error {
			path := filepath.Join(dir, cs[j.c].Truth.Case, cs[j.c].Truth.Images[j.i])
			cmd, rss := measured(fmt.Sprintf("%s.rss.%d", dir, k), "tesseract", path, "-", "-l", "chi_sim")
			var out bytes.Buffer
			cmd.Stdout = &out
			t := time.Now()
			err := cmd.Run()
			ms[k] = float64(time.Since(t).Milliseconds())
			if cmd.ProcessState == nil {
				return fmt.Errorf("tesseract: %w", err) // not started: the CLI is missing
			}
			texts[j.c][j.i] = out.String() // a broken image gives an error and no text, as for labelcheck
			mb, err := rss()
			if err != nil {
				return err
			}
			mu.Lock()
			peak = max(peak, mb)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	wall := time.Since(start).Seconds()
	for c := range cs {
		cs[c].BaselineText = strings.Join(texts[c], "\n")
	}
	s := bench.NewSpeed(ms, wall, peak)
	return &s, nil
}

// measured wraps a command in GNU time, which forks it from a small parent
// and reports its peak RSS. ru_maxrss of a child forked from this process
// would count this process's memory at the fork (the generated set's
// buffers), which is why the peak is not read from our own wait status.
// rss reads the peak, in MB, after the command ran.
func measured(tmp string, name string, args ...string) (*exec.Cmd, func() (float64, error)) {
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", "-o", tmp, name}, args...)...)
	return cmd, func() (float64, error) {
		defer os.Remove(tmp)
		data, err := os.ReadFile(tmp)
		if err != nil {
			return 0, fmt.Errorf("peak RSS of %s: %w", name, err)
		}
		lines := strings.Fields(string(data))
		var kb float64
		if len(lines) == 0 {
			return 0, fmt.Errorf("peak RSS of %s: empty report", name)
		}
		if _, err := fmt.Sscan(lines[len(lines)-1], &kb); err != nil {
			return 0, fmt.Errorf("peak RSS of %s: %q: %w", name, data, err)
		}
		return kb / 1024, nil
	}
}

func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	// The scoreboard's own files do not make the measured code dirty.
	if st, _ := exec.Command("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench").Output(); len(st) > 0 {
		c += "+dirty"
	}
	return c
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
