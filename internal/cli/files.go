package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// Size limits of the files authdoctor reads. A .env file is a few hundred
// bytes and a CA bundle a few hundred kilobytes: anything much larger is a
// mistake, refused before it is read into memory.
const (
	maxDotEnvSize = 1 << 20 // 1 MiB
	maxCAFileSize = 8 << 20 // 8 MiB
)

// deadlineError is a configuration file still unread when the run's
// --timeout expired: the run's clock starts before any file is read.
type deadlineError struct{ timeout time.Duration }

func (e deadlineError) Error() string {
	return fmt.Sprintf("not read within the run's --timeout of %v (is it on a stalled file system?)", e.timeout)
}

// readRegularFile reads the regular file at path, refusing anything else
// before reading it: a FIFO blocks until a writer comes, a device such as
// /dev/zero never ends, a directory is not a file. It is checked before it is
// opened, and again once open; the open is non-blocking, so a FIFO swapped in
// between cannot block it. A file larger than limit is refused without
// being read. Errors are *fs.PathError whose Err never quotes the file.
func readRegularFile(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, osError(path, err)
	}
	if err := usable(path, st, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, osError(path, err)
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, osError(path, err)
	}
	if err := usable(path, st, limit); err != nil {
		return nil, err
	}
	// The size is known: one allocation, and one byte more than the limit
	// to notice a file that grew since.
	var buf bytes.Buffer
	buf.Grow(int(min(st.Size(), limit)) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, osError(path, err)
	}
	if int64(buf.Len()) > limit {
		return nil, tooLarge(path, limit)
	}
	return buf.Bytes(), nil
}

// usable refuses what is not a regular file, or is over the limit.
func usable(path string, st fs.FileInfo, limit int64) error {
	if kind := notRegular(st.Mode()); kind != "" {
		return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%s, not a regular file", kind)}
	}
	if st.Size() > limit {
		return tooLarge(path, limit)
	}
	return nil
}

func tooLarge(path string, limit int64) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("larger than %s, far more than such a file needs", sizeText(limit))}
}

func sizeText(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// notRegular names what a file is when it is not a regular file; "" for a
// regular file.
func notRegular(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// osError keeps the reason of an os error ("no such file or directory") with
// the path, as an *fs.PathError.
func osError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fs.PathError{Op: "read", Path: path, Err: err}
}

// readWithin reads a configuration file in its own goroutine, so that
// neither a signal nor the run's deadline (ctx's, from timeout) waits for a
// file system that does not answer. On a signal it returns the signal's
// cause; on the deadline an *fs.PathError with a deadlineError.
func (a *app) readWithin(ctx context.Context, timeout time.Duration, path string, limit int64) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1) // the goroutine never blocks on it, even when abandoned
	go func() {
		b, err := a.readConfigFile(path, limit)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		if in, ok := interruption(ctx); ok {
			return nil, in
		}
		return nil, &fs.PathError{Op: "read", Path: path, Err: deadlineError{timeout}}
	}
}

// fileProblem is the reason of a file error, for a message that names the
// setting and the path itself.
func fileProblem(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
