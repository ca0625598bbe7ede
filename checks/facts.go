package checks

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// Facts is what the checks of one diagnosis share: its input and
// collaborators, and what each check found for the checks after it. Each
// fact is written by exactly one check and read only by checks that Need
// it, so the runner's ordering makes every access race-free without locks.
type Facts struct {
	Config    *Config
	Transport *httpx.Transport
	Keycloak  *keycloak.Client
	Now       func() time.Time

	// GraphQLTLS is the GraphQL host's TLS failure, if any. Written by tls.
	GraphQLTLS *httpx.Problem
	// Realm is the realm's public info and discovery document. Written by realm.
	Realm *keycloak.RealmInfo
	// Tokens is the granted token set. Written by credentials.
	Tokens *keycloak.Tokens

	// admin is shared by every check that reads the admin API.
	admin adminSession
	// outcome is set by the Runner: see Outcome.
	outcome func(id codes.CheckID) (report.Status, *codes.Code)
}

// Outcome returns the status and code another check of this run ended
// with, waiting until it is done: a check uses it to mark its own result
// as a consequence of that finding (Result.Because). It returns ("", nil)
// when that check is not in this run (--only, --skip, When) or outside a
// Runner (a unit test calling a check's Func). Never ask for a check that
// Needs, directly or not, the asking check: both would wait forever.
func (f *Facts) Outcome(id codes.CheckID) (report.Status, *codes.Code) {
	if f == nil || f.outcome == nil {
		return "", nil
	}
	return f.outcome(id)
}

// adminSession is the run's one login to the admin API, made on first use
// by whichever check needs it first (events, or a failed check refining its
// diagnosis), so the admin password is sent at most once per run.
type adminSession struct {
	once    sync.Once
	admin   *keycloak.Admin
	problem *httpx.Problem
}

// AdminSession returns the admin API session, logging in on first use. It
// is nil, with a nil problem, when no admin access was given.
func (f *Facts) AdminSession(ctx context.Context) (*keycloak.Admin, *httpx.Problem) {
	if !f.Config.Admin.IsSet() {
		return nil, nil
	}
	f.admin.once.Do(func() {
		if u, err := url.Parse(f.Config.KeycloakURL); err == nil && u.Scheme == "http" && !httpx.IsLoopback(u.Hostname()) && !f.Config.AllowPlainHTTP {
			f.admin.problem = &httpx.Problem{Code: codes.PlainHTTPBlocked, Message: fmt.Sprintf(
				"admin login not sent: %s is plain http:// to %s, which is not this machine, and the request would carry the admin credentials", f.Config.KeycloakURL, u.Hostname())}
			return
		}
		f.admin.admin, f.admin.problem = f.Keycloak.LoginAdmin(ctx, f.Config.Admin)
	})
	return f.admin.admin, f.admin.problem
}
