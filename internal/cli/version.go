package cli

import (
	"runtime/debug"
	"strings"
)

// version says which neardup this is, from the build information Go records: the module
// version when installed with go install (a tag or a pseudo-version), else the commit a
// build from a checkout was made at.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "neardup (unknown version)"
	}
	v := info.Main.Version
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		v = "devel " + rev[:min(12, len(rev))] + modified
	}
	if v == "" {
		v = "(devel)"
	}
	return strings.Join([]string{"neardup", v, info.GoVersion}, " ")
}
