package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/internal/serve"
	"github.com/authdoctor/authdoctor/internal/tenants"
	"github.com/authdoctor/authdoctor/report"
)

// serveShutdown bounds the HTTP server's graceful stop.
const serveShutdown = 5 * time.Second

func (a *app) serveCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "listen", Value: "127.0.0.1:9464", Usage: "`ADDR`: address of the metrics endpoint (/metrics, /report.json, /report.md, /healthz)"},
		&cli.StringFlag{Name: "interval", Value: "60s", Usage: "`DURATION`: time between the starts of two rounds of checks (a password is sent at most once per interval)"},
	}
	return &cli.Command{
		Name:      "serve",
		Usage:     "run the checks on a schedule and expose Prometheus metrics",
		UsageText: "authdoctor serve [--listen ADDR] [--interval DURATION] [check flags, or --tenants FILE]",
		Description: "Takes every setting of check (or --tenants FILE). Rounds never overlap; SIGTERM or Ctrl-C stops the " +
			"server cleanly (exit 0). --timeout bounds each tenant's run.",
		Flags: append(flags, settingFlags(config.Settings())...),
		Action: func(c *cli.Context) error {
			start := time.Now()
			if c.Args().Present() {
				return &usageError{msg: fmt.Sprintf("unexpected argument %q: serve takes flags only", c.Args().First())}
			}
			interval, err := time.ParseDuration(c.String("interval"))
			if err != nil || interval <= 0 {
				return &usageError{msg: fmt.Sprintf("--interval %q: want a positive duration such as 60s or 5m", c.String("interval"))}
			}
			cfg, err := a.loadConfig(c, start, config.Load)
			if err != nil {
				return err
			}
			return a.serve(c, start, cfg, c.String("listen"), interval)
		},
	}
}

// serve runs the rounds and the HTTP server until the context ends.
func (a *app) serve(c *cli.Context, start time.Time, cfg *checks.Config, listen string, interval time.Duration) error {
	list := []tenants.Tenant{{Name: cfg.Realm, Realm: cfg.Realm, Line: 1}}
	cfgs := []*checks.Config{cfg}
	if cfg.TenantsFile != "" {
		var err error
		if list, cfgs, err = a.loadTenants(c, start, cfg); err != nil {
			return err
		}
	} else {
		cfg.Parallel = 1
	}
	secrets := tenantSecrets(cfg, cfgs)
	errOut := redact.NewWriter(a.streams.ErrOut, secrets)
	defer func() { _ = errOut.Flush() }()
	opts := a.tenantOptions(cfg, errOut)
	rounds := (len(list) + cfg.Parallel - 1) / cfg.Parallel
	round := func(ctx context.Context) report.Matrix {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(rounds+1)*cfg.Timeout)
		defer cancel()
		m := tenants.Run(ctx, cfg, list, cfgs, opts)
		if a.onMatrix != nil {
			a.onMatrix(m)
		}
		return m
	}
	render := func(f report.Format, m report.Matrix) ([]byte, error) {
		var raw, out bytes.Buffer
		if err := report.RenderMatrix(&raw, f, m, report.Options{}); err != nil {
			return nil, err
		}
		w := redact.NewWriter(&out, secrets)
		if _, err := w.Write(raw.Bytes()); err != nil {
			return nil, err
		}
		err := w.Flush()
		return out.Bytes(), err
	}
	srv := serve.New(round, render, interval)

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return &usageError{msg: fmt.Sprintf("--listen %s: %v", listen, err)}
	}
	httpSrv := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- httpSrv.Serve(ln) }()
	fmt.Fprintf(errOut, "authdoctor: serving http://%s/metrics; checking %d tenant(s) every %s\n", ln.Addr(), len(list), interval)
	_ = errOut.Flush()
	if a.onListen != nil {
		a.onListen(ln.Addr().String())
	}

	ctx := c.Context
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Run(ctx)
	}()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serveShutdown)
	defer cancel()
	_ = httpSrv.Shutdown(shutdownCtx)
	<-done // a round in progress ends with the context
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	// A signal is how a server stops: exit 0.
	a.finished = true
	return nil
}
