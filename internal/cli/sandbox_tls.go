package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/shell"
)

// `authdoctor sandbox --tls` serves the sandbox over HTTPS with a CA made
// for the run, whose certificate is written to a file for --ca-file; a
// variant breaks the server's certificate, so that a new user can see each
// TLS code as a real server would cause it.

// tlsVariant is one kind of server certificate.
type tlsVariant struct {
	name, certificate string
	code              string // what check reports with --ca-file; "" when every check passes
}

var tlsVariants = []tlsVariant{
	{"valid", "issued by this run's CA for 127.0.0.1 and localhost, valid for a year", ""},
	{"expired", "issued by this run's CA, expired yesterday", "TLS_EXPIRED"},
	{"wrong-host", "issued by this run's CA for sandbox.invalid only, not for the host in the URL", "TLS_HOSTNAME_MISMATCH"},
	{"untrusted", "issued by another CA than the one in the CA file", "TLS_UNTRUSTED"},
	{"expiring", "issued by this run's CA, expires in 5 days", "TLS_EXPIRING_SOON"},
}

func tlsVariantNames() []string {
	var out []string
	for _, v := range tlsVariants {
		out = append(out, v.name)
	}
	return out
}

// tlsFlag is the value of --tls: a switch (--tls means valid) that also
// takes a variant (--tls=expired).
type tlsFlag struct{ variant string }

func (f *tlsFlag) String() string { return f.variant }

// IsBoolFlag lets --tls stand alone, as a switch.
func (f *tlsFlag) IsBoolFlag() bool { return true }

func (f *tlsFlag) Set(s string) error {
	switch b, err := strconv.ParseBool(s); {
	case err == nil && b:
		f.variant = "valid"
		return nil
	case err == nil:
		f.variant = ""
		return nil
	}
	for _, v := range tlsVariants {
		if v.name == s {
			f.variant = s
			return nil
		}
	}
	msg := "the variants are " + joinAnd(tlsVariantNames())
	if near := suggest(s, tlsVariantNames()); len(near) > 0 {
		msg += didYouMean(near)
	}
	return errors.New(msg)
}

// expiringIn is the lifetime left to the certificate of --tls=expiring:
// within the warning window of the tls check.
var expiringIn = min(5*24*time.Hour, httpx.ExpiryWarning/2)

// sandboxCertificate issues the server's certificate for the variant, and
// the CA to trust (the untrusted variant's certificate is from another).
func sandboxCertificate(variant string, hosts []string, now time.Time) (tls.Certificate, *fixtures.CA, error) {
	ca, err := fixtures.NewCA()
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	issuer := ca
	notBefore, notAfter := now.Add(-time.Hour), now.AddDate(1, 0, 0)
	switch variant {
	case "expired":
		notBefore, notAfter = now.AddDate(0, -2, 0), now.Add(-24*time.Hour)
	case "wrong-host":
		hosts = []string{"sandbox.invalid"}
	case "untrusted":
		if issuer, err = fixtures.NewCA(); err != nil {
			return tls.Certificate{}, nil, err
		}
	case "expiring":
		notAfter = now.Add(expiringIn)
	}
	cert, err := issuer.Issue(hosts, notBefore, notAfter)
	return cert, ca, err
}

// serveSandboxTLS serves the sandbox over HTTPS until ctx is done.
func (a *app) serveSandboxTLS(ctx context.Context, addr string, opts fixtures.Options, variant string) error {
	sb, err := fixtures.New(opts)
	if err != nil {
		return &usageError{msg: "sandbox: " + err.Error()}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &usageError{msg: "sandbox: " + err.Error()}
	}
	defer ln.Close()
	origin := dialable(ln.Addr())
	host, _, _ := net.SplitHostPort(origin)
	hosts := []string{"127.0.0.1", "localhost", "::1"}
	if host != "127.0.0.1" && host != "localhost" && host != "::1" {
		hosts = append(hosts, host)
	}
	cert, ca, err := sandboxCertificate(variant, hosts, time.Now())
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "authdoctor-sandbox-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, ca.CertPEM(), 0o644); err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           sb.Handler(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		// A broken certificate is the point: the refused handshakes are
		// the client's to report, not log lines here.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	defer srv.Close()

	guided := &fixtures.Server{URL: "https://" + origin + opts.RelativePath, GraphQLURL: "https://" + origin + "/v1/graphql", Sandbox: sb}
	var guide bytes.Buffer
	if err := fixtures.WriteGuide(&guide, guided); err != nil {
		return err
	}
	if _, err := io.WriteString(a.streams.Out, withTLSSection(guide.String(), tlsSection(variant, caFile))); err != nil {
		return err
	}
	fmt.Fprintf(a.streams.Out, "\nServing over HTTPS until interrupted (Ctrl-C). Every check needs --ca-file %s\n", shell.Quote(caFile))
	<-ctx.Done()
	return nil
}

// tlsSection says how the sandbox serves TLS and what to pass to check.
func tlsSection(variant, caFile string) string {
	var v tlsVariant
	for _, tv := range tlsVariants {
		if tv.name == variant {
			v = tv
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "TLS (--tls=%s): HTTPS with a certificate authority made for this run.\n", v.name)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  CA file\t%s (removed when the sandbox stops)\n", caFile)
	fmt.Fprintf(tw, "  certificate\t%s\n", v.certificate)
	if v.code == "" {
		fmt.Fprintf(tw, "  expect\twith --ca-file, each scenario below ends as it says\n")
	} else {
		fmt.Fprintf(tw, "  expect\tcheck tls reports %s for every account: nothing else runs\n", v.code)
	}
	_ = tw.Flush()
	fmt.Fprintf(&b, "  Pass the CA file to every check:  authdoctor check --ca-file %s\n", shell.Quote(caFile))
	fmt.Fprintf(&b, "  (or export AUTHDOCTOR_CA_FILE=%s)\n", shell.Quote(caFile))
	fmt.Fprintf(&b, "  The other certificates: authdoctor sandbox --tls=%s\n", strings.Join(tlsVariantNames(), "|"))
	return b.String()
}

// withTLSSection puts the TLS section after the guide's URLs (before its
// realms), or first when the guide has no such place.
func withTLSSection(guide, section string) string {
	const marker = "\nRealms\n"
	if i := strings.Index(guide, marker); i >= 0 {
		return guide[:i] + "\n" + section + guide[i:]
	}
	return section + "\n" + guide
}

// dialable turns a wildcard listen address into one a client can dial.
func dialable(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}
