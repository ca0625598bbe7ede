package report

import (
	"sort"
	"strings"
	"time"
)

// eventLine is one server event as a single line of text, the same in the
// table, JUnit and short formats:
//
//	2026-11-25T14:03:07Z LOGIN_ERROR client=admin-portal user=anna ip=10.0.0.7 error=user_not_found (auth_method=openid-connect, grant_type=password)
func eventLine(e Event) string {
	parts := []string{e.Time.UTC().Format(time.RFC3339), e.Type}
	for _, kv := range [][2]string{{"client", e.Client}, {"user", e.User}, {"ip", e.IP}, {"error", e.Error}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	line := strings.Join(parts, " ")
	if d := eventDetails(e); d != "" {
		line += " (" + d + ")"
	}
	return oneLine(line)
}

// eventDetails writes an event's details sorted by key, leaving out the
// username that the line already shows.
func eventDetails(e Event) string {
	keys := make([]string, 0, len(e.Details))
	for k := range e.Details {
		if k != "username" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+e.Details[k])
	}
	return strings.Join(parts, ", ")
}
