package labelgen

import (
	"testing"

	"github.com/labelcheck/labelcheck/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }
