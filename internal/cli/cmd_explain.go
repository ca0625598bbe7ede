package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// explainFormats are the formats of `authdoctor explain -o`: markdown is
// the page of docs/codes/.
var explainFormats = []string{"text", "markdown"}

func (a *app) explainCommand() *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "print what a code means and how to fix it; without CODE, list every code",
		UsageText: "authdoctor explain [-o text|markdown] [CODE]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "`FORMAT`: text, or markdown (the page of docs/codes/)"},
		},
		Action: func(c *cli.Context) error {
			format := strings.ToLower(strings.TrimSpace(c.String("output")))
			if format != "text" && format != "markdown" {
				return &usageError{msg: fmt.Sprintf("-o/--output %q: explain writes text or markdown", c.String("output"))}
			}
			args := c.Args().Slice()
			for _, arg := range args[min(1, len(args)):] {
				if strings.HasPrefix(arg, "-") {
					return &usageError{msg: fmt.Sprintf("%s after the code: flags go before it (authdoctor explain %s %s)", arg, strings.Join(args[1:], " "), args[0])}
				}
			}
			switch len(args) {
			case 0:
				if format == "markdown" {
					return codesIndex(a.streams.Out)
				}
				return listCodes(a.streams.Out)
			case 1:
				code, ok := codes.Lookup(args[0])
				if !ok {
					return &usageError{msg: unknownCode(args[0])}
				}
				if format == "markdown" {
					return explainMarkdown(a.streams.Out, code)
				}
				return explainCode(a.streams.Out, code)
			}
			return &usageError{msg: "explain takes at most one CODE"}
		},
	}
}

func listCodes(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tCHECK\tSEVERITY\tTITLE")
	for _, c := range checks.Codes() {
		if !c.Retired {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Check, c.Severity, c.Title)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nRun 'authdoctor explain CODE' for the meaning, the likely causes and the fix.")
	return err
}

func explainCode(w io.Writer, c *codes.Code) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  (check %s, severity %s)\n%s\n\n", c.ID, c.Check, c.Severity, c.Title)
	section := func(title, text string) {
		if text != "" {
			fmt.Fprintf(&b, "%s\n%s\n\n", title, indent(wrap(text, 76), "  "))
		}
	}
	section("What it means", c.Meaning)
	if len(c.Causes) > 0 {
		b.WriteString("Likely causes\n")
		for _, cause := range c.Causes {
			// A hanging indent keeps each cause readable as one item.
			lines := strings.Split(wrap(cause, 72), "\n")
			fmt.Fprintf(&b, "  - %s\n", strings.Join(lines, "\n    "))
		}
		b.WriteString("\n")
	}
	section("Fix", c.Fix)
	section("Where, in the Keycloak admin console", c.Console)
	if cmd := strings.Join(c.CommandLines(), "\n"); cmd != "" {
		// The template: a report shows these filled in with its run's values.
		fmt.Fprintf(&b, "Commands (a report fills in the placeholders with its run's values)\n%s\n\n", indent(cmd, "  "))
	}
	// A cause with a fix of its own: a report shows this one instead when
	// the check found that cause.
	for _, name := range c.CaseNames() {
		v := c.For(name)
		section("Fix when "+c.Cases[name].When, v.Fix)
		section("Where, in the Keycloak admin console, then", v.Console)
		if cmd := strings.Join(v.CommandLines(), "\n"); cmd != "" {
			fmt.Fprintf(&b, "Commands then\n%s\n\n", indent(cmd, "  "))
		}
	}
	fmt.Fprintf(&b, "Documentation\n  %s\n", c.DocURL())
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

func unknownCode(id string) string {
	want := strings.ToUpper(id)
	var all []string
	for _, c := range checks.Codes() {
		all = append(all, c.ID)
	}
	near := suggest(want, all) // a typo: TLS_EXPRIED
	if len(near) == 0 {
		// Another word for the same thing: INVALID_PASSWORD.
		for _, c := range checks.Codes() {
			for _, part := range strings.Split(want, "_") {
				if len(part) >= 3 && strings.Contains(c.ID, part) {
					near = append(near, c.ID)
					break
				}
			}
		}
		sort.Strings(near)
	}
	msg := fmt.Sprintf("unknown code %q", id)
	if len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return msg + " ('authdoctor explain' lists every code)"
}

// wrap is report.WrapText as one string, so explain wraps as the reports do.
func wrap(text string, width int) string { return strings.Join(report.WrapText(text, width), "\n") }

func indent(text, prefix string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
