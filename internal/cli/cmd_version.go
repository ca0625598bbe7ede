package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
)

// versionFormats are the formats of `authdoctor version -o`.
var versionFormats = []string{"text", "json"}

// buildInfo is what `authdoctor version` says: the release, and what the
// Go toolchain recorded in the binary (runtime/debug.ReadBuildInfo). A
// field the build did not record is empty: `go install …@version` records
// the module version but no commit; a build from a checkout records the
// commit (vcs.revision, vcs.time, vcs.modified) unless -buildvcs=false.
type buildInfo struct {
	Version       string `json:"version"`        // the release, as reports carry it
	Module        string `json:"module"`         // the main module's path
	ModuleVersion string `json:"module_version"` // v1.2.3, a pseudo-version, or (devel) for a build from a checkout
	Commit        string `json:"commit"`         // vcs.revision
	BuildDate     string `json:"build_date"`     // vcs.time: the commit's time, so a build is reproducible
	Modified      bool   `json:"modified"`       // vcs.modified: built with uncommitted changes
	GoVersion     string `json:"go_version"`
	Platform      string `json:"platform"` // GOOS/GOARCH
}

// readBuild reads the binary's build information.
func (a *app) readBuild() buildInfo {
	bi := buildInfo{Version: version, Platform: runtime.GOOS + "/" + runtime.GOARCH, GoVersion: runtime.Version()}
	read := a.buildInfo
	if read == nil {
		read = debug.ReadBuildInfo
	}
	info, ok := read()
	if !ok || info == nil {
		return bi
	}
	bi.Module, bi.ModuleVersion = info.Main.Path, info.Main.Version
	if info.GoVersion != "" {
		bi.GoVersion = info.GoVersion
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			bi.Commit = s.Value
		case "vcs.time":
			bi.BuildDate = s.Value
		case "vcs.modified":
			bi.Modified = s.Value == "true"
		}
	}
	return bi
}

func (a *app) versionCommand() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print the version, the commit and the build date (from the Go build information)",
		UsageText: "authdoctor version [-o text|json]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "`FORMAT`: text or json"},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return &usageError{msg: fmt.Sprintf("unexpected argument %q: version takes flags only", c.Args().First())}
			}
			format := strings.ToLower(strings.TrimSpace(c.String("output")))
			if format != "text" && format != "json" {
				return &usageError{msg: fmt.Sprintf("-o/--output %q: the version is written as text or json", c.String("output"))}
			}
			return writeVersion(a.streams.Out, a.readBuild(), format)
		},
	}
}

func writeVersion(w io.Writer, bi buildInfo, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(bi)
	}
	fmt.Fprintf(w, "authdoctor %s\n", bi.Version)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	module := bi.Module
	if module == "" {
		module = "unknown (built without module information)"
	} else if bi.ModuleVersion != "" {
		module += " " + bi.ModuleVersion
	}
	fmt.Fprintf(tw, "  module\t%s\n", module)
	commit := bi.Commit
	switch {
	case commit == "":
		commit = "unknown (not recorded: go install …@version, or -buildvcs=false)"
	case bi.Modified:
		commit += " (with uncommitted changes)"
	}
	fmt.Fprintf(tw, "  commit\t%s\n", commit)
	if bi.BuildDate != "" {
		fmt.Fprintf(tw, "  build date\t%s (the commit's time)\n", bi.BuildDate)
	} else {
		fmt.Fprintf(tw, "  build date\tunknown\n")
	}
	fmt.Fprintf(tw, "  go\t%s %s\n", bi.GoVersion, bi.Platform)
	return tw.Flush()
}
