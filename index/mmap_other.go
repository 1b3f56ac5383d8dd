//go:build !unix

package index

import "os"

// mapFile reads file: no mapping here.
func mapFile(file string) ([]byte, error) { return os.ReadFile(file) }
