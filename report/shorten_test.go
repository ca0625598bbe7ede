package report

import (
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

func TestShortenMiddle(t *testing.T) {
	tests := []struct {
		word  string
		width int
		want  string
	}{
		{"tenant-acme", 20, "tenant-acme"},
		{"tenant-acme-corporation-europe-west-production", 21, "tenant-acm…production"},
		// A URL keeps its host when it can, and its end.
		{"http://127.0.0.1:35541/realms/tenant-3f6c0b9e-8d1a-4c2e-9b7a-5e2d3c4b1a60", 58, "http://127.0.0.1:35541…f6c0b9e-8d1a-4c2e-9b7a-5e2d3c4b1a60"},
		{"https://a-very-long-host-name.example.com/realms/x", 30, "https://a…example.com/realms/x"},
		// Wide characters take two columns.
		{"日本語のとても長いレルム名", 11, "日本…ルム名"},
		{"abc", 1, "…"},
	}
	for _, tt := range tests {
		got := shortenMiddle(tt.word, tt.width)
		if got != tt.want {
			t.Errorf("shortenMiddle(%q, %d) = %q, want %q", tt.word, tt.width, got, tt.want)
		}
		if w := twwidth.Width(got); w > tt.width {
			t.Errorf("shortenMiddle(%q, %d) is %d columns wide", tt.word, tt.width, w)
		}
	}
}

func TestFitWords(t *testing.T) {
	roles := "realm roles [default-roles-tenant-acme, offline_access, uma_authorization, orders-viewer, user]"
	tests := []struct {
		name, text string
		width      int
		want       string
	}{
		{"fits", "realm tenant-acme found", 30, "realm tenant-acme found"},
		{"long word", "realm tenant-acme-corporation-europe-west found", 20, "realm tenant-acm…rope-west found"},
		{"list kept when it fits", roles, 100, roles},
		{"list: first items, …, last", roles, 60, "realm roles [default-roles-tenant-acme, offline_access, …, user]"},
		{"list: first item", roles, 50, "realm roles [default-roles-tenant-acme, …, user]"},
		{"list: first item shortened", roles, 30, "realm roles [default-r…nant-acme, …, user]"},
		{"space-separated list", "has [a-long-role b-long-role c-long-role d]", 24, "has [a-long-role … d]"},
		{"two items: only the word rule", "[default-roles-tenant-acme, user]", 20, "[default-r…ant-acme, user]"},
		{"lines kept", "one\ntwo", 10, "one\ntwo"},
		{"no width", "tenant-acme-corporation-europe-west", 0, "tenant-acme-corporation-europe-west"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fitWords(fitLists(tt.text, tt.width), tt.width); got != tt.want {
				t.Errorf("fitWords(fitLists(%q, %d))\n got %q\nwant %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

func TestEllipsize(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"a message that\ngoes on and on", 16, "a message that…"},
		{"exactly ten", 11, "exactly ten"},
	}
	for _, tt := range tests {
		if got := ellipsize(tt.text, tt.width); got != tt.want || twwidth.Width(got) > tt.width {
			t.Errorf("ellipsize(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
	}
}
