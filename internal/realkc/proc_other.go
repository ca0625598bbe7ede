//go:build !unix

package realkc

import (
	"os"
	"os/exec"
	"syscall"
)

// kc.sh is a POSIX shell script; elsewhere the real-server tests skip.
const supported = false

func sysProcAttr() *syscall.SysProcAttr { return nil }

func killGroup(int, syscall.Signal) error { return errUnsupported }

func processGone(int) bool { return false }

func startWatchdog(int) (*exec.Cmd, *os.File, error) { return nil, nil, errUnsupported }

func lockFile(string) (func(), error) { return nil, errUnsupported }
