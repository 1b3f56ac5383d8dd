package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// newFlagSet makes a flag set whose errors come back to the caller instead of exiting, and
// whose usage is the hand-written text of the command.
func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return fs
}

// parseFlags parses args. When it returns done, the command must return code: -h printed the
// usage to stdout (exit 0), or the flags were wrong and the error was printed (exit 2).
func parseFlags(env *Env, fs *pflag.FlagSet, usage string, args []string) (done bool, code int) {
	err := fs.Parse(args)
	if err == nil {
		return false, 0
	}
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprint(env.Stdout, usage)
		return true, exitOK
	}
	errorf(env, "%s: %s", fs.Name(), flagError(err))
	if name := unknownFlag(err); name != "" {
		var names []string
		fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		if s := suggest(name, names); s != "" {
			hintf(env, "did you mean --%s?", s)
		}
	}
	hintf(env, `run "neardup %s -h" for usage`, fs.Name())
	return true, exitUsage
}

// flagError says in plain words what is wrong with the flags: no Go parse errors.
func flagError(err error) string {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	var unknown *pflag.NotExistError
	switch {
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		v := invalid.GetValue()
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Sprintf("--%s %s is out of range", f.Name, v)
		}
		switch f.Value.Type() {
		case "int", "int64":
			return fmt.Sprintf("--%s takes a whole number, not %q", f.Name, v)
		case "float64":
			return fmt.Sprintf("--%s takes a number such as 0.5, not %q", f.Name, v)
		case "bool":
			return fmt.Sprintf("--%s takes no value (or true or false), not %q", f.Name, v)
		}
		return fmt.Sprintf("--%s: %q is not a value it takes", f.Name, v)
	case errors.As(err, &missing):
		return fmt.Sprintf("--%s needs a value", missing.GetFlag().Name)
	case errors.As(err, &unknown):
		if unknown.GetSpecifiedShortnames() != "" {
			return fmt.Sprintf("unknown flag -%c", unknown.GetSpecifiedName()[0])
		}
		return fmt.Sprintf("unknown flag --%s", unknown.GetSpecifiedName())
	}
	return err.Error()
}

// unknownFlag is the long name of a flag the command does not have, or "".
func unknownFlag(err error) string {
	var unknown *pflag.NotExistError
	if errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() == "" {
		return unknown.GetSpecifiedName()
	}
	return ""
}

// suggest returns the name among names that the user most likely meant by a mistyped one: the
// nearest by edit distance, within a third of its length (at least 1, at most 3), or the
// only name that it begins; "" when none is near. Ties go to the first name.
func suggest(typed string, names []string) string {
	best, bestDist := "", min(3, max(1, len([]rune(typed))/3))+1
	var prefixed []string
	for _, n := range names {
		if d := editDistance(typed, n); d < bestDist {
			best, bestDist = n, d
		}
		if typed != "" && strings.HasPrefix(n, typed) {
			prefixed = append(prefixed, n)
		}
	}
	if best == "" && len(prefixed) == 1 {
		return prefixed[0]
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, counted in runes; an exchange of two
// neighbouring runes counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
