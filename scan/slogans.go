package scan

import (
	"time"

	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/slogan"
)

// ReportSlogans converts package slogan's findings into the result model: the one place
// where the miner's types meet the report's.
func ReportSlogans(found []slogan.Slogan) []report.Slogan {
	return reportSlogans(found, nil, 1, false)
}

// reportSlogans is ReportSlogans on jobs goroutines, each slogan on its own (a scan finds
// tens of thousands, with hundreds of thousands of locations), naming the document of a
// location by path(doc), or by the location's Path when path is nil. With release, each
// slogan's locations are dropped once converted: a gigabyte of text has about nine million,
// and the two models of them held at once cost 72 bytes a location.
func reportSlogans(found []slogan.Slogan, path func(doc int) string, jobs int, release bool) []report.Slogan {
	out := make([]report.Slogan, len(found))
	parallel.For(len(found), jobs, func(i int) {
		s := &found[i]
		r := report.Slogan{
			Text: s.Text, Kind: s.Kind, Documents: s.Documents, Occurrences: s.Occurrences,
			Variants: make([]report.Variant, len(s.Variants)), Forms: make([]report.Form, len(s.Forms)),
			Locations: make([]report.Location, len(s.Locations)), ByMonth: make([]report.MonthCount, len(s.ByMonth)),
		}
		for k, v := range s.Variants {
			r.Variants[k] = report.Variant{Text: v.Text, Count: v.Count}
		}
		if len(s.Fillers) > 0 {
			r.Fillers = make([]report.Variant, len(s.Fillers))
			for k, v := range s.Fillers {
				r.Fillers[k] = report.Variant{Text: v.Text, Count: v.Count}
			}
		}
		for k, f := range s.Forms {
			r.Forms[k] = report.Form{Text: f.Text, Documents: f.Documents, Occurrences: f.Occurrences}
		}
		for k, l := range s.Locations {
			p := l.Path
			if path != nil {
				p = path(l.Doc)
			}
			r.Locations[k] = report.Location{Path: p, Start: l.Start, End: l.End}
		}
		if release {
			s.Locations = nil
		}
		r.FirstSeen, r.LastSeen = day(s.FirstSeen), day(s.LastSeen)
		for k, m := range s.ByMonth {
			r.ByMonth[k] = report.MonthCount{Month: m.Month, Documents: m.Documents}
		}
		out[i] = r
	})
	return out
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dates.Layout)
}

// Times returns the dates of DatesOf as slogan.Options.Dates wants them.
func Times(when []Dated) []time.Time {
	out := make([]time.Time, len(when))
	for i, w := range when {
		out[i] = w.Time
	}
	return out
}
