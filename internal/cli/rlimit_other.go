//go:build !unix

package cli

// addressSpaceLimit: no such limit here.
func addressSpaceLimit() (int64, bool) { return 0, false }
