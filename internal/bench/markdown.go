package bench

import (
	"fmt"
	"sort"
	"strings"
)

// Board is a whole scoreboard: how it was made and the score of each level.
type Board struct {
	Commit  string   `json:"commit"`
	Date    string   `json:"date"`
	Machine string   `json:"machine"`
	Command string   `json:"command"`
	Cases   int      `json:"cases"`
	Seed    uint64   `json:"seed"`
	Levels  []*Level `json:"levels"`
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }
func f2(v float64) string  { return fmt.Sprintf("%.2f", v) }

// Markdown renders the board for bench/RESULTS.md.
func (b *Board) Markdown() string {
	var s strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&s, format, args...) }
	w("# labelcheck scoreboard\n\n")
	w("Measured on commit `%s`, %s, on %s.\n", b.Commit, b.Date, b.Machine)
	w("Set: %d generated cases per level (seed %d), the same cases at every level.\n", b.Cases, b.Seed)
	w("Reproduce: `%s`\n\n", b.Command)
	w("A finding counts when its code and field match the truth. *Field exact* is the share of field values printed on\n")
	w("label images that labelcheck's report gives exactly (after normalisation); *field recall* is the share found,\n")
	w("normalised, anywhere in the text an engine read — the one measure that also applies to the plain `tesseract`\n")
	w("CLI (`tesseract IMAGE - -l chi_sim`, run once per image, as many at a time as labelcheck has jobs).\n\n")

	w("## Summary\n\n")
	w("| level | cases | finding P | finding R | finding F1 | verdict accuracy | false-fail on consistent | field exact | field recall labelcheck / tesseract | images/s labelcheck / tesseract | median ms | p95 ms | peak RSS MB |\n")
	w("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, l := range b.Levels {
		a := l.All
		exact, total := 0, 0
		for f, n := range a.FieldTotal {
			total += n
			exact += a.FieldExact[f]
		}
		speed := fmt.Sprintf("%.2f", l.Speed.ImagesPerSec)
		recall := pct(l.FieldRecall)
		if l.Baseline != nil {
			speed += fmt.Sprintf(" / %.2f (%.2fx)", l.Baseline.ImagesPerSec, l.Speed.ImagesPerSec/l.Baseline.ImagesPerSec)
			recall += fmt.Sprintf(" / %s (%.2fx)", pct(l.BaselineFieldRecall), l.FieldRecall/max(l.BaselineFieldRecall, 1e-9))
		}
		// The count beside the rate: 2317 of 2439 rounds to 95.0% and is
		// under it.
		w("| %s | %d | %s | %s | %s | %s | %s (%d/%d) | %s (%d/%d) | %s | %s | %.0f | %.0f | %.0f |\n", l.Level, a.Cases,
			f2(a.Findings.Precision()), f2(a.Findings.Recall()), f2(a.Findings.F1()), pct(a.VerdictAccuracy()),
			pct(a.FalseFailRate()), a.FalseFail, a.Consistent, pct(ratio(exact, total)), exact, total, recall, speed,
			l.Speed.MedianMs, l.Speed.P95Ms, l.Speed.PeakRSSMB)
	}
	if len(b.Levels) > 0 && b.Levels[0].Baseline != nil {
		w("\nThe plain CLI per level: ")
		var parts []string
		for _, l := range b.Levels {
			parts = append(parts, fmt.Sprintf("%s median %.0f ms, p95 %.0f ms, peak RSS %.0f MB", l.Level, l.Baseline.MedianMs, l.Baseline.P95Ms, l.Baseline.PeakRSSMB))
		}
		w("%s.\n", strings.Join(parts, "; "))
	}

	w("\nCCC marks: ")
	var marks []string
	for _, l := range b.Levels {
		marks = append(marks, fmt.Sprintf("%s recall %s (%d/%d), false marks on product photos %s (%d/%d)", l.Level,
			pct(ratio(l.MarksFound, l.MarkImages)), l.MarksFound, l.MarkImages, pct(ratio(l.PhotoMarks, l.Photos)), l.PhotoMarks, l.Photos))
	}
	w("%s.\n", strings.Join(marks, "; "))

	w("\n## By category\n\n| level | category | cases | finding P | finding R | finding F1 | verdict accuracy | false-fail |\n|---|---|---|---|---|---|---|---|\n")
	for _, l := range b.Levels {
		for _, cat := range sortedKeys(l.ByCategory) {
			g := l.ByCategory[cat]
			w("| %s | %s | %d | %s | %s | %s | %s | %s |\n", l.Level, cat, g.Cases, f2(g.Findings.Precision()),
				f2(g.Findings.Recall()), f2(g.Findings.F1()), pct(g.VerdictAccuracy()), pct(g.FalseFailRate()))
		}
	}

	w("\n## Time per image by stage\n\nMean milliseconds per image (`stages_ms` of the reports; *rules* is the rest of each case's time).\n\n| stage |")
	for _, l := range b.Levels {
		w(" %s |", l.Level)
	}
	w("\n|---|%s\n", strings.Repeat("---|", len(b.Levels)))
	for _, stage := range []string{"gate", "decode", "detect", "tesseract", "paddle", "rules"} {
		w("| %s |", stage)
		for _, l := range b.Levels {
			w(" %.0f |", l.StageMs[stage])
		}
		w("\n")
	}

	w("\n## Field exact match\n\n| field |")
	for _, l := range b.Levels {
		w(" %s |", l.Level)
	}
	w("\n|---|%s\n", strings.Repeat("---|", len(b.Levels)))
	for _, f := range RecallFields {
		w("| %s |", f)
		for _, l := range b.Levels {
			if n := l.All.FieldTotal[f]; n > 0 {
				w(" %s (%d) |", pct(l.All.FieldExactRate(f)), n)
			} else {
				w(" — |")
			}
		}
		w("\n")
	}

	w("\n## Findings by code\n\nPrecision / recall (true positives + false negatives = cases that should raise it).\n\n| code |")
	for _, l := range b.Levels {
		w(" %s |", l.Level)
	}
	w("\n|---|%s\n", strings.Repeat("---|", len(b.Levels)))
	codes := map[string]bool{}
	for _, l := range b.Levels {
		for c := range l.ByCode {
			codes[c] = true
		}
	}
	for _, c := range sortedKeys(codes) {
		w("| %s |", c)
		for _, l := range b.Levels {
			n := l.ByCode[c]
			if n == nil {
				w(" — |")
				continue
			}
			w(" %s / %s (%d) |", f2(n.Precision()), f2(n.Recall()), n.TP+n.FN)
		}
		w("\n")
	}

	w("\n## Misread fields, most frequent first\n\n")
	for _, l := range b.Levels {
		byField := map[string]int{}
		for _, m := range l.Misses {
			byField[m.Field]++
		}
		fields := sortedKeys(byField)
		sort.SliceStable(fields, func(i, j int) bool { return byField[fields[i]] > byField[fields[j]] })
		var parts []string
		for _, f := range fields {
			parts = append(parts, fmt.Sprintf("%s %d", f, byField[f]))
		}
		w("- **%s**: %s\n", l.Level, strings.Join(parts, ", "))
		for i, m := range l.Misses {
			if i == 5 {
				break
			}
			w("  - %s %s: printed %q, read %q\n", m.Case, m.Field, m.Want, m.Got)
		}
	}
	return s.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
