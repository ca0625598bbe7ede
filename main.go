// Command authdoctor diagnoses API authentication against Keycloak and the
// GraphQL API behind it. This file and the cmd_*.go files are CLI wiring
// only: the diagnosis lives in checks/, the output in report/.
package main

import (
	"context"
	"os"

	"github.com/authdoctor/authdoctor/report"
)

func main() {
	ctx, stop := interruptible(context.Background())
	code := newApp(report.System(), environ(os.Environ()), ".").run(ctx, os.Args)
	stop()
	os.Exit(code)
}
