package httpx

import (
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"<html><body><h1>Bad  gateway</h1>\n<p>try\tlater</p></body></html>", 100, "Bad gateway try later"},
		{"a < b and c > d", 100, "a d"},                 // like the regular expression <[^>]*>
		{"a < b, no closing", 100, "a < b, no closing"}, // a lone '<' is text
		{"  lead and trail  ", 100, "lead and trail"},
		{"one two three four", 7, "one two t"}, // stops just past the limit
	}
	for _, tt := range tests {
		if got := plainText(tt.in, tt.limit); got != tt.want {
			t.Errorf("plainText(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
	// A megabyte of markup: the scan stops once it has enough text.
	big := "start " + strings.Repeat("<p>filler</p>", 100_000)
	if got := plainText(big, 50); len(got) > 60 || !strings.HasPrefix(got, "start filler filler") {
		t.Fatalf("got %d bytes: %.80q", len(got), got)
	}
}
