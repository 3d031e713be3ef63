package inspector

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labelcheck/labelcheck/internal/labelgen"
)

// BenchmarkRecognize reads the images of the first 12 cases of seed 1 at
// each level (labels, certificates, nameplates and product photos alike),
// one image per iteration with one worker, and reports the images read per
// second, the mean milliseconds per image of each stage and the lines each
// recogniser read per image: where the time of a platform's pipeline goes. Profile it with
//
//	go test -run '^$' -bench Recognize/phone -cpuprofile cpu.out ./inspector
func BenchmarkRecognize(b *testing.B) {
	for _, level := range []labelgen.Distortion{labelgen.Clean, labelgen.Phone, labelgen.Hard} {
		b.Run(level.Name, func(b *testing.B) {
			images := benchImages(b, level, 12)
			cfg := DefaultConfig()
			cfg.Jobs = 1
			in, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer in.Close()
			stages := map[string]time.Duration{}
			reads := map[string]int{}
			b.ResetTimer()
			start := time.Now()
			for i := 0; b.Loop(); i++ {
				rec, err := in.Recognize(b.Context(), images[i%len(images)], Debug{})
				if err != nil {
					b.Fatal(err)
				}
				for stage, d := range rec.Stages {
					stages[stage] += d
				}
				for engine, n := range rec.Reads {
					reads[engine] += n
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "images/s")
			for stage, d := range stages {
				b.ReportMetric(float64(d.Milliseconds())/float64(b.N), stage+"-ms/image")
			}
			for engine, n := range reads {
				b.ReportMetric(float64(n)/float64(b.N), engine+"-lines/image")
			}
		})
	}
}

// benchImages are the images of the first n cases of seed 1 at level.
func benchImages(b *testing.B, level labelgen.Distortion, n int) [][]byte {
	b.Helper()
	dir := b.TempDir()
	var images [][]byte
	for _, spec := range labelgen.Synthesize(n, 1).Cases {
		if err := labelgen.WriteCase(dir, spec, level, 1); err != nil {
			b.Fatal(err)
		}
		entries, err := os.ReadDir(filepath.Join(dir, spec.Name))
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			if name := e.Name(); strings.HasSuffix(name, ".jpg") || strings.HasSuffix(name, ".png") {
				data, err := os.ReadFile(filepath.Join(dir, spec.Name, name))
				if err != nil {
					b.Fatal(err)
				}
				images = append(images, data)
			}
		}
	}
	if len(images) == 0 {
		b.Fatal("no images")
	}
	return images
}
