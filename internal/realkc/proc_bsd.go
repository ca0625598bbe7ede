//go:build unix && !linux

package realkc

import "syscall"

// sysProcAttr: a process group, so Stop can signal kc.sh and java
// together. Outside Linux there is no parent-death signal: Stop, the
// interrupt handler and the watchdog (startWatchdog) end the server.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
