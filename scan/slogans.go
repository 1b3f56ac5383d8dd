package scan

import (
	"time"

	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/slogan"
)

// ReportSlogans converts package slogan's findings into the result model: the one place
// where the miner's types meet the report's.
func ReportSlogans(found []slogan.Slogan) []report.Slogan {
	out := make([]report.Slogan, len(found))
	for i, s := range found {
		r := report.Slogan{
			Text: s.Text, Kind: s.Kind, Documents: s.Documents, Occurrences: s.Occurrences,
			Variants: []report.Variant{}, Forms: []report.Form{}, Locations: []report.Location{},
			ByMonth: []report.MonthCount{},
		}
		for _, v := range s.Variants {
			r.Variants = append(r.Variants, report.Variant{Text: v.Text, Count: v.Count})
		}
		for _, v := range s.Fillers {
			r.Fillers = append(r.Fillers, report.Variant{Text: v.Text, Count: v.Count})
		}
		for _, f := range s.Forms {
			r.Forms = append(r.Forms, report.Form{Text: f.Text, Documents: f.Documents, Occurrences: f.Occurrences})
		}
		for _, l := range s.Locations {
			r.Locations = append(r.Locations, report.Location{Path: l.Path, Start: l.Start, End: l.End})
		}
		r.FirstSeen, r.LastSeen = day(s.FirstSeen), day(s.LastSeen)
		for _, m := range s.ByMonth {
			r.ByMonth = append(r.ByMonth, report.MonthCount{Month: m.Month, Documents: m.Documents})
		}
		out[i] = r
	}
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
