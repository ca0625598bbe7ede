package realkc

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// preparedMarker is written into a distribution once its first start has
// built it for start-dev and left a database template (see prepare).
const preparedMarker = ".authdoctor-prepared"

// Template admin: the prepared database holds this master-realm admin, so
// every server started from it has the same one. Loopback-only test server.
const (
	adminUser     = "admin"
	adminPassword = "authdoctor-admin"
)

// Timings are the measured steps of getting one server (zero when a step
// was not needed, e.g. the distribution was already in the cache).
type Timings struct {
	Fetch, Unpack, Prepare, Start, Import time.Duration
}

func (t Timings) String() string {
	r := func(d time.Duration) string { return d.Round(100 * time.Millisecond).String() }
	return fmt.Sprintf("fetch %s, unpack %s, prepare %s, start %s, import %s",
		r(t.Fetch), r(t.Unpack), r(t.Prepare), r(t.Start), r(t.Import))
}

// errUnavailable marks a failure to get Keycloak at all (no java, no mvn,
// the fetch failed): in ModeAuto the tests then skip instead of failing.
type errUnavailable struct{ err error }

func (e errUnavailable) Error() string { return e.err.Error() }
func (e errUnavailable) Unwrap() error { return e.err }

// ensureDist makes sure the cache holds version unpacked and prepared, and
// returns its directory. Two test binaries may call it at once: a file lock
// serialises them.
func ensureDist(ctx context.Context, cache, version string, tm *Timings) (string, error) {
	dir := distDir(cache, version)
	if os.Getenv("JAVA_HOME") == "" {
		// kc.sh runs $JAVA_HOME/bin/java, else java from PATH: without
		// either, a prepared cache cannot be started.
		if _, err := exec.LookPath("java"); err != nil {
			return "", errUnavailable{fmt.Errorf("java not found on PATH")}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, preparedMarker)); err == nil {
		return dir, nil
	}
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", errUnavailable{fmt.Errorf("%s not found on PATH", tool)}
		}
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", errUnavailable{err}
	}
	unlock, err := lockFile(filepath.Join(cache, "keycloak-"+version+".lock"))
	if err != nil {
		return "", errUnavailable{err}
	}
	defer unlock()
	if _, err := os.Stat(filepath.Join(dir, preparedMarker)); err == nil {
		return dir, nil // another binary did it while we waited
	}
	// Leftovers of an interrupted fetch or unpack of this version.
	stale, _ := filepath.Glob(filepath.Join(cache, ".*-"+version+"-*"))
	for _, s := range stale {
		_ = os.RemoveAll(s)
	}
	zipPath := distZip(cache, version)
	if _, err := os.Stat(zipPath); err != nil {
		start := time.Now()
		if err := fetch(ctx, cache, version); err != nil {
			return "", errUnavailable{err}
		}
		tm.Fetch = time.Since(start)
	}
	if _, err := os.Stat(dir); err != nil {
		start := time.Now()
		if err := unpack(zipPath, cache, version); err != nil {
			return "", err
		}
		tm.Unpack = time.Since(start)
	}
	start := time.Now()
	if err := prepare(ctx, dir, version); err != nil {
		return "", err
	}
	tm.Prepare = time.Since(start)
	return dir, nil
}

// fetch copies the distribution zip from Maven Central with Maven's own
// client. It lands in a temporary directory first, so an interrupted fetch
// never leaves a truncated zip under the final name.
func fetch(ctx context.Context, cache, version string) error {
	tmp, err := os.MkdirTemp(cache, ".fetch-"+version+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "mvn", "-q", "-B", "dependency:copy",
		"-Dartifact=org.keycloak:keycloak-quarkus-dist:"+version+":zip", "-DoutputDirectory="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("mvn dependency:copy of keycloak-quarkus-dist %s: %v: %s", version, err, lastLines(string(out), 5))
	}
	return os.Rename(filepath.Join(tmp, filepath.Base(distZip(cache, version))), distZip(cache, version))
}

// unpack extracts the zip into a temporary directory and renames its
// top-level keycloak-<version> folder into place, so a half-unpacked tree
// is never seen under the final name.
func unpack(zipPath, cache, version string) error {
	tmp, err := os.MkdirTemp(cache, ".unpack-"+version+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := unzip(zipPath, tmp); err != nil {
		return fmt.Errorf("unpacking %s: %w", zipPath, err)
	}
	return os.Rename(filepath.Join(tmp, "keycloak-"+version), distDir(cache, version))
}

func unzip(zipPath, dest string) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		name := filepath.FromSlash(f.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("unsafe path %q in zip", f.Name)
		}
		target := filepath.Join(dest, name)
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := extractFile(f, target); err != nil {
			return err
		}
	}
	return nil
}

func extractFile(f *zip.File, target string) error {
	src, err := f.Open()
	if err != nil {
		return err
	}
	defer src.Close()
	mode := f.Mode().Perm() | 0o600
	dst, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// prepare starts the fresh distribution once, in place, and stops it. The
// first start-dev "augments" the server for development mode (about 40 s
// here; Keycloak's docs/guides/server/configuration.adoc, "Optimize the
// Keycloak startup") and creates the dev-file H2 database under data/ with
// the master realm and the bootstrap admin. Every later server copies that
// data/ as a template and starts in about a third of the time.
func prepare(ctx context.Context, dir, version string) error {
	_ = os.RemoveAll(filepath.Join(dir, "data"))
	srv, err := launch(ctx, dir, version)
	if err != nil {
		return fmt.Errorf("first start of Keycloak %s (build for start-dev): %w", version, err)
	}
	if err := srv.proc.stop(stopGrace); err != nil {
		return err
	}
	for _, leftover := range []string{"tmp", "import", "transaction-logs"} {
		_ = os.RemoveAll(filepath.Join(dir, "data", leftover))
	}
	traces, _ := filepath.Glob(filepath.Join(dir, "data", "h2", "*.trace.db"))
	for _, t := range traces {
		_ = os.Remove(t)
	}
	return os.WriteFile(filepath.Join(dir, preparedMarker), []byte(version+"\n"), 0o644)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// copyDir copies a small directory tree (the database template).
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return errors.New("unexpected non-file in template: " + path)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
