package report

import (
	"flag"
	"os"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// update rewrites the golden files: go test ./report/ -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestMain(m *testing.M) {
	flag.Parse()
	// tablewriter guesses from the locale whether ambiguous-width characters
	// (such as "›") take two columns. Pin it so golden files do not depend on
	// the machine that runs the tests.
	twwidth.SetEastAsian(false)
	os.Exit(m.Run())
}
