package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/match"
)

// Calibration is what "neardup calibrate" prints, and its JSON form (schema
// neardup-calibrate/1): the candidate pairs of match.Calibrate counted by similarity and by
// distance, what each setting would report, and sample pairs around each threshold.
type Calibration struct {
	Schema        string              `json:"schema"`
	Documents     int                 `json:"documents"`
	Candidates    int                 `json:"candidates"`   // pairs measured
	MaxDistance   int                 `json:"max_distance"` // fingerprint candidates drawn up to here
	MinSimilarity float64             `json:"min_similarity"`
	DocDistance   int                 `json:"doc_distance"`
	Found         int                 `json:"near_duplicates"` // at the thresholds given
	Similarity    []SimilarityBin     `json:"similarity"`
	Distance      []DistanceBin       `json:"distance"`
	DocDistances  []DocDistanceChoice `json:"doc_distance_choices"`
	Similarities  []SimilarityChoice  `json:"min_similarity_choices"`
	Samples       CalibrationSamples  `json:"samples"`
}

type SimilarityBin struct {
	From  float64 `json:"from"` // similarity in [from, to); the last bin holds 1
	To    float64 `json:"to"`
	Pairs int     `json:"pairs"`
}

type DistanceBin struct {
	Distance int  `json:"distance"`
	OrMore   bool `json:"or_more,omitempty"` // the last bin: pairs sharing a clause, farther apart
	Pairs    int  `json:"pairs"`
	Found    int  `json:"near_duplicates"` // similar enough, whether compared or not at this distance
	// ByDistanceOnly counts the near-duplicates that only the fingerprint distance brings
	// to comparison: they share no clause and are not short documents paired by MinHash.
	ByDistanceOnly int `json:"by_distance_only"`
}

type DocDistanceChoice struct {
	DocDistance int `json:"doc_distance"`
	Compared    int `json:"compared"`
	Found       int `json:"near_duplicates"`
}

type SimilarityChoice struct {
	MinSimilarity float64 `json:"min_similarity"`
	Found         int     `json:"near_duplicates"`
}

type CalibrationSamples struct {
	BelowSimilarity  []SamplePair `json:"below_min_similarity"`        // compared, just not similar enough
	AboveSimilarity  []SamplePair `json:"above_min_similarity"`        // near-duplicates, the least similar
	BeyondDistance   []SamplePair `json:"beyond_doc_distance"`         // near-duplicates a larger --doc-distance would find
	InsideByDistance []SamplePair `json:"found_by_doc_distance_alone"` // near-duplicates a smaller one would lose
}

type SamplePair struct {
	A          string  `json:"a"`
	B          string  `json:"b"`
	Similarity float64 `json:"similarity"`
	Distance   int     `json:"distance"`
	// WithoutDistance: compared whatever --doc-distance is (a shared clause, or short
	// documents paired by MinHash).
	WithoutDistance bool `json:"without_distance"`
}

// similarityBins is the number of bins of the similarity histogram: 0.05 wide.
const similarityBins = 20

// NewCalibration counts the candidates of cal (of docs, measured with opt) and picks up to
// samples pairs beside each threshold.
func NewCalibration(cal *match.Calibration, docs []*corpus.Document, opt match.Options, samples int) Calibration {
	out := Calibration{
		Schema: "neardup-calibrate/1", Documents: cal.Documents, Candidates: len(cal.Candidates),
		MaxDistance: cal.MaxDistance, MinSimilarity: opt.MinSimilarity, DocDistance: opt.DocDistance,
	}
	compared := func(c match.Candidate, docDistance int) bool { return c.WithoutDistance || c.Distance <= docDistance }
	similar := func(c match.Candidate, least float64) bool { return c.Similarity >= least }

	for i := range similarityBins {
		out.Similarity = append(out.Similarity, SimilarityBin{From: float64(i) / similarityBins, To: float64(i+1) / similarityBins})
	}
	for d := 0; d <= cal.MaxDistance+1; d++ {
		out.Distance = append(out.Distance, DistanceBin{Distance: d, OrMore: d > cal.MaxDistance})
	}
	for _, c := range cal.Candidates {
		bin := min(int(math.Floor(c.Similarity*similarityBins+1e-9)), similarityBins-1)
		out.Similarity[bin].Pairs++
		db := &out.Distance[min(c.Distance, cal.MaxDistance+1)]
		db.Pairs++
		if similar(c, opt.MinSimilarity) {
			db.Found++
			if !c.WithoutDistance {
				db.ByDistanceOnly++
			}
		}
		if compared(c, opt.DocDistance) && similar(c, opt.MinSimilarity) {
			out.Found++
		}
	}
	for k := max(0, opt.DocDistance-4); k <= cal.MaxDistance; k++ {
		row := DocDistanceChoice{DocDistance: k}
		for _, c := range cal.Candidates {
			if compared(c, k) {
				row.Compared++
				if similar(c, opt.MinSimilarity) {
					row.Found++
				}
			}
		}
		out.DocDistances = append(out.DocDistances, row)
	}
	for x := 3; x <= 9; x++ {
		least := float64(x) / 10
		row := SimilarityChoice{MinSimilarity: least}
		for _, c := range cal.Candidates {
			if compared(c, opt.DocDistance) && similar(c, least) {
				row.Found++
			}
		}
		out.Similarities = append(out.Similarities, row)
	}

	pick := func(keep func(match.Candidate) bool, order func(x, y match.Candidate) int) []SamplePair {
		var cs []match.Candidate
		for _, c := range cal.Candidates {
			if keep(c) {
				cs = append(cs, c)
			}
		}
		slices.SortStableFunc(cs, order) // stable: ties stay in pair order
		ps := []SamplePair{}
		for _, c := range cs[:min(samples, len(cs))] {
			ps = append(ps, SamplePair{
				A: docs[c.A].Path, B: docs[c.B].Path, Similarity: Round3(c.Similarity),
				Distance: c.Distance, WithoutDistance: c.WithoutDistance,
			})
		}
		return ps
	}
	bySimilarity := func(x, y match.Candidate) int { return cmp.Compare(x.Similarity, y.Similarity) }
	out.Samples.BelowSimilarity = pick(func(c match.Candidate) bool {
		return compared(c, opt.DocDistance) && !similar(c, opt.MinSimilarity)
	}, func(x, y match.Candidate) int { return bySimilarity(y, x) })
	out.Samples.AboveSimilarity = pick(func(c match.Candidate) bool {
		return compared(c, opt.DocDistance) && similar(c, opt.MinSimilarity)
	}, bySimilarity)
	out.Samples.BeyondDistance = pick(func(c match.Candidate) bool {
		return !compared(c, opt.DocDistance) && similar(c, opt.MinSimilarity)
	}, func(x, y match.Candidate) int { return cmp.Compare(x.Distance, y.Distance) })
	out.Samples.InsideByDistance = pick(func(c match.Candidate) bool {
		return !c.WithoutDistance && c.Distance <= opt.DocDistance && similar(c, opt.MinSimilarity)
	}, func(x, y match.Candidate) int { return cmp.Compare(y.Distance, x.Distance) })
	return out
}

// WriteCalibration writes c as text within 80 columns (paths aside).
func WriteCalibration(w io.Writer, c Calibration) error {
	var b strings.Builder
	p := printer{&b}
	p.printf("%d documents, %d candidate pairs measured: fingerprints within %d bits,\n", c.Documents, c.Candidates, c.MaxDistance)
	p.printf("a shared clause, or short documents alike by MinHash. At --min-similarity\n")
	p.printf("%.3g and --doc-distance %d, %d of them are near-duplicates.\n", c.MinSimilarity, c.DocDistance, c.Found)

	p.printf("\nSimilarity of the candidate pairs (bars on a log scale)\n")
	most := 0
	for _, bin := range c.Similarity {
		most = max(most, bin.Pairs)
	}
	for i := len(c.Similarity) - 1; i >= 0; i-- {
		bin := c.Similarity[i]
		mark := ""
		if c.MinSimilarity >= bin.From && (c.MinSimilarity < bin.To || i == len(c.Similarity)-1) {
			mark = fmt.Sprintf("  <- --min-similarity %.3g", c.MinSimilarity)
		}
		line := fmt.Sprintf("  %.2f-%.2f %8d %-30s%s", bin.From, bin.To, bin.Pairs, logBar(bin.Pairs, most, 30), mark)
		p.printf("%s\n", strings.TrimRight(line, " "))
	}

	p.printf("\nFingerprint distance of the candidate pairs\n")
	p.printf("  %4s %8s %9s  %s\n", "bits", "pairs", "near-dups", "of them found by the distance alone")
	for _, bin := range c.Distance {
		mark := ""
		if bin.Distance == c.DocDistance {
			mark = fmt.Sprintf("  <- --doc-distance %d", c.DocDistance)
		}
		bits := fmt.Sprint(bin.Distance)
		if bin.OrMore {
			bits = fmt.Sprintf(">%d", bin.Distance-1)
		}
		p.printf("  %4s %8d %9d  %9d%s\n", bits, bin.Pairs, bin.Found, bin.ByDistanceOnly, mark)
	}

	p.printf("\nChoosing --doc-distance (at --min-similarity %.3g)\n", c.MinSimilarity)
	p.printf("  %13s %9s %15s\n", "--doc-distance", "compared", "near-duplicates")
	for _, row := range c.DocDistances {
		mark := ""
		if row.DocDistance == c.DocDistance {
			mark = "  (current)"
		}
		p.printf("  %13d %9d %15d%s\n", row.DocDistance, row.Compared, row.Found, mark)
	}

	p.printf("\nChoosing --min-similarity (at --doc-distance %d)\n", c.DocDistance)
	p.printf("  %16s %15s\n", "--min-similarity", "near-duplicates")
	for _, row := range c.Similarities {
		p.printf("  %16.2f %15d\n", row.MinSimilarity, row.Found)
	}

	samples := []struct {
		title string
		pairs []SamplePair
	}{
		{fmt.Sprintf("Compared, just below --min-similarity %.3g", c.MinSimilarity), c.Samples.BelowSimilarity},
		{fmt.Sprintf("Near-duplicates just above --min-similarity %.3g", c.MinSimilarity), c.Samples.AboveSimilarity},
		{fmt.Sprintf("Near-duplicates beyond --doc-distance %d that nothing else brings to\ncomparison: a larger --doc-distance would find them", c.DocDistance), c.Samples.BeyondDistance},
		{fmt.Sprintf("Near-duplicates found by --doc-distance %d alone: a smaller one would\nlose them", c.DocDistance), c.Samples.InsideByDistance},
	}
	for _, s := range samples {
		p.printf("\n%s\n", s.title)
		if len(s.pairs) == 0 {
			p.printf("  none\n")
		}
		for _, sp := range s.pairs {
			shared := ""
			if sp.WithoutDistance {
				shared = ", compared at any distance"
			}
			p.printf("  similarity %.3f, %d bits%s\n", sp.Similarity, sp.Distance, shared)
			p.printf("    %s\n    %s\n", Clean(sp.A), Clean(sp.B))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// logBar is a bar of up to width cells for n of most, on a log scale so that a bin of a
// dozen pairs still shows beside one of a hundred thousand.
func logBar(n, most, width int) string {
	if n == 0 || most == 0 {
		return ""
	}
	cells := int(math.Round(float64(width) * math.Log1p(float64(n)) / math.Log1p(float64(most))))
	return strings.Repeat("#", max(cells, 1))
}

// WriteCalibrationJSON writes c as indented JSON.
func WriteCalibrationJSON(w io.Writer, c Calibration) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}
