package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is written by the redraw goroutine and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestBar(t *testing.T) {
	tests := []struct {
		name      string
		delay     time.Duration
		total     int
		wantShown bool
	}{
		{"shown at once with no delay", 0, 10, true},
		{"spinner shown at once with no delay", 0, -1, true},
		{"finished before the delay prints nothing", time.Hour, 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out lockedBuffer
			b := start(&out, tt.total, "reading", tt.delay)
			for range 4 {
				b.Add(1)
			}
			if tt.wantShown {
				if !strings.Contains(out.String(), "reading") {
					t.Errorf("bar not drawn before Finish; output %q", out.String())
				}
				if n := b.shown.State().CurrentNum; tt.total > 0 && n != 4 {
					t.Errorf("bar counts %d steps, want 4", n)
				}
			}
			b.Finish()
			b.Finish() // a second call must do nothing
			got := out.String()
			if tt.wantShown != (got != "") {
				t.Errorf("output %q, want shown=%v", got, tt.wantShown)
			}
		})
	}
}

func TestDisabledBarIsSilent(t *testing.T) {
	var out lockedBuffer
	b := New(&out, false, 10, "reading")
	if b != nil {
		t.Fatalf("New(enabled=false) = %v, want nil", b)
	}
	b.Add(3) // methods of a nil bar do nothing
	b.Finish()
	if out.String() != "" {
		t.Errorf("disabled bar wrote %q", out.String())
	}
}

func TestReportNamesEachStage(t *testing.T) {
	var out lockedBuffer
	b := start(&out, -1, "scanning", 0)
	b.Report("reading files", 3, 10)
	if n := b.shown.State().CurrentNum; n != 3 {
		t.Errorf("reading files: bar at %d, want 3", n)
	}
	b.Report("reading files", 2, 10) // late report from another goroutine: no step back
	if n := b.shown.State().CurrentNum; n != 3 {
		t.Errorf("bar went back to %d", n)
	}
	b.Report("comparing documents", 5, 200)
	if n, max := b.shown.State().CurrentNum, b.shown.GetMax(); n != 5 || max != 200 {
		t.Errorf("comparing documents: bar at %d of %d, want 5 of 200", n, max)
	}
	b.Report("mining slogans", 0, -1)
	b.Finish()
	b.Report("after the end", 1, 2) // ignored
	got := out.String()
	// Counts are checked above: the bar throttles redraws, so not every count is drawn.
	for _, want := range []string{"reading files", "(0/10)", "comparing documents", "(0/200)", "mining slogans"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q: %q", want, got)
		}
	}
	if strings.Contains(got, "after the end") {
		t.Errorf("a report after Finish was drawn: %q", got)
	}
}

func TestReportBeforeTheDelay(t *testing.T) {
	var out lockedBuffer
	b := start(&out, -1, "scanning", time.Hour)
	b.Report("reading files", 3, 10)
	b.Report("comparing documents", 1, 2)
	b.Finish()
	if out.String() != "" {
		t.Errorf("a run shorter than the delay printed %q", out.String())
	}
	var nilBar *Bar
	nilBar.Report("x", 1, 2) // does nothing
}
