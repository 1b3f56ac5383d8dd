package main_test

// The module's -update flag (see internal/golden), so that go test ./... -update runs here.
import _ "github.com/neardup/neardup/internal/golden"
