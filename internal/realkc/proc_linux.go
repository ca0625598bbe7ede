package realkc

import "syscall"

// sysProcAttr puts kc.sh in its own process group (so Stop can signal it
// and the java it starts together) and asks the kernel to send it SIGTERM
// when its parent dies, so a killed test binary takes Keycloak with it:
// kc.sh traps TERM and passes it on to java (bin/kc.sh in the
// distribution). Pdeathsig fires when the creating OS thread exits, which
// is why startProcess forks from a goroutine locked to its thread. kc.sh
// may lose that TERM (see watchdogScript): the watchdog signals the whole
// group as well.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
