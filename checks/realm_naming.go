package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/safego"
)

// tenantPrefix is what the realm of a tenant is named with: tenant-<id>.
const tenantPrefix = "tenant-"

// maxRealmGuesses bounds the requests spent on naming a missing realm's
// cause: each is one GET of a realm's public info.
const maxRealmGuesses = 4

// realmGuess is a realm name that a likely mistake would have missed, with
// the code that names the mistake and the exact setting that fixes it.
type realmGuess struct {
	realm string
	code  *codes.Code
	set   string // e.g. "TENANT_ID=abc" or "--realm tenant-abc (KEYCLOAK_REALM=tenant-abc)"
	why   string // the mistake, for the message
}

// realmGuesses lists, most likely first, the realms the usual naming
// mistakes point to when cfg.Realm does not exist: a tenant id given with
// its tenant- prefix, a realm name given as the tenant id or the other way
// round, and a difference in case (Keycloak's realm names are
// case-sensitive). At most maxRealmGuesses, none equal to cfg.Realm.
func realmGuesses(cfg *Config) []realmGuess {
	var out []realmGuess
	add := func(g realmGuess) {
		if g.realm == "" || g.realm == cfg.Realm || len(out) == maxRealmGuesses {
			return
		}
		for _, o := range out {
			if o.realm == g.realm {
				return
			}
		}
		out = append(out, g)
	}
	realmFlag := func(r string) string { return fmt.Sprintf("--realm %s (KEYCLOAK_REALM=%s)", r, r) }
	if cfg.RealmFromTenant {
		t := cfg.TenantID
		if rest, ok := cutPrefixFold(t, tenantPrefix); ok && rest != "" {
			why := fmt.Sprintf("TENANT_ID %q already starts with %q, which authdoctor adds", t, tenantPrefix)
			add(realmGuess{tenantPrefix + rest, codes.TenantPrefixDoubled, "TENANT_ID=" + rest, why})
			add(realmGuess{tenantPrefix + strings.ToLower(rest), codes.TenantPrefixDoubled, "TENANT_ID=" + strings.ToLower(rest), why + ", and its case differs"})
		} else {
			add(realmGuess{t, codes.RealmGivenAsTenantID, realmFlag(t), fmt.Sprintf("TENANT_ID %q is the name of a realm, not a tenant id", t)})
		}
		add(realmGuess{strings.ToLower(cfg.Realm), codes.RealmNameCase, "TENANT_ID=" + strings.ToLower(strings.TrimPrefix(cfg.Realm, tenantPrefix)),
			"realm names are case-sensitive and the tenant's realm is in lower case"})
		return out
	}
	r := cfg.Realm
	if rest, ok := cutPrefixFold(r, tenantPrefix+tenantPrefix); ok && rest != "" {
		why := fmt.Sprintf("the realm %q has the %q prefix twice", r, tenantPrefix)
		add(realmGuess{tenantPrefix + rest, codes.TenantPrefixDoubled, realmFlag(tenantPrefix + rest), why})
		add(realmGuess{tenantPrefix + strings.ToLower(rest), codes.TenantPrefixDoubled, realmFlag(tenantPrefix + strings.ToLower(rest)), why + ", and its case differs"})
	} else if _, ok := cutPrefixFold(r, tenantPrefix); !ok {
		why := fmt.Sprintf("%q is a tenant id, and the tenant's realm is named %s<id>", r, tenantPrefix)
		add(realmGuess{tenantPrefix + r, codes.TenantIDGivenAsRealm, realmFlag(tenantPrefix+r) + ", or TENANT_ID=" + r + " without --realm", why})
	}
	add(realmGuess{strings.ToLower(r), codes.RealmNameCase, realmFlag(strings.ToLower(r)), "realm names are case-sensitive"})
	if _, ok := cutPrefixFold(r, tenantPrefix); !ok {
		add(realmGuess{tenantPrefix + strings.ToLower(r), codes.TenantIDGivenAsRealm, realmFlag(tenantPrefix + strings.ToLower(r)),
			fmt.Sprintf("%q is a tenant id in the wrong case, and the tenant's realm is named %s<id>", r, tenantPrefix)})
	}
	return out
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// nameMissingRealm asks the server, side by side and within the run's
// deadline, which of the guessed realms exist, and names the mistake of the
// most likely one that does. It returns notFound unchanged when none does
// (or none could be asked): the realm may simply not exist.
func nameMissingRealm(ctx context.Context, facts *Facts, notFound Result) Result {
	guesses := realmGuesses(facts.Config)
	exists := make([]bool, len(guesses))
	waits := make([]func(), len(guesses))
	for i, g := range guesses {
		waits[i] = safego.Go(func() { exists[i], _ = facts.Keycloak.RealmExists(ctx, g.realm) })
	}
	for _, wait := range waits {
		wait()
	}
	for i, g := range guesses {
		if !exists[i] {
			continue
		}
		r := found(g.code, fmt.Sprintf("realm %s does not exist, but %s does: %s", facts.Config.Realm, g.realm, g.why))
		r.Hint = fmt.Sprintf("Set %s.", g.set)
		r.Details = map[string]any{"realm": facts.Config.Realm, "existing_realm": g.realm, "set": g.set}
		for k, v := range notFound.Details {
			if _, ok := r.Details[k]; !ok {
				r.Details[k] = v
			}
		}
		return r
	}
	return notFound
}
