package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"runtime"
	"strings"
	"sync"
)

// WriteJSON writes r as one indented JSON document. Lists are never null, so a reader can
// range over them without checking.
//
// The document is written a list element at a time, never built whole in memory: on a
// corpus with many slogans the report is several times the size of the corpus, and holding
// it would set the peak memory of a scan. The bytes are those of json.MarshalIndent with
// two spaces and without HTML escaping.
func WriteJSON(w io.Writer, r *Result) error {
	out := *r
	out.Schema = Schema
	bw := bufio.NewWriterSize(w, 64<<10)
	jw := &jsonWriter{w: bw}
	jw.raw("{")
	v := reflect.ValueOf(out)
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if i > 0 {
			jw.raw(",")
		}
		jw.raw("\n  ")
		jw.value(name, "")
		jw.raw(": ")
		f := v.Field(i)
		if f.Kind() != reflect.Slice {
			jw.value(f.Interface(), "  ")
			continue
		}
		if f.Len() == 0 {
			jw.raw("[]")
			continue
		}
		jw.raw("[")
		jw.list(f)
		jw.raw("\n  ]")
	}
	jw.raw("\n}\n")
	if jw.err != nil {
		return jw.err
	}
	return bw.Flush()
}

// listElement gives a slogan its lists as empty lists, not null.
func listElement(x any) any {
	if s, ok := x.(Slogan); ok {
		s.Variants = nonNil(s.Variants)
		s.Locations = nonNil(s.Locations)
		return s
	}
	return x
}

// jsonWriter writes pieces of one JSON document, keeping the first error.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes x indented as it would be at a line starting with prefix.
func (j *jsonWriter) value(x any, prefix string) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	if j.err = encodeIndented(&j.buf, x, prefix); j.err != nil {
		return
	}
	_, j.err = j.w.Write(j.buf.Bytes())
}

// listBatch is how many list elements one goroutine encodes at a time.
const listBatch = 256

// list writes the elements of the list f, each on a line of its own. Encoding is most of the
// cost of a report (a slogan with its locations is a few kilobytes of JSON), so batches of
// elements are encoded on all CPUs at once, and written in order while the next batches are
// encoded (a report can be a hundred megabytes, whose writing took as long as a third of
// their encoding); at most two batches per CPU are held.
func (j *jsonWriter) list(f reflect.Value) {
	workers := runtime.GOMAXPROCS(0)
	type round struct {
		bufs []bytes.Buffer
		errs []error
	}
	var rounds [2]round
	for k := range rounds {
		rounds[k] = round{make([]bytes.Buffer, workers), make([]error, workers)}
	}
	batches := listBatches(f)
	var written chan struct{} // closed once the round handed to the writer is written; nil: none
	for lo, k := 0, 0; lo < len(batches)-1; lo, k = lo+workers, k+1 {
		r := &rounds[k%2] // the round before last, written already
		var wg sync.WaitGroup
		for w := range workers {
			if lo+w+1 >= len(batches) {
				break
			}
			start, end := batches[lo+w], batches[lo+w+1]
			wg.Go(func() {
				b := &r.bufs[w]
				b.Reset()
				for k := start; k < end; k++ {
					if k > 0 {
						b.WriteByte(',')
					}
					b.WriteString("\n    ")
					x := f.Index(k)
					if s, ok := x.Addr().Interface().(*Slogan); ok {
						sloganJSON(b, s, "    ")
						continue
					}
					if r.errs[w] = encodeIndented(b, listElement(x.Interface()), "    "); r.errs[w] != nil {
						return
					}
				}
			})
		}
		wg.Wait()
		if written != nil {
			<-written
		}
		if j.err != nil {
			return
		}
		written = make(chan struct{})
		go func(done chan struct{}) {
			defer close(done)
			for w := range workers {
				if j.err == nil {
					j.err = r.errs[w]
				}
				if j.err == nil && r.bufs[w].Len() > 0 {
					_, j.err = j.w.Write(r.bufs[w].Bytes())
				}
				r.bufs[w].Reset()
				if r.bufs[w].Cap() > keptBuffer {
					r.bufs[w] = bytes.Buffer{} // grown for a slogan in a great many documents
				}
			}
		}(written)
	}
	if written != nil {
		<-written
	}
}

// batchLocations bounds the slogans' locations a batch encodes: the slogans come most
// frequent first, and 256 of them from a gigabyte of text took hundreds of megabytes of JSON
// a batch, held four at a time. keptBuffer is the largest buffer kept for the next round.
const (
	batchLocations = 1 << 14
	keptBuffer     = 4 << 20
)

// listBatches cuts the list f into batches of at most listBatch elements and, of slogans, at
// most batchLocations locations (but at least one element); it returns their bounds.
func listBatches(f reflect.Value) []int {
	bounds := []int{0}
	count, weight := 0, 0
	for k := range f.Len() {
		w := 1
		if s, ok := f.Index(k).Addr().Interface().(*Slogan); ok {
			w += len(s.Locations)
		}
		if count > 0 && (count == listBatch || weight+w > batchLocations) {
			bounds = append(bounds, k)
			count, weight = 0, 0
		}
		count++
		weight += w
	}
	if f.Len() > 0 {
		bounds = append(bounds, f.Len())
	}
	return bounds
}

// encodeIndented appends x to b as json.MarshalIndent would with prefix and two spaces,
// without escaping HTML (the output is data, not HTML: <, > and & stay readable).
func encodeIndented(b *bytes.Buffer, x any, prefix string) error {
	enc := json.NewEncoder(b)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode ends with a newline
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
