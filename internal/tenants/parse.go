// Package tenants runs the diagnosis for many tenants at once (check
// --tenants): it reads the tenants file, makes each tenant's configuration
// from the run's settings, and runs the tenants with bounded concurrency
// over shared connections, into one report.Matrix.
package tenants

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/authdoctor/authdoctor/internal/config"
)

// MaxTenants bounds the file: more is a typo (a wrong file), not a platform.
const MaxTenants = 100_000

// Tenant is one line of the tenants file.
type Tenant struct {
	Line int    // 1-based line of the file
	Name string // the tenant as the file names it (id or realm), for the report
	// TenantID or Realm: the realm is Realm, or tenant-<TenantID>.
	TenantID, Realm string
	// From a CSV row; empty: the run's settings apply.
	ClientID        string
	ClientSecretEnv string // name of the environment variable holding the client secret
	Username        string
	PasswordEnv     string // name of the environment variable holding the password
	// UserColumn: the file has a username column, so an empty cell means
	// no user (the client-credentials grant), not the run's user.
	UserColumn bool
}

// The CSV columns. The secrets are never in the file: a column names the
// environment variable that holds one.
const (
	colTenant          = "tenant"
	colRealm           = "realm"
	colClientID        = "client_id"
	colClientSecretEnv = "client_secret_env"
	colUsername        = "username"
	colPasswordEnv     = "password_env"
)

func columns() []string {
	return []string{colTenant, colRealm, colClientID, colClientSecretEnv, colUsername, colPasswordEnv}
}

// secretColumns are headers that would put a secret in the file.
func secretColumns() map[string]string {
	return map[string]string{
		"client_secret": colClientSecretEnv, "secret": colClientSecretEnv, "clientsecret": colClientSecretEnv,
		"password": colPasswordEnv, "pass": colPasswordEnv, "passwd": colPasswordEnv,
	}
}

// Parse reads a tenants file, named label in messages: one tenant a line
// (a tenant id, or a realm name: one starting with "tenant-", or any name
// as realm=NAME), or CSV with a header line (columns of columns()). Lines
// starting with # and blank lines are ignored. Every problem is a
// *config.Error naming the line.
func Parse(label string, content []byte) ([]Tenant, error) {
	content = bytes.TrimPrefix(content, []byte("\ufeff")) // a BOM from a spreadsheet
	first := firstDataLine(content)
	var (
		list []Tenant
		err  error
	)
	if strings.Contains(first, ",") {
		list, err = parseCSV(label, content)
	} else {
		list, err = parseLines(label, content)
	}
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, bad(label, 0, "lists no tenant: give one tenant id or realm a line, or CSV with a header line")
	}
	if len(list) > MaxTenants {
		return nil, bad(label, 0, fmt.Sprintf("lists %d tenants, more than %d", len(list), MaxTenants))
	}
	return list, duplicates(label, list)
}

func bad(label string, line int, msg string) error {
	if line == 0 {
		return &config.Error{Msg: fmt.Sprintf("--tenants %s %s", label, msg)}
	}
	return &config.Error{Msg: fmt.Sprintf("--tenants %s line %d: %s", label, line, msg)}
}

func firstDataLine(content []byte) string {
	for _, l := range strings.Split(string(content), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

func parseLines(label string, content []byte) ([]Tenant, error) {
	var list []Tenant
	for i, l := range strings.Split(string(content), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		t := Tenant{Line: i + 1, Name: l}
		switch {
		case strings.HasPrefix(l, "realm="):
			t.Realm = strings.TrimPrefix(l, "realm=")
			t.Name = t.Realm
		case strings.HasPrefix(l, "tenant-"):
			t.Realm = l
		default:
			t.TenantID = l
		}
		if strings.ContainsFunc(t.Name, unicode.IsSpace) || t.Name == "" {
			return nil, bad(label, t.Line, "want one tenant id or realm name, without spaces (or CSV with a header line)")
		}
		if err := t.validRealm(label); err != nil {
			return nil, err
		}
		list = append(list, t)
	}
	return list, nil
}

func (t Tenant) validRealm(label string) error {
	_, err := config.TenantRealm(fmt.Sprintf("--tenants %s line %d:", label, t.Line), t.Realm, t.TenantID)
	return err
}

// RealmName is the tenant's realm.
func (t Tenant) RealmName() string {
	if t.Realm != "" {
		return t.Realm
	}
	return "tenant-" + t.TenantID
}

func parseCSV(label string, content []byte) ([]Tenant, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, bad(label, 1, "cannot read the CSV header: "+csvProblem(err))
	}
	headerLine, _ := r.FieldPos(0)
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if want, isSecret := secretColumns()[h]; isSecret {
			return nil, bad(label, headerLine, fmt.Sprintf("column %q would hold a secret in the file: secrets stay in environment variables; name the variable in a %q column", h, want))
		}
		if !slices.Contains(columns(), h) {
			return nil, bad(label, headerLine, fmt.Sprintf("unknown column %q: the columns are %s (a first line with a comma is the CSV header)", h, strings.Join(columns(), ", ")))
		}
		if _, dup := index[h]; dup {
			return nil, bad(label, headerLine, fmt.Sprintf("column %q appears twice", h))
		}
		index[h] = i
	}
	_, hasTenant := index[colTenant]
	_, hasRealm := index[colRealm]
	if !hasTenant && !hasRealm {
		return nil, bad(label, headerLine, `the header needs a "tenant" or a "realm" column`)
	}
	var list []Tenant
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos is only valid after a record was read: a
			// ParseError carries its own line.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, bad(label, line, csvProblem(err))
		}
		line, _ := r.FieldPos(0)
		get := func(col string) string {
			if i, ok := index[col]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		_, userColumn := index[colUsername]
		t := Tenant{Line: line, TenantID: get(colTenant), Realm: get(colRealm), ClientID: get(colClientID), Username: get(colUsername), UserColumn: userColumn}
		if t.TenantID == "" && t.Realm == "" {
			return nil, bad(label, line, "no tenant and no realm")
		}
		t.Name = t.TenantID
		if t.Name == "" {
			t.Name = t.Realm
		}
		if err := t.validRealm(label); err != nil {
			return nil, err
		}
		for _, ref := range []struct {
			col string
			dst *string
		}{{colClientSecretEnv, &t.ClientSecretEnv}, {colPasswordEnv, &t.PasswordEnv}} {
			v := get(ref.col)
			if v != "" && !envName.MatchString(v) {
				// Never quote it: a value that is no variable name is most
				// likely the secret itself.
				return nil, bad(label, line, fmt.Sprintf("%s is not the name of an environment variable (upper-case letters, digits and _): the file must not hold secrets; put the secret in a variable and name it here", ref.col))
			}
			*ref.dst = v
		}
		switch {
		case t.Username != "" && t.PasswordEnv == "":
			return nil, bad(label, line, "username without password_env: name the variable that holds the user's password")
		case t.Username == "" && t.PasswordEnv != "":
			return nil, bad(label, line, "password_env without username")
		}
		list = append(list, t)
	}
	return list, nil
}

// envName is an environment variable name by the POSIX convention. Lower
// case is refused on purpose: a message may then name the variable without
// risk of quoting a secret pasted in its place.
var envName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not valid CSV: " + pe.Err.Error()
	}
	return err.Error()
}

// duplicates refuses the same realm and client twice: the run would send
// that tenant's password twice, and count twice against brute-force
// protection.
func duplicates(label string, list []Tenant) error {
	seen := map[string]int{}
	for _, t := range list {
		key := t.RealmName() + "|" + t.ClientID + "|" + t.Username
		if prev, ok := seen[key]; ok {
			return bad(label, t.Line, fmt.Sprintf("realm %s is already listed on line %d with the same client and user: each tenant is checked once (one password attempt each)", t.RealmName(), prev))
		}
		seen[key] = t.Line
	}
	return nil
}
