package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/labelcheck/labelcheck/inspector"
)

func ocrCommand() *cli.Command {
	return &cli.Command{
		Name:      "ocr",
		Usage:     "print what the OCR pipeline reads from images (debugging)",
		ArgsUsage: "IMAGE...",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "all", Usage: "also print lines dropped as noise"},
			&cli.StringFlag{Name: "engine", Value: inspector.DefaultConfig().OCR.Engine, Usage: "recogniser: tesseract, paddle or auto"},
			&cli.StringFlag{Name: "crops", Usage: "write each line's crops into `DIR`/IMAGE: NNN.png as Tesseract sees it, NNN-paddle.png as PP-OCR does"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("ocr needs at least one IMAGE")
			}
			cfg := inspector.DefaultConfig()
			cfg.Jobs = 1
			cfg.OCR.Engine = c.String("engine")
			if err := cfg.OCR.Validate(); err != nil {
				return usageError{err}
			}
			ins, err := inspector.New(cfg)
			if err != nil {
				return err
			}
			defer ins.Close()
			for _, path := range c.Args().Slice() {
				fmt.Printf("== %s\n", path)
				data, err := os.ReadFile(path)
				if err != nil {
					fmt.Printf("error: %v\n", err)
					continue
				}
				dbg := inspector.Debug{KeepAll: c.Bool("all")}
				if dir := c.String("crops"); dir != "" {
					dbg.CropDir = filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
					if err := os.MkdirAll(dbg.CropDir, 0o755); err != nil {
						return err
					}
				}
				rec, err := ins.Recognize(c.Context, data, dbg)
				if err != nil {
					fmt.Printf("unreadable: %v\n", err)
					continue
				}
				fmt.Printf("size %dx%d, %d line(s), text gate run %d cells\n", rec.Width, rec.Height, len(rec.Lines), rec.TextCells)
				kind, reason := ins.Kind(rec)
				q := rec.Quality
				if reason != "" {
					reason = ": " + reason
				}
				fmt.Printf("kind %s%s\nquality over %d line(s): text %.0f px, blur %.1f px, contrast %.0f\n",
					kind, reason, q.Lines, q.TextHeight, q.Blur, q.Contrast)
				for _, l := range rec.Lines {
					fmt.Printf("%4d %4d %4d %4d  %.2f %-9s  %s\n", l.Box[0], l.Box[1], l.Box[2], l.Box[3], l.Confidence, l.Engine, l.Text)
				}
				for _, code := range rec.Codes {
					fmt.Printf("%s %v %s\n", code.Kind, *code.Box, code.Data)
				}
			}
			return nil
		},
	}
}
