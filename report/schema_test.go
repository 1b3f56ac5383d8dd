package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
)

const schemaFile = "neardup-1.schema.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaFile, err)
	}
	return sch
}

// realOutputs are JSON results as neardup writes them: the scan golden of the CLI, and fresh
// scans with families, identical texts, dates from a table, slogans and skipped files.
func realOutputs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	golden, err := os.ReadFile(filepath.Join("..", "testdata", "scan", "corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	out["testdata/scan/corpus.json"] = golden
	for _, dir := range []string{"families", "corpus"} {
		opt := corpus.Options{}
		if dir == "corpus" {
			opt.MaxFileSize = 3000 // to have skipped files
		}
		docs, skipped, err := corpus.Load([]string{filepath.Join("..", "testdata", dir)}, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		table := dates.Table{}
		if len(docs) > 0 {
			table[docs[len(docs)-1].Path] = mustDate(t, "2024-01-31")
		}
		var buf bytes.Buffer
		if err := report.WriteJSON(&buf, scan.Run(docs, scan.Options{Skipped: skipped, Dates: table, MinDocs: 2})); err != nil {
			t.Fatal(err)
		}
		out["scan of testdata/"+dir] = buf.Bytes()
	}
	// A clause in more documents than max_df is capped.
	var docs []*corpus.Document
	for i := range 12 {
		docs = append(docs, &corpus.Document{Path: fmt.Sprintf("capped/%02d.txt", i),
			Text: fmt.Sprintf("第%d篇，今天天气晴朗气温适宜。本报讯各地持续推进重点项目建设工作取得积极进展。", i)})
	}
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, scan.Run(docs, scan.Options{})); err != nil {
		t.Fatal(err)
	}
	out["scan with a capped clause"] = buf.Bytes()
	return out
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := dates.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOutputMatchesSchema(t *testing.T) {
	sch := compileSchema(t)
	raw, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var schemaDoc map[string]any
	if err := json.Unmarshal(raw, &schemaDoc); err != nil {
		t.Fatal(err)
	}
	outputs := realOutputs(t)
	// The outputs exercise every part of the schema: each list is filled in one of them.
	for _, list := range []string{"documents", "families", "identical", "duplicates", "passages", "slogans", "capped", "skipped"} {
		filled := false
		for _, b := range outputs {
			var top map[string][]any
			_ = json.Unmarshal(b, &top) // schema and settings do not fit; the lists do
			filled = filled || len(top[list]) > 0
		}
		if !filled {
			t.Errorf("no output fills %s: the schema of its items goes untested", list)
		}
	}
	for name, b := range outputs {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not match the schema: %v", name, err)
		}
		// The schema lets readers meet fields it does not name (neardup/1 grows), so
		// validation alone would not notice an undocumented field: check that here.
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		var missing []string
		undocumented(schemaDoc, schemaDoc, v, "", &missing)
		sort.Strings(missing)
		missing = slices.Compact(missing)
		if len(missing) > 0 {
			t.Errorf("%s has fields the schema does not document: %s", name, strings.Join(missing, ", "))
		}
	}
}

// The schema can fail: a wrong output is refused.
func TestSchemaRefusesWrongOutput(t *testing.T) {
	sch := compileSchema(t)
	bad := map[string]string{
		"no families":         `{"schema":"neardup/1","settings":{"ngram":3,"doc_distance":10,"passage_distance":6,"min_similarity":0.5,"min_passage":30,"max_df":10,"min_docs":3},"documents":[],"identical":[],"duplicates":[],"passages":[],"slogans":[],"capped":[],"skipped":[]}`,
		"similarity above 1":  `{"schema":"neardup/1","settings":{"ngram":3,"doc_distance":10,"passage_distance":6,"min_similarity":0.5,"min_passage":30,"max_df":10,"min_docs":3},"documents":[],"families":[],"identical":[],"duplicates":[{"a":"x","b":"y","similarity":1.5,"distance":3}],"passages":[],"slogans":[],"capped":[],"skipped":[]}`,
		"family of one":       `{"schema":"neardup/1","settings":{"ngram":3,"doc_distance":10,"passage_distance":6,"min_similarity":0.5,"min_passage":30,"max_df":10,"min_docs":3},"documents":[],"families":[{"source":"x","source_rule":"longest","size":1,"pairs_listed":true,"pairs_omitted":0,"members":[{"path":"x","similarity":1,"chars":3}]}],"identical":[],"duplicates":[],"passages":[],"slogans":[],"capped":[],"skipped":[]}`,
		"another schema name": `{"schema":"neardup/2","settings":{"ngram":3,"doc_distance":10,"passage_distance":6,"min_similarity":0.5,"min_passage":30,"max_df":10,"min_docs":3},"documents":[],"families":[],"identical":[],"duplicates":[],"passages":[],"slogans":[],"capped":[],"skipped":[]}`,
	}
	for name, doc := range bad {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// undocumented walks an instance beside its schema and collects the paths of object fields
// that the schema's properties do not name.
func undocumented(root, s map[string]any, v any, at string, missing *[]string) {
	if ref, ok := s["$ref"].(string); ok {
		def := strings.TrimPrefix(ref, "#/$defs/")
		s = root["$defs"].(map[string]any)[def].(map[string]any)
		// A $ref beside a description: the description belongs to the use, the type to the def.
		undocumented(root, s, v, at, missing)
		return
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for k, x := range v {
			ps, ok := props[k].(map[string]any)
			if !ok {
				*missing = append(*missing, at+"."+k)
				continue
			}
			undocumented(root, ps, x, at+"."+k, missing)
		}
	case []any:
		items, _ := s["items"].(map[string]any)
		for _, x := range v {
			if items != nil {
				undocumented(root, items, x, at+"[]", missing)
			}
		}
	}
}

// The undocumented-field check finds a field the schema does not name, also deep inside.
func TestUndocumentedFieldsFound(t *testing.T) {
	raw, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var schemaDoc map[string]any
	if err := json.Unmarshal(raw, &schemaDoc); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal([]byte(`{"schema":"neardup/1","extra":1,"families":[{"source":"x","members":[{"path":"x","why":2}]}]}`), &v); err != nil {
		t.Fatal(err)
	}
	var missing []string
	undocumented(schemaDoc, schemaDoc, v, "", &missing)
	sort.Strings(missing)
	if strings.Join(missing, " ") != ".extra .families[].members[].why" {
		t.Errorf("found %v, want .extra and .families[].members[].why", missing)
	}
}
