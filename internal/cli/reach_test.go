package cli

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/realkc"
	"github.com/authdoctor/authdoctor/report"
)

// notReproducible lists the codes no test can reach through the CLI with a
// faithful server, each with the reason. Every other code in the registry
// must be reported by at least one end-to-end test (TestMain checks it).
var notReproducible = map[*codes.Code]string{
	codes.GraphQLNoIntrospec: "Hasura's answer to introspection disabled for a role is documented nowhere we could verify " +
		"(hasura/graphql-engine#8348 and #10879 report that disabled_for_roles has no effect), so the sandbox does not invent one; " +
		"checks/check_graphql_test.go covers the classification",
}

// reached records, across the whole test binary, which codes the CLI runs
// of the tests reported.
var reached = struct {
	sync.Mutex
	codes map[string]int
}{codes: map[string]int{}}

func recordCodes(rep report.Report) {
	reached.Lock()
	defer reached.Unlock()
	for _, c := range rep.Checks {
		if c.Code != "" {
			reached.codes[c.Code]++
		}
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(childSwitch) != "" {
		os.Exit(childMain()) // the signal tests' subprocess: see childMain
	}
	flag.Parse()
	// This binary's signal tests signal their own process; realkc's
	// handler must not take that for an interrupt.
	realkc.CatchSignals = false
	code := m.Run()
	realkc.StopAll() // no Keycloak outlives the test binary
	if code == 0 && wholeSuiteRan() {
		missing, excusedButReached := reachability()
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: no end-to-end test reaches these codes (add a scenario, or list them in notReproducible with the reason):\n  %s\n", strings.Join(missing, "\n  "))
			code = 1
		}
		if len(excusedButReached) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: listed in notReproducible, yet a test reaches them (remove them from the list):\n  %s\n", strings.Join(excusedButReached, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

// wholeSuiteRan: the reachability check means something only when no test
// was filtered out.
func wholeSuiteRan() bool {
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// reachability compares the codes reached with the registry.
func reachability() (missing, excusedButReached []string) {
	reached.Lock()
	defer reached.Unlock()
	for _, c := range codes.All() {
		_, excused := notReproducible[c]
		switch n := reached.codes[c.ID]; {
		case n == 0 && !excused:
			missing = append(missing, c.ID)
		case n > 0 && excused:
			excusedButReached = append(excusedButReached, c.ID)
		}
	}
	sort.Strings(missing)
	sort.Strings(excusedButReached)
	return missing, excusedButReached
}
