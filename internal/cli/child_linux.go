package cli

import (
	"os/exec"
	"syscall"
)

// childAttr makes the child get SIGTERM when the supervisor dies, even by SIGKILL, so that
// it removes its temporary files and stops instead of writing on unwatched.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

// killedBy reports the signal that ended the child, if one did.
func killedBy(err error) (syscall.Signal, bool) {
	var exit *exec.ExitError
	if e, ok := err.(*exec.ExitError); ok {
		exit = e
	}
	if exit == nil {
		return 0, false
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal(), true
	}
	return 0, false
}
