package report

import (
	"fmt"
	"strings"
	"time"
)

// renderMarkdown writes a report meant to be pasted into a ticket as is and
// understood by someone who was not there: the verdict, the table of checks,
// one section per problem with its documentation inline, and the environment
// (settings with their sources, never a secret's value).
func renderMarkdown(r Report) ([]byte, error) {
	var doc mdBlocks
	doc.add(mdVerdict(r))
	if r.ExitCode != 0 && r.ExitReason != "" {
		doc.add(fmt.Sprintf("**Exit code %d:** %s", r.ExitCode, mdText(r.ExitReason)))
	}
	doc.add(mdChecksTable(r.Checks))
	for _, c := range attention(r) {
		writeMarkdownProblem(&doc, c, r.policyNote(c))
	}
	writeMarkdownEnvironment(&doc, r)
	return []byte(doc.String()), nil
}

// mdBlocks collects Markdown blocks (paragraphs, lists, tables, fences) and
// separates them by exactly one blank line, which every Markdown dialect
// needs between blocks and none renders twice.
type mdBlocks struct {
	blocks []string
}

func (d *mdBlocks) add(block string) {
	d.blocks = append(d.blocks, strings.TrimRight(block, "\n"))
}

func (d *mdBlocks) String() string {
	return strings.Join(d.blocks, "\n\n") + "\n"
}

// mdVerdict is the line a support engineer reads first, e.g.
// **authdoctor: 1 check failed** (credentials: INVALID_USER_CREDENTIALS)
// against realm `tenant-acme` at https://sso.example.com
func mdVerdict(r Report) string {
	s := r.Summary
	var outcome string
	switch {
	case s.Failed > 0:
		outcome = plural(s.Failed, "check", "checks") + " failed"
		if s.Warned > 0 {
			outcome += ", " + plural(s.Warned, "warning", "warnings")
		}
	case r.FailedByPolicy():
		outcome = "failed by policy (" + r.Policy.flag("") + ")"
	case s.Warned > 0:
		outcome = "passed with " + plural(s.Warned, "warning", "warnings")
	case s.Passed > 1 && s.Skipped == 0:
		outcome = fmt.Sprintf("all %d checks passed", s.Passed)
	case s.Passed+s.Skipped == 0:
		outcome = "no checks ran"
	default:
		outcome = plural(s.Passed, "check", "checks") + " passed"
		if s.Skipped > 0 {
			outcome += fmt.Sprintf(", %d skipped", s.Skipped)
		}
	}
	line := fmt.Sprintf("**%s: %s**", toolName(r), outcome)

	var found []string
	for _, c := range attention(r) {
		if c.Code != "" && c.ConsequenceOf == nil {
			found = append(found, c.ID+": "+c.Code)
		}
	}
	if len(found) > 0 {
		line += " (" + strings.Join(found, ", ") + ")"
	}
	if r.Target.Realm != "" {
		line += " against realm " + mdCode(r.Target.Realm)
	}
	if r.Target.KeycloakURL != "" {
		line += " at " + mdText(r.Target.KeycloakURL)
	}
	return line
}

func mdChecksTable(checks []CheckResult) string {
	var b strings.Builder
	b.WriteString("| Check | Status | Code | Message |\n")
	b.WriteString("| --- | --- | --- | --- |\n")
	for _, c := range checks {
		status := statusWord(c.Status)
		if needsAttention(c) {
			status = "**" + status + "**"
		}
		msg := mdCell(c.Message)
		if note := consequenceNote(c); note != "" && needsAttention(c) {
			msg = mdCell(note) + ": " + msg
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n",
			mdCell(c.ID), status, mdPipes(mdCode(c.Code)), msg)
	}
	return b.String()
}

// writeMarkdownProblem writes one warning or failure: what was observed,
// what to do, the link to the code's page, the evidence, and the code's
// documentation, so that the ticket needs no link to be understood.
//
// policy, when not empty, says that this warning or skip failed the run.
func writeMarkdownProblem(doc *mdBlocks, c CheckResult, policy string) {
	heading := statusWord(c.Status) + " " + c.ID
	if c.Code != "" {
		heading += ": " + c.Code
	}
	for _, note := range []string{consequenceNote(c), policy} {
		if note != "" {
			heading += " (" + note + ")"
		}
	}
	doc.add("### " + mdText(heading))
	if c.Title != "" {
		doc.add("**Check:** " + mdText(c.Title))
	}
	if c.Message != "" {
		doc.add("**Observed:** " + mdText(c.Message))
	}
	fix, cmds, console := c.Fix, c.Commands, c.Console
	if fix == "" && c.Doc != nil {
		fix = c.Doc.Fix
	}
	if cf := consequenceFix(c); cf != "" {
		// The cause's fix is the one to follow; this code's own commands
		// and console path are about causes it rules out.
		fix, cmds, console = cf, nil, ""
	}
	if fix != "" {
		for _, block := range mdFixBlocks(fix) {
			doc.add(block)
		}
	}
	if lines := commandLines(cmds); len(lines) > 0 {
		cmds := strings.Join(lines, "\n")
		fence := mdFence(cmds)
		doc.add("**Commands:**")
		doc.add(fence + "sh\n" + cmds + "\n" + fence)
	}
	if console != "" {
		doc.add("**Admin console:**")
		doc.add(mdConsoleList(console))
	}
	if url := docURL(c); url != "" {
		doc.add("**Docs:** " + mdLink(url))
	}
	if ds := sortedDetails(c.Details); len(ds) > 0 {
		doc.add("**Details:**")
		var list strings.Builder
		for _, d := range ds {
			list.WriteString("- " + mdCode(d.Key) + ": " + mdCode(d.Value) + "\n")
		}
		doc.add(list.String())
	}
	if len(c.Events) > 0 {
		doc.add("**Server events** (newest first):")
		var t strings.Builder
		t.WriteString("| Time (UTC) | Type | Client | User | IP | Error | Details |\n|---|---|---|---|---|---|---|\n")
		for _, e := range c.Events {
			cells := []string{e.Time.UTC().Format(time.RFC3339), e.Type, e.Client, e.User, e.IP, e.Error, eventDetails(e)}
			for i, v := range cells {
				if v != "" {
					cells[i] = mdPipes(mdCode(v))
				}
			}
			t.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
		doc.add(t.String())
	}
	if c.Doc != nil {
		d := *c.Doc
		// The result shows them filled in for this run; the templates
		// would only repeat them with placeholders.
		if len(c.Commands) > 0 || c.ConsequenceOf != nil {
			d.Command = ""
		}
		if c.Console != "" || c.ConsequenceOf != nil {
			d.Console = ""
		}
		writeMarkdownDoc(doc, d)
	}
}

// writeMarkdownDoc writes the registry's documentation of a code, the same
// text `authdoctor explain CODE` prints.
func writeMarkdownDoc(doc *mdBlocks, d CodeDoc) {
	heading := "About " + d.Code
	if d.Title != "" {
		heading += ": " + d.Title
	}
	doc.add("#### " + mdText(heading))
	if d.Meaning != "" {
		doc.add(mdText(d.Meaning))
	}
	if len(d.Causes) > 0 {
		doc.add("Likely causes:")
		var list strings.Builder
		for _, cause := range d.Causes {
			list.WriteString("- " + mdText(oneLine(cause)) + "\n")
		}
		doc.add(list.String())
	}
	if d.Console != "" {
		// One console path per line in the registry: a list keeps them apart.
		doc.add("Where to change it in the admin console:")
		doc.add(mdConsoleList(d.Console))
	}
	if d.Command != "" {
		fence := mdFence(d.Command)
		doc.add("Command:")
		doc.add(fence + "sh\n" + strings.TrimRight(d.Command, "\n") + "\n" + fence)
	}
}

func writeMarkdownEnvironment(doc *mdBlocks, r Report) {
	e, t := r.Environment, r.Target
	doc.add("## Environment")
	items := []struct{ name, value string }{
		{toolName(r) + " version", mdCode(e.Version)},
		{"OS/arch", mdCode(e.OS + "/" + e.Arch)},
		{"Go version", mdCode(e.GoVersion)},
		{"Time (UTC)", e.Time.UTC().Format(time.RFC3339)},
		{"Keycloak URL", mdText(t.KeycloakURL)},
		{"Realm", mdCode(t.Realm)},
		{"Client ID", mdCode(t.ClientID)},
		{"Grant", mdCode(t.Grant)},
		{"GraphQL URL", mdText(t.GraphQLURL)},
	}
	if r.Duration > 0 {
		items = append(items, struct{ name, value string }{"Run time", shortDuration(r.Duration)})
	}
	var list strings.Builder
	for _, it := range items {
		value := it.value
		if value == "" {
			value = "not set"
		}
		list.WriteString("- " + it.name + ": " + value + "\n")
	}
	doc.add(list.String())
	if len(e.Settings) == 0 {
		return
	}
	var table strings.Builder
	table.WriteString("| Setting | Variable | Source | Value |\n")
	table.WriteString("| --- | --- | --- | --- |\n")
	for _, s := range e.Settings {
		fmt.Fprintf(&table, "| %s | %s | %s | %s |\n",
			mdPipes(mdCode(s.Name)), mdPipes(mdCode(s.EnvVar)), mdCell(s.Source), settingValueCell(s))
	}
	doc.add(table.String())
}

// settingValueCell shows a setting's value, except for a secret: there it
// says only whether one was given. The value field is not even read for a
// secret, so a model filled in by mistake still cannot leak into a ticket.
func settingValueCell(s Setting) string {
	unset := s.Source == "unset"
	switch {
	case s.Secret && unset:
		return "not set"
	case s.Secret:
		return "set (hidden)"
	case s.Value != "":
		return mdPipes(mdCode(s.Value))
	case unset:
		return "not set"
	default:
		return "(empty)"
	}
}

// mdConsoleList is one list item per console path (one per line).
func mdConsoleList(console string) string {
	var list strings.Builder
	for _, path := range strings.Split(strings.TrimSpace(console), "\n") {
		list.WriteString("- " + mdText(strings.TrimSpace(path)) + "\n")
	}
	return list.String()
}
