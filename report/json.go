package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
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
		for k := range f.Len() {
			if k > 0 {
				jw.raw(",")
			}
			jw.raw("\n    ")
			jw.value(listElement(f.Index(k).Interface()), "    ")
		}
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
	enc := json.NewEncoder(&j.buf)
	enc.SetIndent(prefix, "  ")
	// The output is data, not HTML: keep <, > and & readable.
	enc.SetEscapeHTML(false)
	if j.err = enc.Encode(x); j.err != nil {
		return
	}
	_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
