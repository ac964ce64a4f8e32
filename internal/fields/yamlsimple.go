package fields

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// decodeSimpleYAML decodes the small subset of YAML that nearly every
// article's front matter is written in, at a fraction of the full parser's
// cost: top-level "key: value" lines whose values are quoted strings, plain
// words, integers, booleans, dates, one-line [lists], or one indented
// block of "key: value" or "- item" lines. It returns ok=false for anything
// else, however valid, and the full parser decodes it: comments, escapes,
// multi-line scalars, anchors, tabs, and any plain scalar whose type YAML
// could read differently. When ok, the tree equals the full parser's,
// positions included; FuzzSimpleYAML holds it to that.
func decodeSimpleYAML(src []byte, o Origin) (root *Node, ok bool) {
	if bytes.IndexByte(src, '\t') >= 0 || bytes.IndexByte(src, '\r') >= 0 {
		return nil, false
	}
	p := simpleYAML{src: src, o: o}
	root = &Node{Kind: Map}
	for {
		line, indent, no, more := p.nextLine()
		if !more {
			break
		}
		if indent != 0 {
			return nil, false
		}
		key, colon, rest, ok := simpleKey(line)
		if !ok || root.Get(key) != nil {
			return nil, false
		}
		if len(root.Keys) == 0 {
			root.Pos = o.pos(no, colon+1)
		}
		var val *Node
		if len(bytes.TrimLeft(rest, " ")) == 0 {
			val, ok = p.block()
		} else {
			val, ok = p.inline(line, no, 0, len(line)-len(rest))
		}
		if !ok {
			return nil, false
		}
		val.KeyPos = o.pos(no, 1)
		root.Keys = append(root.Keys, key)
		root.Values = append(root.Values, val)
	}
	if len(root.Keys) == 0 || p.refused {
		return nil, false
	}
	return root, true
}

type simpleYAML struct {
	src []byte
	o   Origin
	off int // where the next line starts
	no  int // the number of the line last read, from 1
	// refused is set when nextLine met what only the full parser reads.
	refused bool
}

// nextLine returns the next non-blank line, its indentation and number.
// A blank line followed by an indented one is left to the full parser.
func (p *simpleYAML) nextLine() (line []byte, indent, no int, ok bool) {
	blank := false
	for p.off < len(p.src) {
		end := bytes.IndexByte(p.src[p.off:], '\n')
		if end < 0 {
			end = len(p.src) - p.off
		}
		line = p.src[p.off : p.off+end]
		p.off += end + 1
		p.no++
		trimmed := bytes.TrimLeft(line, " ")
		if len(trimmed) == 0 {
			blank = true
			continue
		}
		indent = len(line) - len(trimmed)
		if blank && indent > 0 {
			p.refused = true
			return nil, 0, 0, false
		}
		return line, indent, p.no, true
	}
	return nil, 0, 0, false
}

// peekIndent returns the indentation of the next non-blank line, or -1 at
// the end.
func (p *simpleYAML) peekIndent() int {
	for off := p.off; off < len(p.src); {
		spaces := 0
		for off+spaces < len(p.src) && p.src[off+spaces] == ' ' {
			spaces++
		}
		if off+spaces == len(p.src) {
			break
		}
		if p.src[off+spaces] != '\n' {
			return spaces
		}
		off += spaces + 1
	}
	return -1
}

// simpleKey splits "key: rest" or "key:" at a line's start.
func simpleKey(line []byte) (key string, colon int, rest []byte, ok bool) {
	i := 0
	for i < len(line) && (isLetter(line[i]) || line[i] == '_' || i > 0 && (isDigit(line[i]) || line[i] == '-')) {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ':' || i+1 < len(line) && line[i+1] != ' ' {
		return "", 0, nil, false
	}
	return string(line[:i]), i, line[i+1:], true
}

// inline decodes the value that starts at byte start of line, after its
// key at indent; the next line must not be indented further.
func (p *simpleYAML) inline(line []byte, no, indent, start int) (*Node, bool) {
	for line[start] == ' ' {
		start++
	}
	if p.peekIndent() > indent {
		return nil, false // a continued scalar, or a nested block
	}
	if line[start] == '[' {
		return p.flowList(line, no, start)
	}
	n, end, ok := p.scalar(line, no, start, false)
	if !ok || len(bytes.TrimLeft(line[end:], " ")) != 0 {
		return nil, false
	}
	return n, true
}

// block decodes the indented lines under "key:": a map of scalars or a
// list of scalars, all at one indentation.
func (p *simpleYAML) block() (*Node, bool) {
	want := p.peekIndent()
	if want <= 0 {
		return nil, false // an empty value: null, left to the full parser
	}
	n := &Node{}
	for p.peekIndent() == want {
		line, indent, no, ok := p.nextLine()
		if !ok || indent != want {
			return nil, false
		}
		body := line[indent:]
		if body[0] == '-' {
			if n.Kind == Map || len(body) < 3 || body[1] != ' ' || body[2] == ' ' || p.peekIndent() > want {
				return nil, false
			}
			if n.Kind != List {
				n.Kind, n.Pos = List, p.o.pos(no, indent+1)
			}
			item, end, ok := p.scalar(line, no, indent+2, false)
			if !ok || len(bytes.TrimLeft(line[end:], " ")) != 0 {
				return nil, false
			}
			n.Items = append(n.Items, item)
			continue
		}
		if n.Kind == List {
			return nil, false
		}
		key, colon, rest, ok := simpleKey(body)
		if !ok || n.Get(key) != nil || len(bytes.TrimLeft(rest, " ")) == 0 {
			return nil, false
		}
		if n.Kind != Map {
			n.Kind, n.Pos = Map, p.o.pos(no, indent+colon+1)
		}
		val, ok := p.inline(line, no, indent, indent+colon+1)
		if !ok {
			return nil, false
		}
		val.KeyPos = p.o.pos(no, indent+1)
		n.Keys = append(n.Keys, key)
		n.Values = append(n.Values, val)
	}
	return n, p.peekIndent() <= 0
}

// flowList decodes a one-line [a, "b"] list starting at byte start.
func (p *simpleYAML) flowList(line []byte, no, start int) (*Node, bool) {
	n := &Node{Kind: List, Pos: p.o.pos(no, p.col(line, start))}
	i := start + 1
	for {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i >= len(line) {
			return nil, false
		}
		if line[i] == ']' && len(n.Items) == 0 {
			i++
			break
		}
		item, end, ok := p.scalar(line, no, i, true)
		if !ok {
			return nil, false
		}
		n.Items = append(n.Items, item)
		for i = end; i < len(line) && line[i] == ' '; i++ {
		}
		if i >= len(line) {
			return nil, false
		}
		if line[i] == ']' {
			i++
			break
		}
		if line[i] != ',' {
			return nil, false
		}
		i++
	}
	if len(bytes.TrimLeft(line[i:], " ")) != 0 {
		return nil, false
	}
	return n, true
}

// col is the 1-based column, in characters, of byte off of line.
func (p *simpleYAML) col(line []byte, off int) int {
	return utf8.RuneCount(line[:off]) + 1
}

// scalar decodes the scalar at byte start of line and returns where it
// ends. In a flow list, a plain scalar ends at ',' or ']'.
func (p *simpleYAML) scalar(line []byte, no, start int, inFlow bool) (*Node, int, bool) {
	n := &Node{Pos: p.o.pos(no, p.col(line, start))}
	switch q := line[start]; q {
	case '"', '\'':
		end := bytes.IndexByte(line[start+1:], q)
		if end < 0 {
			return nil, 0, false
		}
		text := line[start+1 : start+1+end]
		if q == '"' && bytes.IndexByte(text, '\\') >= 0 || !printable(text) {
			return nil, 0, false
		}
		end += start + 2
		if q == '\'' && end < len(line) && line[end] == '\'' {
			return nil, 0, false // '' escapes a quote
		}
		n.Kind, n.Text = String, string(text)
		return n, end, true
	}
	end := len(line)
	if inFlow {
		end = start
		for end < len(line) && line[end] != ',' && line[end] != ']' {
			end++
		}
	}
	text := line[start:end]
	kind, ok := plainKind(text)
	// The full parser places a plain scalar followed by spaces elsewhere.
	if !ok || text[len(text)-1] == ' ' {
		return nil, 0, false
	}
	n.Kind, n.Text = kind, string(text)
	return n, start + len(text), true
}

// plainKind is the kind of an unquoted scalar, when YAML reads it
// unambiguously: words starting with a letter are strings, except the
// words YAML 1.1 or 1.2 might read as booleans or null; digits without a
// leading zero are integers; dates and RFC 3339 times are kept as strings.
func plainKind(text []byte) (Kind, bool) {
	if len(text) == 0 || !printable(text) {
		return 0, false
	}
	switch string(text) {
	case "true", "false":
		return Bool, true
	}
	if isDigit(text[0]) {
		if allDigits(text) {
			return Int, len(text) <= 18 && (text[0] != '0' || len(text) == 1)
		}
		return String, isTimestamp(text)
	}
	r, _ := utf8.DecodeRune(text)
	if !unicode.IsLetter(r) {
		return 0, false
	}
	if len(text) <= 5 {
		switch string(bytes.ToLower(text)) {
		case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
			return 0, false
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch {
		case r == ':' || r == '#' || r == '[' || r == ']' || r == '{' || r == '}' || r == ',' || r == '"' || r == '\'' || r == '\\':
			return 0, false
		case r >= 0x80 && unicode.IsSpace(r):
			return 0, false
		}
	}
	return String, true
}

// isTimestamp matches 2024-07, 2024-07-15 and 2024-07-15T08:30:00 with an
// optional Z or ±hh:mm zone.
func isTimestamp(s []byte) bool {
	digits := func(s []byte, n int) bool { return len(s) >= n && allDigits(s[:n]) }
	if !digits(s, 4) || len(s) < 7 || s[4] != '-' || !digits(s[5:], 2) {
		return false
	}
	if len(s) == 7 {
		return true
	}
	if len(s) < 10 || s[7] != '-' || !digits(s[8:], 2) {
		return false
	}
	s = s[10:]
	if len(s) == 0 {
		return true
	}
	if len(s) < 9 || s[0] != 'T' || !digits(s[1:], 2) || s[3] != ':' || !digits(s[4:], 2) || s[6] != ':' || !digits(s[7:], 2) {
		return false
	}
	switch s = s[9:]; {
	case len(s) == 0, string(s) == "Z":
		return true
	case len(s) == 6 && (s[0] == '+' || s[0] == '-') && digits(s[1:], 2) && s[3] == ':' && digits(s[4:], 2):
		return true
	}
	return false
}

// printable rejects what YAML forbids or reads as a line break or a byte
// order mark: control characters, C1 controls, U+2028 and U+2029.
func printable(s []byte) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7F {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError || r < 0xA0 || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r >= 0xFFFE && r <= 0xFFFF {
			return false
		}
		i += size
	}
	return true
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func allDigits(s []byte) bool {
	for _, c := range s {
		if !isDigit(c) {
			return false
		}
	}
	return true
}
