package report

import (
	"strings"
	"testing"
	"time"
)

func TestShortDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0ms"},
		{43 * time.Millisecond, "43ms"},
		{384 * time.Millisecond, "0.4s"},
		{1243 * time.Millisecond, "1.2s"},
		{12345 * time.Millisecond, "12.3s"},
	}
	for _, tt := range tests {
		if got := shortDuration(tt.in); got != tt.want {
			t.Errorf("shortDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCountsPhrase(t *testing.T) {
	tests := []struct {
		in   Summary
		want string
	}{
		{Summary{Failed: 1, Warned: 1, Passed: 3, Skipped: 1}, "1 failed, 1 warned, 3 passed, 1 skipped"},
		{Summary{Passed: 6}, "6 passed"},
		{Summary{}, "no checks ran"},
	}
	for _, tt := range tests {
		if got := countsPhrase(tt.in, false); got != tt.want {
			t.Errorf("countsPhrase(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShortOKLine(t *testing.T) {
	tests := []struct {
		in   Summary
		want string
	}{
		{Summary{Passed: 6}, "OK: all 6 checks passed"},
		{Summary{Passed: 5, Warned: 1}, "OK: all 6 checks passed (1 warning)"},
		{Summary{Passed: 4, Warned: 1, Skipped: 1}, "OK: 5 checks passed (1 warning), 1 skipped"},
		{Summary{Passed: 1}, "OK: 1 check passed"},
		{Summary{}, "OK: no checks ran"},
	}
	for _, tt := range tests {
		if got := shortOKLine(tt.in); got != tt.want {
			t.Errorf("shortOKLine(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrapText(t *testing.T) {
	long := strings.Repeat("word ", 40)
	for _, line := range WrapText(long, 30) {
		if len(line) > 30 {
			t.Errorf("line longer than 30: %q", line)
		}
	}
	url := "https://sso.example.com/realms/tenant-acme/protocol/openid-connect/token"
	if got := WrapText("see "+url, 20); got[len(got)-1] != url {
		t.Errorf("a long URL was split: %q", got)
	}
	if got := WrapText("one\ntwo", 70); len(got) != 2 {
		t.Errorf("line breaks lost: %q", got)
	}
}

func TestShortKeepsOneLinePerProblem(t *testing.T) {
	r := Report{Checks: []CheckResult{{ID: "realm", Status: Fail, Code: "UNEXPECTED_RESPONSE", Message: "got\n<html>\n  502"}}}
	r.Summary = Count(r.Checks)
	out := string(render(t, r, FormatShort, Options{}))
	// A message is one line: its line breaks are shown escaped, so a server's
	// text cannot start a line that looks like authdoctor's own.
	if want := "FAIL realm UNEXPECTED_RESPONSE: got\\n<html>\\n 502\n"; out != want {
		t.Errorf("short = %q, want %q", out, want)
	}
}
