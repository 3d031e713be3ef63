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

// Files are a network's model file and the ONNX Runtime library that runs
// it, each with the SHA-256 it must have (models/onnx.json).
type Files struct {
	Runtime, RuntimeSHA256 string
	Model, ModelSHA256     string
}

// FilesFrom names the runtime's and the model's files by asking path for
// each one's location and checksum by its name in models/onnx.json
// (models.Path): "onnxruntime" and model.
func FilesFrom(path func(name string) (file, sha256 string, err error), model string) (Files, error) {
	var f Files
	var err error
	if f.Runtime, f.RuntimeSHA256, err = path("onnxruntime"); err != nil {
		return f, err
	}
	f.Model, f.ModelSHA256, err = path(model)
	return f, err
}

// Load starts ONNX Runtime from f's library (see Start) and returns f's
// model, both checked against their SHA-256.
func (f Files) Load() ([]byte, error) {
	if err := Start(f.Runtime, f.RuntimeSHA256); err != nil {
		return nil, err
	}
	return models.ReadChecked(f.Model, f.ModelSHA256)
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

// Run runs sess on one float32 input of the given shape (opts may be nil)
// and returns its one output, which must be a float32 tensor; the caller
// destroys it.
func Run(sess *ort.DynamicAdvancedSession, opts *ort.RunOptions, shape ort.Shape, input []float32) (*ort.Tensor[float32], error) {
	x, err := ort.NewTensor(shape, input)
	if err != nil {
		return nil, err
	}
	defer x.Destroy()
	out := []ort.Value{nil}
	if opts != nil {
		err = sess.RunWithOptions([]ort.Value{x}, out, opts)
	} else {
		err = sess.Run([]ort.Value{x}, out)
	}
	if err != nil {
		if out[0] != nil {
			out[0].Destroy()
		}
		return nil, err
	}
	t, ok := out[0].(*ort.Tensor[float32])
	if !ok {
		out[0].Destroy()
		return nil, fmt.Errorf("output is %T, want a float32 tensor", out[0])
	}
	return t, nil
}
