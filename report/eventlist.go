package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// EventList is what `authdoctor events` shows: a realm's stored events,
// newest first, each with the code that explains its error.
type EventList struct {
	Realm string
	Since time.Time // zero: no lower bound
	Types []string
	Rows  []EventRow
}

// EventRow is one event and its explanation.
type EventRow struct {
	Event
	Code        string // the code whose documentation explains Error; "" when none does
	Explanation string // that code's title
}

// RenderEvents writes the list in a format: table (times in this machine's
// time zone, loc), json (UTC) or markdown (UTC).
func RenderEvents(w io.Writer, f Format, l EventList, loc *time.Location) error {
	var out []byte
	var err error
	l = l.sanitized() // the events are the server's text
	switch f {
	case FormatTable:
		out = eventsTable(l, loc)
	case FormatJSON:
		out, err = eventsJSON(l)
	case FormatMarkdown:
		out = eventsMarkdown(l)
	default:
		return fmt.Errorf("events are written as table, json or markdown, not %s", f)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func eventsTable(l EventList, loc *time.Location) []byte {
	var b bytes.Buffer
	if len(l.Rows) == 0 {
		fmt.Fprintf(&b, "No %s events in realm %s%s.\n", strings.Join(l.Types, " or "), l.Realm, sinceText(l.Since))
		return b.Bytes()
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tTYPE\tCLIENT\tUSER\tIP\tERROR\tEXPLANATION")
	for _, r := range l.Rows {
		explanation := r.Explanation
		if r.Code != "" {
			explanation = r.Code + ": " + explanation
		}
		cells := []string{r.Time.In(loc).Format("2006-01-02 15:04:05"), r.Type, r.Client, r.User, r.IP, r.Error, explanation}
		for i, c := range cells {
			cells[i] = oneLine(strings.ReplaceAll(c, "\t", " "))
			if cells[i] == "" {
				cells[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	_ = tw.Flush()
	fmt.Fprintf(&b, "\n%d events in realm %s%s, newest first. 'authdoctor explain CODE' tells the fix.\n", len(l.Rows), l.Realm, sinceText(l.Since))
	return b.Bytes()
}

func sinceText(since time.Time) string {
	if since.IsZero() {
		return ""
	}
	return " since " + since.UTC().Format(time.RFC3339)
}

type jsonEventList struct {
	Realm  string         `json:"realm"`
	Since  string         `json:"since,omitempty"`
	Types  []string       `json:"types"`
	Events []jsonEventRow `json:"events"`
}

type jsonEventRow struct {
	jsonEvent
	Code        string `json:"code"`
	Explanation string `json:"explanation"`
}

func eventsJSON(l EventList) ([]byte, error) {
	doc := jsonEventList{Realm: l.Realm, Types: l.Types, Events: []jsonEventRow{}}
	if !l.Since.IsZero() {
		doc.Since = l.Since.UTC().Format(time.RFC3339)
	}
	for _, r := range l.Rows {
		doc.Events = append(doc.Events, jsonEventRow{jsonEvent: jsonEvents([]Event{r.Event})[0], Code: r.Code, Explanation: r.Explanation})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func eventsMarkdown(l EventList) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s events in realm %s\n\n", mdText(strings.Join(l.Types, ", ")), mdCode(l.Realm))
	if !l.Since.IsZero() {
		fmt.Fprintf(&b, "Since %s, newest first.\n\n", l.Since.UTC().Format(time.RFC3339))
	}
	if len(l.Rows) == 0 {
		b.WriteString("No events.\n")
		return []byte(b.String())
	}
	b.WriteString("| Time (UTC) | Type | Client | User | IP | Error | Explanation |\n|---|---|---|---|---|---|---|\n")
	for _, r := range l.Rows {
		explanation := mdCell(r.Explanation)
		if r.Code != "" {
			explanation = mdPipes(mdCode(r.Code)) + " " + explanation
		}
		cells := []string{r.Time.UTC().Format(time.RFC3339), r.Type, r.Client, r.User, r.IP, r.Error}
		for i, v := range cells {
			if v != "" {
				cells[i] = mdPipes(mdCode(v))
			}
		}
		b.WriteString("| " + strings.Join(append(cells, explanation), " | ") + " |\n")
	}
	return []byte(b.String())
}
