// Command authdoctor diagnoses API authentication against Keycloak and the
// GraphQL API behind it. This file only connects the process to the CLI in
// internal/cli: the diagnosis lives in checks/, the output in report/.
package main

import (
	"context"
	"os"

	"github.com/authdoctor/authdoctor/internal/cli"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

func main() {
	ctx, stop := cli.Interruptible(context.Background())
	code := cli.Main(ctx, os.Args, iostreams.System(), cli.Environ(os.Environ()), ".")
	stop()
	os.Exit(code)
}
