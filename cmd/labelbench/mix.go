package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/internal/labelgen"
)

// mixed measures throughput on a set that is mostly product photos, as a
// platform's stream of listing images is: n images of the level in dir,
// share of them product photos, each its own case. labelcheck and the
// CLI read the same images, jobs at a time; the numbers go to MIX.md.
func mixed(dir, bin string, share float64, n int, o options) error {
	var photos, labels []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t, err := labelgen.ReadTruth(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		for _, im := range t.Images {
			path := filepath.Join(dir, e.Name(), im)
			if slices.Contains(t.Photos, im) {
				photos = append(photos, path)
			} else {
				labels = append(labels, path)
			}
		}
	}
	np := int(share*float64(n) + 0.5)
	if np > len(photos) || n-np > len(labels) {
		return fmt.Errorf("mix: %d photos and %d labels wanted, the set has %d and %d", np, n-np, len(photos), len(labels))
	}
	images := append(slices.Clone(photos[:np]), labels[:n-np]...)
	mix := filepath.Join(o.work, "mix")
	if err := os.RemoveAll(mix); err != nil {
		return err
	}
	isPhoto := map[string]bool{}
	for i, src := range images {
		c := filepath.Join(mix, fmt.Sprintf("img-%04d", i))
		if err := os.MkdirAll(c, 0o755); err != nil {
			return err
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(c, filepath.Base(src)), data, 0o644); err != nil {
			return err
		}
		isPhoto[filepath.Base(c)] = i < np
	}

	args := append([]string{"inspect", "--format", "jsonl", "--jobs", fmt.Sprint(o.jobs)}, strings.Fields(o.args)...)
	cmd := exec.Command(bin, append(args, mix)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start).Seconds()
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
		return fmt.Errorf("labelcheck exited %d: %v\n%s", code, err, stderr.String())
	}
	var photoMs, labelMs []float64
	photosAsPhotos := 0
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var r inspection.Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		for _, im := range r.Images {
			if isPhoto[r.Case] {
				photoMs = append(photoMs, float64(im.Ms))
				if im.Kind == inspection.KindPhoto {
					photosAsPhotos++
				}
			} else {
				labelMs = append(labelMs, float64(im.Ms))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}

	var g errgroup.Group
	g.SetLimit(o.jobs)
	start = time.Now()
	for _, path := range images {
		g.Go(func() error {
			c := exec.Command("tesseract", path, "-", "-l", "chi_sim")
			if err := c.Run(); c.ProcessState == nil {
				return fmt.Errorf("tesseract: %w", err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	baseWall := time.Since(start).Seconds()

	ours, theirs := float64(n)/wall, float64(n)/baseWall
	var s strings.Builder
	fmt.Fprintf(&s, "# Mixed set: mostly product photos\n\n")
	fmt.Fprintf(&s, "Measured on commit `%s`, %s, %d jobs. Reproduce: `go run ./cmd/labelbench -cases %d -seed %d -levels %s -mix %.2f -mix-images %d`",
		commit(), time.Now().UTC().Format("2006-01-02 15:04 MST"), o.jobs, o.cases, o.seed, filepath.Base(dir), share, n)
	if o.args != "" {
		fmt.Fprintf(&s, " -args %q", o.args)
	}
	fmt.Fprintf(&s, "\n\n%d images of the %s level, %d of them product photos (%.0f%%), each its own case; `labelcheck inspect` and\n", n, filepath.Base(dir), np, 100*share)
	fmt.Fprintf(&s, "`tesseract IMAGE - -l chi_sim` (once per image) read the same images, %d at a time, one after the other.\n\n", o.jobs)
	fmt.Fprintf(&s, "| | images/s | mean ms per photo | mean ms per label image |\n|---|---|---|---|\n")
	fmt.Fprintf(&s, "| labelcheck | %.2f (%.2fx the CLI) | %.0f | %.0f |\n", ours, ours/theirs, mean(photoMs), mean(labelMs))
	fmt.Fprintf(&s, "| tesseract CLI | %.2f | | |\n\n", theirs)
	fmt.Fprintf(&s, "Product photos judged `photo`: %d of %d.\n", photosAsPhotos, np)
	fmt.Fprintf(os.Stderr, "mix: labelcheck %.2f images/s, CLI %.2f (%.2fx)\n", ours, theirs, ours/theirs)
	if err := os.MkdirAll(o.results, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(o.results, "MIX.md"), []byte(s.String()), 0o644)
}

func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(max(1, len(xs)))
}
