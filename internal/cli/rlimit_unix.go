//go:build unix

package cli

import "golang.org/x/sys/unix"

// addressSpaceLimit is the RLIMIT_AS of the process, when it has one.
func addressSpaceLimit() (int64, bool) {
	var r unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_AS, &r); err != nil || r.Cur == unix.RLIM_INFINITY || r.Cur > 1<<62 {
		return 0, false
	}
	return int64(r.Cur), true
}
