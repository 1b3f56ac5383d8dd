// Package progress shows a progress bar on a terminal for work that takes long enough to
// wonder about. A run that ends within Delay prints nothing, so short runs and pre-commit
// hooks stay quiet; the bar is cleared when the work is done, so it never mixes with the
// report. Work in stages (files read, documents compared) names each stage on the bar
// through Report, which moves the bar to that stage and its count.
package progress

import (
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Delay is how long work runs before its bar appears.
const Delay = time.Second

// refresh is how often a shown bar is redrawn even when no step completed, so that a
// spinner (unknown total) keeps turning through a long stage.
const refresh = 150 * time.Millisecond

// Bar counts completed steps. A nil *Bar is valid and does nothing: callers make one with
// New when the output is a terminal and pass nil otherwise. Methods are safe for concurrent
// use.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	desc  string
	done  int
	shown *progressbar.ProgressBar // nil until Delay has passed
	// started is set once Delay has passed: from then on a new stage is drawn at once.
	started bool
	over    bool
	stop    chan struct{}
	wg      sync.WaitGroup
}

// New starts a bar of total steps (-1 when the total is unknown: a spinner) labelled desc,
// drawn on w once Delay has passed. It returns nil when enabled is false.
func New(w io.Writer, enabled bool, total int, desc string) *Bar {
	if !enabled {
		return nil
	}
	return start(w, total, desc, Delay)
}

func start(w io.Writer, total int, desc string, delay time.Duration) *Bar {
	b := &Bar{w: w, total: total, desc: desc, stop: make(chan struct{})}
	if delay <= 0 {
		b.show()
	}
	b.wg.Go(func() {
		wait := time.NewTimer(delay)
		defer wait.Stop()
		select {
		case <-b.stop:
			return
		case <-wait.C:
		}
		b.mu.Lock()
		b.show()
		b.mu.Unlock()
		tick := time.NewTicker(refresh)
		defer tick.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-tick.C:
				b.mu.Lock()
				if !b.over && b.shown != nil {
					_ = b.shown.Add(0)
				}
				b.mu.Unlock()
			}
		}
	})
	return b
}

// show draws the bar with the steps done so far; b.mu is held or b is not shared yet.
func (b *Bar) show() {
	b.started = true
	if b.shown != nil || b.over {
		return
	}
	b.shown = progressbar.NewOptions(b.total,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(b.desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(refresh/2),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)
	if b.done > 0 {
		_ = b.shown.Set(b.done)
	}
}

// Report moves the bar to stage, with done of total steps (total -1: unknown, a spinner).
// A new stage starts a new bar with its own count and clock. Within a stage the count never
// goes back, so that reports from several goroutines arriving out of order do not make it
// jump. It has the signature of scan.Options.Progress.
func (b *Bar) Report(stage string, done, total int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.over {
		return
	}
	if stage != b.desc || total != b.total {
		if b.shown != nil {
			// Finish, not just Clear: a spinner redraws itself from its own goroutine until
			// it is finished.
			_ = b.shown.Finish()
			_ = b.shown.Clear()
			b.shown = nil
		}
		b.desc, b.total, b.done = stage, total, 0
		if b.started {
			b.show()
		}
	}
	if done <= b.done {
		return
	}
	if b.shown != nil {
		_ = b.shown.Add(done - b.done)
	}
	b.done = done
}

// Clear blanks the bar's line so that a message can be written on it; the bar is drawn
// again at the next redraw.
func (b *Bar) Clear() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown != nil && !b.over {
		_ = b.shown.Clear()
	}
}

// Add records n more steps done.
func (b *Bar) Add(n int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	if b.shown != nil && !b.over {
		_ = b.shown.Add(n)
	}
}

// Finish clears the bar, if it was shown, and stops redrawing it. Later calls do nothing.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	b.mu.Lock()
	if b.over {
		b.mu.Unlock()
		return
	}
	b.over = true
	close(b.stop)
	if b.shown != nil {
		// Finish draws the full bar and then, with OptionClearOnFinish, blanks the line.
		_ = b.shown.Finish()
		_ = b.shown.Clear()
	}
	b.mu.Unlock()
	b.wg.Wait()
}
