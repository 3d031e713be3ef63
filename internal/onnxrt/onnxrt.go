// Package onnxrt starts ONNX Runtime once per process and opens the
// single-threaded sessions labelcheck's networks run in (the PP-OCRv4
// text detector in package vision, its recogniser in package ocr).
package onnxrt

import (
	"fmt"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/labelcheck/labelcheck/models"
)

// state: ONNX Runtime has one environment per process, loaded from one
// library.
var state struct {
	mu      sync.Mutex
	runtime string // the library the environment was started from
}

// Start starts ONNX Runtime from the shared library at path, after checking
// its SHA-256 against want, the first time it is called; later calls with
// the same path do nothing, and with another path fail. A failure is not
// remembered: a later call with the file fixed succeeds.
func Start(path, want string) error {
	state.mu.Lock()
	defer state.mu.Unlock()
	switch state.runtime {
	case path:
		return nil
	case "":
	default:
		return fmt.Errorf("onnx runtime %s: %s is loaded already", path, state.runtime)
	}
	if _, err := models.ReadChecked(path, want); err != nil {
		return err
	}
	ort.SetSharedLibraryPath(path)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("onnx runtime %s: %w", path, err)
	}
	state.runtime = path
	return nil
}

// Session opens a session on the model in onnx, with the given input and
// output names, that runs on one thread: labelcheck's workers, one per
// core, are the parallelism. ONNX Runtime must have been started.
func Session(onnx []byte, inputs, outputs []string) (*ort.DynamicAdvancedSession, error) {
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer so.Destroy()
	for _, set := range []func() error{
		func() error { return so.SetIntraOpNumThreads(1) },
		func() error { return so.SetInterOpNumThreads(1) },
		func() error { return so.SetLogSeverityLevel(ort.LoggingLevelError) },
	} {
		if err := set(); err != nil {
			return nil, err
		}
	}
	return ort.NewDynamicAdvancedSessionWithONNXData(onnx, inputs, outputs, so)
}
