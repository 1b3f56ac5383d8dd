//go:build integration

package report

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/neardup/neardup/internal/golden"
)

// findChromium returns the browser the test drives. It fails the test, never skips it: a
// report nobody has looked at in a browser is not tested.
func findChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("this test opens the HTML report in headless Chromium, which was not found: " +
		"install it with `apt-get install chromium` (Debian; chromium-browser on Ubuntu)")
	return ""
}

// pageLog collects what the browser reports while the page is open.
type pageLog struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (l *pageLog) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.requests = append(l.requests, ev.Request.URL)
	case *runtime.EventExceptionThrown:
		msg := ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
		l.errors = append(l.errors, "exception: "+msg)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == "error" || ev.Type == "assert" {
			l.errors = append(l.errors, fmt.Sprintf("console.%s", ev.Type))
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			l.errors = append(l.errors, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	}
}

// highlight describes the changed text the reader sees in an open pair.
type highlight struct {
	Visible    int    `json:"visible"`    // del and ins elements with a size on screen
	Background string `json:"background"` // of the first del
	Overflow   bool   `json:"overflow"`   // the page scrolls sideways: a long line did not wrap
	LeftCells  int    `json:"leftCells"`  // rows of the open pair
}

func TestReportInBrowser(t *testing.T) {
	chromium := findChromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	// A very long line without spaces must wrap inside its column.
	texts := func(path string) (string, error) {
		s, err := fixtureTextsFunc(path)
		if path == "news/b.txt" {
			s += strings.Repeat("长行不换行也要在栏内折行", 12) + "\n"
		}
		return s, err
	}
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(f, fixtureResult(), texts); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	var events pageLog
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithListener(events.listen))
	defer cancelTab()

	pageURL := (&url.URL{Scheme: "file", Path: page}).String()
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.ID("summary")),
	)
	if err != nil {
		t.Fatalf("opening %s in %s: %v", page, chromium, err)
	}

	t.Run("summary", func(t *testing.T) {
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("summary")))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Documents", "4", "Near-duplicate pairs", "Copied passages", "Slogans"} {
			if !strings.Contains(text, want) {
				t.Errorf("summary %q lacks %q", text, want)
			}
		}
	})

	t.Run("open pair shows highlights", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("#pair-1 > summary")),
			chromedp.WaitVisible(chromedp.CSS("#pair-1 table.sbs del")),
		)
		if err != nil {
			t.Fatal(err)
		}
		h, err := chromedp.Run(ctx, chromedp.Evaluate[highlight](`(() => {
			const marks = [...document.querySelectorAll("#pair-1 del, #pair-1 ins")];
			const shown = marks.filter(m => { const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
			return {
				visible: shown.length,
				background: marks.length ? getComputedStyle(marks[0]).backgroundColor : "",
				overflow: document.documentElement.scrollWidth > window.innerWidth,
				leftCells: document.querySelectorAll("#pair-1 td.l").length,
			};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if h.Visible < 4 {
			t.Errorf("%d highlighted spans visible, want at least 4", h.Visible)
		}
		if h.Background == "" || h.Background == "rgba(0, 0, 0, 0)" || h.Background == "transparent" {
			t.Errorf("deleted text has no background colour (%q)", h.Background)
		}
		if h.Overflow {
			t.Error("the page scrolls sideways: a long line was not wrapped in its column")
		}
		if h.LeftCells < 4 {
			t.Errorf("the open pair has %d rows, want at least 4", h.LeftCells)
		}
	})

	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if golden.Updating() {
		if err := os.WriteFile(filepath.Join("..", "docs", "report.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("filter box", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("filter"), "copy.txt")); err != nil {
			t.Fatal(err)
		}
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](
			`[1, 2].map(n => document.getElementById("pair-" + n).classList.contains("hidden"))`))
		if err != nil {
			t.Fatal(err)
		}
		if len(hidden) != 2 || !hidden[0] || hidden[1] {
			t.Errorf("after filtering by copy.txt, hidden = %v; want pair 1 hidden and pair 2 shown", hidden)
		}
	})

	// Let late events arrive before reading the log.
	if err := chromedp.Do(ctx, chromedp.Sleep(100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	events.mu.Lock()
	defer events.mu.Unlock()
	for _, e := range events.errors {
		t.Errorf("browser reported: %s", e)
	}
	if len(events.requests) == 0 {
		t.Error("saw no request at all: the network listener is not working")
	}
	for _, u := range events.requests {
		if u != pageURL && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page made a network request to %s", u)
		}
	}
}
