package corpus

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// visibleText reduces an HTML page to the text a reader sees: markup,
// comments and the content of script, style, noscript, template and head
// (title, meta) dropped; entities decoded; white space collapsed as a
// browser does outside <pre>; a line break at every block element, so
// sentences end where paragraphs do.
func visibleText(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	hidden := 0 // depth inside elements whose content is not shown
	pre := 0    // depth inside <pre>, where white space is kept
	lineStart := true
	newline := func() {
		if !lineStart {
			b.WriteByte('\n')
			lineStart = true
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or a malformed tail the tokenizer gave up on: keep what we have.
			newline()
			return b.String()
		case html.TextToken:
			if hidden > 0 {
				continue
			}
			text := string(z.Text())
			if pre > 0 {
				b.WriteString(text)
				lineStart = strings.HasSuffix(text, "\n")
				continue
			}
			space := false
			for _, r := range text {
				if unicode.IsSpace(r) && r != 0x3000 && r != 0xA0 {
					space = true
					continue
				}
				if space && !lineStart {
					b.WriteByte(' ')
				}
				space = false
				b.WriteRune(r)
				lineStart = false
			}
			if space && !lineStart {
				b.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hiddenElement[a] {
				switch {
				case tt == html.StartTagToken:
					hidden++
				case tt == html.EndTagToken && hidden > 0:
					hidden--
				}
				continue
			}
			if a == atom.Pre && hidden == 0 {
				switch {
				case tt == html.StartTagToken:
					pre++
				case tt == html.EndTagToken && pre > 0:
					pre--
				}
			}
			if blockElement[a] && hidden == 0 {
				newline()
			}
		}
	}
}

var hiddenElement = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Iframe: true, atom.Object: true,
	atom.Svg: true, atom.Math: true, atom.Select: true,
}

var blockElement = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true,
	atom.Figure: true, atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true,
	atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true,
	atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Ul: true, atom.Caption: true,
	atom.Body: true, atom.Html: true,
}
