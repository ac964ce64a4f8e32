package fields

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

// The YAML parser reports where it gave up, not where the editor went
// wrong: an unclosed quote on line 2 is "value is not allowed in this
// context" on line 4. yamlHint looks for the five mistakes editors make
// most, and names the one it finds where it was made, in the site's
// language.

// say picks the message in the origin's language: Vietnamese for "vi",
// English otherwise.
func (o Origin) say(viFormat, enFormat string, args ...any) string {
	if o.Lang == vi.Vietnamese {
		return fmt.Sprintf(viFormat, args...)
	}
	return fmt.Sprintf(enFormat, args...)
}

// yamlLine is one line of a YAML block, as the hints read it.
type yamlLine struct {
	no     int    // from 1
	start  int    // offset in the block
	text   []byte // without its line break
	indent int    // spaces before the first other character
}

// yamlKeyLine splits "key: value" (after an optional "- "): the key, the
// offset of its colon in text and the value, trimmed. ok is false for
// other lines.
func yamlKeyLine(text []byte) (key string, colon int, value []byte, ok bool) {
	i := 0
	for i < len(text) && text[i] == ' ' {
		i++
	}
	if i+1 < len(text) && text[i] == '-' && text[i+1] == ' ' {
		i += 2
		for i < len(text) && text[i] == ' ' {
			i++
		}
	}
	start := i
	for i < len(text) && (isLetter(text[i]) || isDigit(text[i]) || text[i] == '_' || text[i] == '-') {
		i++
	}
	if i == start || i >= len(text) || text[i] != ':' {
		return "", 0, nil, false
	}
	return string(text[start:i]), i, text[i+1:], true
}

// yamlHint returns the first common mistake in src, or nil; with
// quotesOnly, only a quote left open. Lines inside block scalars, quoted
// strings and flow brackets are content, not looked at.
func yamlHint(src []byte, o Origin, quotesOnly bool) *diag.Error {
	var lines []yamlLine
	for off, no := 0, 1; off <= len(src); no++ {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src) - off
		}
		text := src[off : off+end]
		indent := 0
		for indent < len(text) && text[indent] == ' ' {
			indent++
		}
		lines = append(lines, yamlLine{no: no, start: off, text: text, indent: indent})
		off += end + 1
	}
	at := func(l yamlLine, byteCol int) diag.Pos {
		return o.pos(l.no, utf8.RuneCount(l.text[:min(byteCol, len(l.text))])+1)
	}
	scalarIndent := -1
	for n := 0; n < len(lines); n++ {
		l := lines[n]
		trimmed := bytes.TrimLeft(l.text, " ")
		if scalarIndent >= 0 {
			if len(bytes.TrimSpace(l.text)) == 0 || l.indent > scalarIndent {
				continue
			}
			scalarIndent = -1
		}
		if len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		// Tab indentation.
		if trimmed[0] == '\t' && !quotesOnly {
			return diag.Errorf(at(l, l.indent), "%s", o.say(
				"dòng %d được thụt lề bằng phím Tab; YAML chỉ cho phép dấu cách: thay Tab bằng dấu cách",
				"line %d is indented with a tab; YAML allows only spaces: replace the tab with spaces", at(l, 0).Line))
		}
		key, colon, value, ok := yamlKeyLine(l.text)
		if !ok {
			continue
		}
		// Missing space after the colon: "title:"x"" reads as one word.
		if len(value) > 0 && value[0] != ' ' && value[0] != '\t' && value[0] != '/' && value[0] != ':' && !quotesOnly {
			return diag.Errorf(at(l, colon+1), "%s", o.say(
				"thiếu dấu cách sau dấu hai chấm; viết: %s: %s",
				"missing space after the colon; write: %s: %s", key, value))
		}
		v := bytes.TrimSpace(value)
		valueCol := colon + 1 + (len(value) - len(bytes.TrimLeft(value, " \t")))
		switch {
		case quotesOnly && (len(v) == 0 || v[0] != '"' && v[0] != '\''):
		case len(v) == 0:
			// "key:" then list items, one of them without "- ": at the
			// key's own indentation (more indented, lines without a dash
			// are one string over several lines, unless items came first).
			sawDash := false
			for k := n + 1; k < len(lines); k++ {
				next := lines[k]
				nt := bytes.TrimSpace(next.text)
				if len(nt) == 0 || nt[0] == '#' {
					continue
				}
				if _, _, _, isKey := yamlKeyLine(next.text); isKey || next.indent < l.indent || nt[0] == '\t' {
					break
				}
				if nt[0] == '-' && (len(nt) == 1 || nt[1] == ' ') {
					sawDash = true
					continue
				}
				if next.indent == l.indent || sawDash {
					return diag.Errorf(at(next, next.indent), "%s", o.say(
						"các mục của danh sách %s phải bắt đầu bằng \"- \": viết \"- %s\"",
						"each item of the list %s must start with \"- \": write \"- %s\"", key, nt))
				}
				break
			}
		case v[0] == '"' || v[0] == '\'':
			closedAt, e := unclosedQuote(lines, n, valueCol, o, at)
			if e != nil {
				return e
			}
			n = closedAt
		case v[0] == '[' || v[0] == '{':
			// Skip the lines a flow collection goes on over.
			for depth := 0; n < len(lines); n++ {
				depth += bytes.Count(lines[n].text, []byte("[")) + bytes.Count(lines[n].text, []byte("{")) -
					bytes.Count(lines[n].text, []byte("]")) - bytes.Count(lines[n].text, []byte("}"))
				if depth <= 0 {
					break
				}
			}
		case v[0] == '|' || v[0] == '>':
			scalarIndent = l.indent
		case v[0] == '&' || v[0] == '!' || v[0] == '*' || v[0] == '#':
		default:
			// A plain value may not hold ": " (nor end with ":").
			text := v
			if c := bytes.Index(text, []byte(" #")); c >= 0 {
				text = text[:c]
			}
			inner := bytes.Index(text, []byte(": "))
			if inner < 0 && bytes.HasSuffix(text, []byte(":")) {
				inner = len(text) - 1
			}
			if inner >= 0 {
				quoted := strings.ReplaceAll(string(bytes.TrimSpace(text)), `"`, `\"`)
				return diag.Errorf(at(l, valueCol+inner), "%s", o.say(
					"giá trị của %s có dấu hai chấm (\":\") nên YAML hiểu nhầm; đặt cả giá trị trong dấu ngoặc kép: %s: \"%s\"",
					"the value of %s holds a colon (\":\"), which YAML misreads; put the whole value in double quotes: %s: \"%s\"",
					key, key, quoted))
			}
		}
	}
	return nil
}

// unclosedQuote reports a quoted value that starts at byte col of line n
// and is not closed before the end of the block, or is closed only after
// lines that look like fields of their own: the quote swallowed them.
// Otherwise it returns the line the value ends on.
func unclosedQuote(lines []yamlLine, n, col int, o Origin, at func(yamlLine, int) diag.Pos) (int, *diag.Error) {
	l := lines[n]
	q := l.text[col]
	closedAt := -1
	swallowed := false
	for k := n; k < len(lines) && closedAt < 0; k++ {
		text := lines[k].text
		from := 0
		if k == n {
			from = col + 1
		} else if _, _, _, isKey := yamlKeyLine(text); isKey && lines[k].indent <= l.indent {
			swallowed = true
		}
		for i := from; i < len(text); i++ {
			switch {
			case q == '"' && text[i] == '\\':
				i++
			case q == '\'' && text[i] == '\'' && i+1 < len(text) && text[i+1] == '\'':
				i++
			case text[i] == q:
				closedAt = k
				i = len(text)
			}
		}
	}
	if closedAt == n || closedAt > n && !swallowed {
		return closedAt, nil
	}
	return n, diag.Errorf(at(l, col), "%s", o.say(
		"chuỗi mở bằng dấu %c ở dòng %d chưa được đóng; thêm dấu %c vào cuối giá trị",
		"the string opened with %c on line %d is never closed; add a closing %c at the end of the value",
		q, at(l, col).Line, q))
}
