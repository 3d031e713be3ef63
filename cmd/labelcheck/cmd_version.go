package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/ocr"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the versions of labelcheck, OpenCV, Tesseract and the tessdata languages",
		Action: func(*cli.Context) error {
			langs, err := ocr.Available()
			if err != nil {
				return fmt.Errorf("tessdata: %w", err)
			}
			fmt.Printf("labelcheck %s\nopencv %s\ntesseract %s\ntessdata %s\n", buildVersion(), gocv.OpenCVVersion(), ocr.Version(), strings.Join(langs, " "))
			return nil
		},
	}
}

// buildVersion is the module version, or the VCS revision for a local build.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v = s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return v
}
