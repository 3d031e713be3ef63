// Command labelgen writes the generated test cases: the bundled example batch
// (examples/batch) or any other set, deterministic for a given seed.
//
//	go run ./cmd/labelgen -out examples/batch
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/labelcheck/labelcheck/internal/labelgen"
)

func main() {
	out := flag.String("out", "examples/batch", "folder to write the cases into")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same bytes")
	level := flag.String("level", "phone", "distortion: clean or phone")
	flag.Parse()
	d := labelgen.Phone
	switch *level {
	case "phone":
	case "clean":
		d = labelgen.Clean
	default:
		fmt.Fprintf(os.Stderr, "labelgen: unknown level %q (want clean or phone)\n", *level)
		os.Exit(2)
	}
	for _, spec := range labelgen.Examples() {
		if err := labelgen.WriteCase(*out, spec, d, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "labelgen:", err)
			os.Exit(1)
		}
	}
}
