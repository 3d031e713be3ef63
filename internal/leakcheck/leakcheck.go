// Package leakcheck is the gocv Mat leak gate for tests: packages that make
// Mats call Main from their TestMain, and a run built with -tags matprofile
// fails when any Mat is left open after the tests.
package leakcheck

import (
	"fmt"
	"os"
	"testing"
)

// Main runs the tests and exits non-zero when they fail or leak Mats.
func Main(m *testing.M) {
	code := m.Run()
	if n := count(); n > 0 {
		fmt.Fprintf(os.Stderr, "leakcheck: %d gocv.Mat(s) not closed:\n%s\n", n, traces())
		code = 1
	} else if n < 0 && os.Getenv("CI") != "" {
		fmt.Fprintln(os.Stderr, "leakcheck: built without -tags matprofile, Mat leaks are not checked")
		code = 1
	}
	os.Exit(code)
}
