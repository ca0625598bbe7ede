package codes

// Codes that belong to no single check: a request left unanswered and a bug that stopped a check (any check), and the run's deadline (the runner).

// The two places that report codes outside one check.
const (
	CheckAny    CheckID = "any"    // any check: a request left unanswered, or a bug that stopped it
	CheckRunner CheckID = "runner" // the runner: the run's deadline
)

var AnswerTimeout = define(&Code{
	ID:       "ANSWER_TIMEOUT",
	Check:    CheckAny,
	Severity: Fail,
	Title:    "The server took the request but did not answer before the deadline",
	Meaning: `The connection was open and the whole request was sent, but no answer came back before the run's deadline (--timeout, default 30s). ` +
		`The host is reachable, so this is not a network or URL problem: the server (Keycloak, or the GraphQL server) is slow or stuck on this request. ` +
		`The message names the request and how long authdoctor waited; checks that had not started yet are reported as TIMEOUT.`,
	Causes: []string{
		"Token endpoint: user federation (LDAP, Active Directory, Kerberos) that Keycloak cannot reach, so each login waits for the LDAP connection timeout.",
		"Token endpoint: password hashing under heavy load or on a small CPU quota (Keycloak 24 made the default password hashing much costlier; its upgrading notes discuss the CPU impact).",
		"Keycloak still starting, or its database slow or out of connections.",
		"GraphQL: the server's database or an upstream (remote schema, action handler) does not answer.",
		"A proxy that holds the request without forwarding it (its upstream is down and it waits for its own timeout).",
	},
	Fix: steps(
		"Replay the request by hand to time it: authdoctor -v prints it as a curl command; add -w 'total %{time_total}s\\n' to it.",
		"Look at the server's log at the time of the run: Keycloak logs LDAP connection timeouts and slow database queries with the request.",
		"If user federation is configured, test its connection: Keycloak admin console, User federation > provider > Test connection.",
		"If the server is just slow, raise --timeout, and look at its CPU and database.",
	),
	Console: `User federation > <provider> > Connection and authentication settings > Test connection`,
	Command: `curl -s -o /dev/null -w 'connect %{time_connect}s  first byte %{time_starttransfer}s  total %{time_total}s\n' -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>`,
})

var InternalError = define(&Code{
	ID:       "INTERNAL_ERROR",
	Check:    CheckAny,
	Severity: Fail,
	Title:    "authdoctor stopped this check on a bug of its own",
	Meaning: `The check ran into a programming error in authdoctor (a Go panic) and was stopped; nothing is known about what it was checking. ` +
		`The run went on: the other checks ran (those that need this one are skipped) and every report was written. ` +
		`No server answer, however odd, should cause this, so it is always a bug in authdoctor, never a problem of your configuration. ` +
		`The message and the details (panic, at) say what went wrong and where in authdoctor's source.`,
	Causes: []string{
		"An answer authdoctor did not foresee (a value of a type, size or shape it was not written for) reached code that assumed otherwise.",
		"A defect in a new or changed check.",
	},
	Fix: steps(
		"Report it: open an issue in authdoctor's repository with the authdoctor version (authdoctor --version), the command you ran, and this check's message and details (panic, at). A JSON report (--report r.json) has all of them and never contains a secret.",
		"If you can, add the output of the same command with -v: it shows the server's answers, with passwords and tokens redacted. Check it before you attach it: values you did not pass as a setting or with --secret are not known to be secret.",
		"Meanwhile, the other checks' results stand; run the failed check's request by hand with the curl command -v prints.",
	),
})

var Timeout = define(&Code{
	ID:       "TIMEOUT",
	Check:    CheckRunner,
	Severity: Fail,
	Title:    "Run deadline (--timeout) expired before this check could start",
	Meaning: `--timeout is a deadline for the whole run (default 30s); it expired before this check's turn, so the check did not run and nothing is known about it. ` +
		`A request still in flight at the deadline is reported on its own check: ANSWER_TIMEOUT when it had been sent and the server did not answer, UNREACHABLE ("timeout: ...") when no connection could be opened.`,
	Causes: []string{
		"Earlier checks used up the deadline: Keycloak starting up or overloaded, slow LDAP/user federation, slow database, or a slow GraphQL server.",
		"Packets are dropped silently (firewall) instead of refused, so connections hang until the deadline.",
		"--timeout is too short for this network path and the number of checks.",
	},
	Fix: steps(
		"Look at the durations of the earlier checks in the report, and time the slow request with curl -w (connect, first byte, total).",
		"Run again with a larger --timeout.",
		"If Keycloak is slow, check its log and resource usage.",
	),
	Command: `curl -s -o /dev/null -w 'connect %{time_connect}s  tls %{time_appconnect}s  total %{time_total}s\n' $KEYCLOAK_URL/realms/tenant-<id>`,
})
