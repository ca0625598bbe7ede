package checks

import (
	"fmt"
	"slices"

	"github.com/authdoctor/authdoctor/checks/codes"
)

// Plan is the checks one run executes: the catalogue for its
// configuration, narrowed by --only and --skip.
type Plan struct {
	Checks []Check
	// Omitted are the checks --skip left out, with the reason a check
	// that needs one is skipped ("--skip credentials").
	Omitted map[codes.CheckID]string
	// Prerequisites are the checks --only added because a chosen check
	// Needs them, or runs Under them (their failure is its root cause).
	// They run and are reported like the chosen ones: a demanding CI user
	// wants the named check and everything it rests on verified.
	Prerequisites []codes.CheckID
}

// PlanFor is the plan of a run with this configuration. The ids in
// cfg.Only and cfg.Skip are known (see ValidateSelection).
func PlanFor(cfg *Config) Plan {
	catalogue := CatalogFor(cfg)
	p := Plan{Omitted: map[codes.CheckID]string{}}
	chosen := withPrerequisites(catalogue, cfg.Only)
	for _, c := range catalogue {
		switch {
		case slices.Contains(cfg.Skip, c.ID):
			p.Omitted[c.ID] = "--skip " + string(c.ID)
		case len(cfg.Only) > 0 && !chosen[c.ID]:
			// not asked for and needed by nothing asked for: left out
		default:
			p.Checks = append(p.Checks, c)
			if len(cfg.Only) > 0 && !slices.Contains(cfg.Only, c.ID) {
				p.Prerequisites = append(p.Prerequisites, c.ID)
			}
		}
	}
	return p
}

// withPrerequisites is the checks --only names and, transitively, those
// they Need or run Under; none when --only names none.
func withPrerequisites(catalogue []Check, only []codes.CheckID) map[codes.CheckID]bool {
	byID := map[codes.CheckID]Check{}
	for _, c := range catalogue {
		byID[c.ID] = c
	}
	chosen := map[codes.CheckID]bool{}
	var add func(id codes.CheckID)
	add = func(id codes.CheckID) {
		c, ok := byID[id]
		if !ok || chosen[id] {
			return
		}
		chosen[id] = true
		for _, dep := range append(slices.Clone(c.Needs), c.Under...) {
			add(dep)
		}
	}
	for _, id := range only {
		add(id)
	}
	return chosen
}

// ValidateSelection checks --only and --skip against the catalogue of a run
// with this configuration. unknown is called for an id that is no check;
// its error is returned as is (the command line adds "did you mean").
func ValidateSelection(cfg *Config, unknown func(flag string, id codes.CheckID) error) error {
	all := map[codes.CheckID]Check{}
	for _, c := range Catalog() {
		all[c.ID] = c
	}
	for _, sel := range []struct {
		flag string
		ids  []codes.CheckID
	}{{"--only", cfg.Only}, {"--skip", cfg.Skip}} {
		for _, id := range sel.ids {
			if _, ok := all[id]; !ok {
				return unknown(sel.flag, id)
			}
		}
	}
	for _, id := range cfg.Only {
		if slices.Contains(cfg.Skip, id) {
			return fmt.Errorf("--only %s and --skip %s: a check cannot be both chosen and left out", id, id)
		}
		if c := all[id]; c.When != nil && !c.When(cfg) {
			return fmt.Errorf("--only %s: the %s check is not part of this run: %s", id, id, c.WhenText)
		}
	}
	if len(PlanFor(cfg).Checks) == 0 {
		return fmt.Errorf("--only and --skip leave no check to run")
	}
	return nil
}

// IDs returns the ids of the checks, in their order.
func IDs(cs []Check) []codes.CheckID {
	ids := make([]codes.CheckID, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}
