package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// goldenVariant is one way of rendering a report that has a golden file.
type goldenVariant struct {
	suffix string // file name part after the run's name
	format Format
	opts   Options
}

func goldenVariants() []goldenVariant {
	return []goldenVariant{
		{"table", FormatTable, Options{}},
		{"table-color", FormatTable, Options{Color: true}},
		{"table-80", FormatTable, Options{Width: 80}},
		{"table-120", FormatTable, Options{Width: 120}},
		{"json", FormatJSON, Options{}},
		{"markdown", FormatMarkdown, Options{}},
		{"junit", FormatJUnit, Options{}},
		{"short", FormatShort, Options{}},
	}
}

func TestGolden(t *testing.T) {
	for _, run := range testRuns() {
		for _, v := range goldenVariants() {
			t.Run(run.name+"/"+v.suffix, func(t *testing.T) {
				got := render(t, run.report, v.format, v.opts)
				path := filepath.Join("testdata", run.name+"."+v.suffix+".golden")
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./report/ -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output differs from %s (go test ./report/ -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
				}
			})
		}
	}
}

// TestRenderIsDeterministic renders every report twice: details are maps,
// and map order must never reach the output.
func TestRenderIsDeterministic(t *testing.T) {
	for _, run := range testRuns() {
		for _, v := range goldenVariants() {
			t.Run(run.name+"/"+v.suffix, func(t *testing.T) {
				first := render(t, run.report, v.format, v.opts)
				for range 5 {
					if again := render(t, run.report, v.format, v.opts); !bytes.Equal(first, again) {
						t.Fatalf("two renders differ:\n%s\n---\n%s", first, again)
					}
				}
			})
		}
	}
}

func render(t *testing.T, r Report, f Format, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, f, r, o); err != nil {
		t.Fatalf("Render(%s): %v", f, err)
	}
	return b.Bytes()
}
