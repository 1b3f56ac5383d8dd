//go:build integration

package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
)

// The report of the 10,300-story xinwenlianbo corpus in headless Chromium: it opens in a few
// seconds, a pair ranked below 300 opens with its diff, and searching words of a story finds
// it. Run with -update to refresh docs/report.png from it.
func TestCorpusReportInBrowser(t *testing.T) {
	dir := "../../shared/corpora/xinwenlianbo/texts"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("needs the xinwenlianbo corpus in ../shared/corpora beside the checkout")
	}
	docs, _, err := corpus.Load([]string{dir}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := scan.Run(docs, scan.Options{Jobs: 2})
	if len(res.Duplicates) < 400 {
		t.Fatalf("only %d pairs: the corpus changed", len(res.Duplicates))
	}
	page := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteHTML(f, res, scan.TextOf(docs)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	ctx, events, pageURL := report.OpenInBrowser(t, page, 90*time.Second)
	defer report.CheckBrowserLog(t, events, pageURL)
	loaded := time.Since(start)
	ready, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.getAttribute("data-ready")`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the page was ready %s ms after navigation began", ready)
	t.Logf("%s: %.1f MB, %d documents, %d families, %d pairs, %d passages, %d slogans; open and rendered in %.2f s (browser start included)",
		page, float64(st.Size())/1e6, len(res.Documents), len(res.Families), len(res.Duplicates), len(res.Passages), len(res.Slogans), loaded.Seconds())
	// "A few seconds", with room for a shared machine; the figure is logged for the README.
	if loaded > 20*time.Second {
		t.Errorf("the page took %v to open", loaded)
	}

	t.Run("pair 350 opens with its diff", func(t *testing.T) {
		opened := time.Now()
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("#pair-list .pager button:last-of-type")), // Show all
			chromedp.WaitVisible(chromedp.CSS("#pair-350 > summary")),
			chromedp.Click(chromedp.CSS("#pair-350 > summary")),
			chromedp.WaitVisible(chromedp.CSS("#pair-350 table.sbs")),
		)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#pair-350 table.sbs tbody tr").length`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("all pairs listed and pair 350 opened in %.2f s, %d rows", time.Since(opened).Seconds(), rows)
		if rows < 1 {
			t.Error("pair 350 opened without rows")
		}
	})

	t.Run("a story's words find it", func(t *testing.T) {
		// Words from the middle of a story of pair 450, not in any name.
		p := res.Duplicates[449]
		var text string
		for _, d := range docs {
			if d.Path == p.B {
				text = d.Text
			}
		}
		longest := ""
		for line := range strings.Lines(text) {
			if len(line) > len(longest) {
				longest = strings.TrimSpace(line)
			}
		}
		rs := []rune(longest)
		words := string(rs[len(rs)/2 : len(rs)/2+8])
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("filter").value = "", true)`)); err != nil {
			t.Fatal(err)
		}
		err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("filter"), words), chromedp.Sleep(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("pair-450") !== null`))
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			t.Errorf("searching %q does not show pair 450 (%s)", words, p.B)
		}
	})

	// The screenshot of the README: the top of the page, the largest family open.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const box = document.getElementById("filter");
		box.value = "";
		box.dispatchEvent(new Event("input"));
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 1100),
		chromedp.Sleep(time.Second),
		chromedp.Click(chromedp.CSS("#family-1 > summary")),
		chromedp.WaitVisible(chromedp.CSS("#family-1 table.members")),
		chromedp.Click(chromedp.CSS("#family-1 table.members tr:nth-child(2) details > summary")),
		chromedp.WaitVisible(chromedp.CSS("#family-1 table.sbs")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.scrollTo(0, 0), true)`)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.png")
	if report.Update() {
		out = filepath.Join("..", "docs", "report.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
