//go:build unix

package realkc

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

const supported = true

// killGroup signals every process of the group led by pid (kc.sh and the
// java it starts). A group already gone is not an error.
func killGroup(pid int, sig syscall.Signal) error {
	err := syscall.Kill(-pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// watchdogScript waits for end of file on its standard input, a pipe whose
// only writer is this test binary, so the read returns when the binary
// ends, however it ends (killed, panicked, timed out; Stop kills the
// watchdog first). It then sends TERM to the server's whole process group
// every second while any of it is left, and KILL after 15 s. Signalling
// the group reaches java itself, not only kc.sh; signalling again covers a
// TERM that is lost: one that reaches a child between fork and exec (it
// still runs the shell's trap handler), or dash, the /bin/sh that runs
// kc.sh on Debian, while it waits for java (dash lost 2 to 5 in 100 with a
// stand-in script here, and its trap then never forwards the signal).
const watchdogScript = `read -r _
i=0
while kill -s TERM -- "-$1" 2>/dev/null; do
  i=$((i + 1))
  if [ "$i" -ge 15 ]; then kill -s KILL -- "-$1" 2>/dev/null; exit 0; fi
  sleep 1
done
exit 0`

// startWatchdog starts the watchdog of process group pgid, in a group of
// its own (a Ctrl-C to the terminal's group must not end it first), and
// returns it with the write end of its pipe. The pipe is close-on-exec, so
// no other child inherits it.
func startWatchdog(pgid int) (*exec.Cmd, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	wd := exec.Command("/bin/sh", "-c", watchdogScript, "realkc-watchdog", strconv.Itoa(pgid))
	wd.Stdin = r
	wd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := wd.Start(); err != nil {
		w.Close()
		return nil, nil, err
	}
	go func() { _ = wd.Wait() }() // reaps it, whenever it ends
	return wd, w, nil
}

// processGone: no process has this pid.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// lockFile takes an exclusive lock on path, creating it, so that two test
// binaries do not fetch or unpack the same version at once.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
