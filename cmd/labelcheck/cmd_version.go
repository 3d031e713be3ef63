package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/models"
	"github.com/labelcheck/labelcheck/ocr"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the versions of labelcheck, OpenCV, Tesseract, the tessdata languages and the npm packages of the PP-OCR models and ONNX Runtime",
		Action: func(*cli.Context) error {
			langs, err := ocr.Available()
			if err != nil {
				return fmt.Errorf("tessdata: %w", err)
			}
			fmt.Printf("labelcheck %s\nopencv %s\ntesseract %s\ntessdata %s\n", buildVersion(), gocv.OpenCVVersion(), ocr.Version(), strings.Join(langs, " "))
			packages, err := models.Packages()
			if err != nil {
				return err
			}
			dir, dirErr := models.Dir()
			for _, p := range packages {
				var files []string
				for _, f := range p.Files {
					if _, err := os.Stat(filepath.Join(dir, f.File)); dirErr != nil || err != nil {
						f.File += " (missing: run ./scripts/models)"
					}
					files = append(files, f.File)
				}
				fmt.Printf("npm %s@%s: %s\n", p.Package, p.Version, strings.Join(files, " "))
			}
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
