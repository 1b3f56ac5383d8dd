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
