package diff

import "strings"

// markup writes edits in the plain form used by neardup diff in a pipe: [-deleted-]{+inserted+}.
func markup(edits []Edit) string {
	var b strings.Builder
	for _, e := range edits {
		switch e.Op {
		case Delete:
			b.WriteString("[-" + e.Text + "-]")
		case Insert:
			b.WriteString("{+" + e.Text + "+}")
		default:
			b.WriteString(e.Text)
		}
	}
	return b.String()
}
