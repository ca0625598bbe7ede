package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"

	"github.com/authdoctor/authdoctor/report"
)

// reportFile is a --report file. The report is written to a temporary file
// in the same directory, created before the run so that a path that cannot
// be written is bad input (exit 2) found before any request, and renamed
// over the path only once complete: an interrupted or failed run leaves the
// file that was there before as it was, and no temporary file.
type reportFile struct {
	path   string // as given, for messages
	target string // where the report goes: the path, through symbolic links
	format report.Format
	tmp    *os.File
	done   bool // renamed into place, or removed
}

// openReports creates the temporary file of every --report path; on failure
// it removes the ones it created and names the path that failed.
func (a *app) openReports(paths []string) ([]*reportFile, error) {
	var files []*reportFile
	for _, path := range paths {
		format, _ := report.FormatForFile(path)
		full := path
		if !filepath.IsAbs(full) {
			full = filepath.Join(a.workDir, full)
		}
		rf, err := createReport(full)
		if err != nil {
			discardReports(files)
			return nil, &usageError{msg: fmt.Sprintf("--report %s: cannot write it (%v)", path, err)}
		}
		rf.path, rf.format = path, format
		files = append(files, rf)
	}
	return files, nil
}

// createReport checks that the report can go to path and creates its
// temporary file.
func createReport(path string) (*reportFile, error) {
	target, st, err := reportTarget(path)
	if err != nil {
		return nil, err
	}
	var perm fs.FileMode
	if st != nil {
		if kind := notRegular(st.Mode()); kind != "" {
			return nil, fmt.Errorf("%s, not a regular file", kind)
		}
		// The file is replaced, not written through; a file that could not
		// be written in place is still refused. Non-blocking: a FIFO
		// swapped in since cannot block the open.
		f, err := os.OpenFile(target, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return nil, fileProblem(err)
		}
		_ = f.Close()
		perm = st.Mode().Perm()
	}
	dir := filepath.Dir(target)
	tmp, err := createTemp(dir, filepath.Base(target))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fileProblem(err)
		}
		return nil, fmt.Errorf("%v: the report is written to a temporary file in %s first", fileProblem(err), dir)
	}
	rf := &reportFile{target: target, tmp: tmp}
	if perm != 0 {
		// The replacement keeps the previous file's permissions.
		if err := tmp.Chmod(perm); err != nil {
			rf.discard()
			return nil, fileProblem(err)
		}
	}
	return rf, nil
}

// reportTarget follows path's symbolic links, as opening it would, to the
// file the report replaces; st is that file, nil when there is none yet.
func reportTarget(path string) (target string, st fs.FileInfo, err error) {
	for range 40 {
		st, err := os.Lstat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return path, nil, nil
		case err != nil:
			return "", nil, fileProblem(err)
		case st.Mode()&fs.ModeSymlink == 0:
			return path, st, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", nil, fileProblem(err)
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", nil, errors.New("too many levels of symbolic links")
}

// createTemp creates ".NAME.RANDOM.tmp" in dir with the permissions
// os.Create gives (0666 less the umask), and registers it in pendingTemps.
func createTemp(dir, name string) (*os.File, error) {
	for range 100 {
		path := filepath.Join(dir, "."+name+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		if !pendingTemps.add(path) {
			return nil, errors.New("the process is stopping")
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			return f, nil
		}
		pendingTemps.forget(path)
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return nil, errors.New("no free temporary file name")
}

// commit renames the complete report into place.
func (rf *reportFile) commit() error {
	err := rf.tmp.Sync()
	if cerr := rf.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = pendingTemps.rename(rf.tmp.Name(), rf.target)
	}
	if err != nil {
		rf.discard()
		return err
	}
	rf.done = true
	return nil
}

// discard removes the temporary file, unless it is already renamed.
func (rf *reportFile) discard() {
	if rf.done {
		return
	}
	rf.done = true
	_ = rf.tmp.Close()
	_ = os.Remove(rf.tmp.Name())
	pendingTemps.forget(rf.tmp.Name())
}

func discardReports(files []*reportFile) {
	for _, rf := range files {
		rf.discard()
	}
}

// pendingTemps are the temporary report files of the runs in progress. A
// second signal ends the process at once, without waiting for the run: it
// removes them first (removeAll), so that not even then is one left behind.
var pendingTemps = &tempFiles{paths: map[string]bool{}}

type tempFiles struct {
	mu       sync.Mutex
	paths    map[string]bool
	stopping bool // removeAll ran: no more temporary files
}

// add registers path before it is created; false once the process stops.
func (t *tempFiles) add(path string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopping {
		return false
	}
	t.paths[path] = true
	return true
}

func (t *tempFiles) forget(path string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.paths, path)
}

// rename moves a temporary file into place; under the lock, so that removeAll
// sees it either before or after, never half-way.
func (t *tempFiles) rename(tmp, target string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopping {
		return errors.New("the process is stopping")
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	delete(t.paths, tmp)
	return nil
}

// removeAll removes every registered temporary file and refuses new ones.
func (t *tempFiles) removeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopping = true
	for path := range t.paths {
		_ = os.Remove(path)
		delete(t.paths, path)
	}
}
