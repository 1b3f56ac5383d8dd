package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode"
)

// A memory budget is what a run may use of the machine: --memory, else defaultMemoryShare of
// what the machine (or the control group it runs in) has. The address-space limit of the
// process (ulimit -v, prlimit --as) bounds it too: Go reserves about 1.3 GiB of address space
// by the time the files are read (see heapRoom), so only what is left above that can hold data.
//
// A scan holds texts and spills its state within the budget, so the default is a small
// share: 1/16 of 24 GiB keeps a 1 GB corpus under 2 GB. A run whose fixed part needs more
// than the budget (slogan mining's tables, about 10 bytes per byte of text) may still take up to
// ceilingMemoryShare of the machine without a --memory that says otherwise.
const (
	defaultMemoryShare = 1.0 / 16
	defaultShareText   = "1/16"
	ceilingMemoryShare = 0.75
)

// budget is a memory budget and where it comes from, for messages.
type budget struct {
	bytes  int64
	source string // "--memory 500MiB", "1/16 of the machine's 23.5 GiB", ...
	// ceiling is the most a run that needs more than bytes may take: bytes itself for a
	// --memory, ceilingMemoryShare of the machine for the default.
	ceiling sizeFrom
}

// sizeFrom is a size and where it comes from.
type sizeFrom struct {
	bytes  int64
	source string
}

// parseSize reads a size such as 500MiB, 2G, 1.5GB or 800000000. K, M, G, T and KiB, MiB,
// GiB, TiB are powers of 1024; KB, MB, GB, TB powers of 1000; a bare number is bytes.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) {
		return 0, fmt.Errorf("--memory %q: want a size such as 500MiB or 2GiB", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
		"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
		"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
	}[strings.ToLower(unit)]
	if mult == 0 {
		return 0, fmt.Errorf("--memory %q: unknown unit %q: use KiB, MiB, GiB (or KB, MB, GB)", s, unit)
	}
	if v*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("--memory %q: too large", s)
	}
	return int64(v * mult), nil
}

// formatSize prints n bytes for a person: 1.5 GiB, 500 MiB.
func formatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (n+1023)>>10)
}

// memoryBudget is the budget of a run: flag ("" when --memory was not given) or the default.
func memoryBudget(flag string) (budget, error) {
	if flag != "" {
		n, err := parseSize(flag)
		if err != nil {
			return budget{}, err
		}
		src := "--memory " + flag
		return budget{n, src, sizeFrom{n, src}}, nil
	}
	total, what := machineMemory()
	if total <= 0 {
		return budget{math.MaxInt64, "no known limit", sizeFrom{math.MaxInt64, "no known limit"}}, nil
	}
	return budget{
		int64(float64(total) * defaultMemoryShare), fmt.Sprintf("%s of the %s of %s; set it with --memory", defaultShareText, formatSize(total), what),
		sizeFrom{int64(float64(total) * ceilingMemoryShare), fmt.Sprintf("3/4 of the %s of %s; set a budget with --memory", formatSize(total), what)},
	}, nil
}

// machineMemory is the memory this process can have: the machine's, or less when a control
// group limits it.
func machineMemory() (int64, string) {
	total, what := int64(0), ""
	if kb := meminfo("MemTotal"); kb > 0 {
		total, what = kb<<10, "the machine"
	}
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			total, what = n, "the control group"
		}
	}
	return total, what
}

// meminfo reads a field of /proc/meminfo, in KiB; 0 when unknown.
func meminfo(field string) int64 {
	return procField("/proc/meminfo", field)
}

// procField reads "Field:   123 kB" from a /proc file; 0 when unknown.
func procField(file, field string) int64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		return n
	}
	return 0
}

// heapRoom is how much heap the budget leaves for data: the budget itself, or less when the
// address-space limit leaves less above what the process has already mapped. Most of what
// is mapped then is reserved, not used (Go's page summaries, arenas, thread stacks: about
// 1.3 GiB once the files are read), and the heap grows by about what it holds (measured on
// xinwenlianbo: 1364 MiB mapped before the analysis, 1531 MiB at the peak, for 170 MiB
// estimated), so what is left above the mapping is the room.
func heapRoom(b sizeFrom) sizeFrom {
	limit, ok := addressSpaceLimit()
	if !ok {
		return b
	}
	mapped := procField("/proc/self/status", "VmSize") << 10
	if room := limit - mapped; room < b.bytes {
		return sizeFrom{max(room, 0), fmt.Sprintf("what the address-space limit of %s (ulimit -v) leaves above the %s mapped already", formatSize(limit), formatSize(mapped))}
	}
	return b
}

// errNeedsMemory says that a run would need more memory than its budget.
type errNeedsMemory struct {
	need, text int64
	room       sizeFrom
}

func (e *errNeedsMemory) Error() string {
	return fmt.Sprintf("out of memory: the analysis of %s of text needs about %s, more than the memory budget of %s (%s)",
		formatSize(e.text), formatSize(e.need), formatSize(e.room.bytes), e.room.source)
}

// memoryHint says what to do about a run that needs more memory than it has.
const memoryHint = "raise the budget (--memory, ulimit -v) or scan fewer files at once"

// applyBudget checks the memory a run cannot do without (floor bytes for text bytes of
// text) against what it may take (the budget's ceiling) before the work starts, and makes
// the collector keep the heap within the budget. A default budget gives way to what the
// run is expected to hold (expect), up to its ceiling: a limit under the live heap would
// keep the collector running. It returns the budget the run is to keep to (0 for no bound)
// and a func that restores the previous limit.
func applyBudget(b budget, floor, expect, text int64) (room int64, restore func(), err error) {
	ceiling := heapRoom(b.ceiling)
	if floor > ceiling.bytes {
		return 0, func() {}, &errNeedsMemory{need: floor, text: text, room: ceiling}
	}
	r := heapRoom(sizeFrom{b.bytes, b.source})
	if r.bytes == math.MaxInt64 {
		return 0, func() {}, nil
	}
	limit := min(max(r.bytes, expect+expect/4), ceiling.bytes)
	prev := debug.SetMemoryLimit(-1)
	if limit < prev {
		debug.SetMemoryLimit(limit)
	}
	return r.bytes, func() { debug.SetMemoryLimit(prev) }, nil
}
