package realkc

import (
	"fmt"
	"os"
)

// EnvSummary names a file that Summary appends its lines to.
const EnvSummary = "AUTHDOCTOR_REAL_KEYCLOAK_SUMMARY"

// Summary prints one line about a real-server run (what ran, against which
// version) to stdout, and appends it to the file named by EnvSummary when
// that is set. go test shows a passing package's output only with -v (in
// package list mode it prints just "ok"), so CI sets EnvSummary and prints
// the file after the tests.
func Summary(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	fmt.Println(line)
	path := os.Getenv(EnvSummary)
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintf(os.Stderr, "realkc: %s: %v\n", EnvSummary, err)
		return
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, line); err != nil {
		fmt.Fprintf(os.Stderr, "realkc: %s: %v\n", EnvSummary, err)
	}
}
