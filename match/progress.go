package match

import "sync/atomic"

// Stage names Find reports through Options.Progress, in the order it runs them.
const (
	StageFingerprint = "fingerprinting documents"
	StageCompare     = "comparing documents"
	StagePassages    = "finding copied passages"
)

// progressEvery is how many steps pass between two reports: a report takes a lock in the
// display, and verification runs hundreds of thousands of short steps.
const progressEvery = 64

// stageCounter counts the steps of one stage, from any goroutine, and reports every
// progressEvery of them and the last. A nil counter (no Options.Progress) does nothing.
type stageCounter struct {
	report func(stage string, done, total int)
	stage  string
	total  int
	done   atomic.Int64
}

func newStage(report func(stage string, done, total int), stage string, total int) *stageCounter {
	if report == nil {
		return nil
	}
	report(stage, 0, total)
	return &stageCounter{report: report, stage: stage, total: total}
}

func (c *stageCounter) step() {
	if c == nil {
		return
	}
	if d := int(c.done.Add(1)); d%progressEvery == 0 || d == c.total {
		c.report(c.stage, d, c.total)
	}
}
