package fields

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/bantin/bantin/internal/diag"
)

// The parsers build the whole tree before anything can look at its depth,
// and goccy/go-yaml and BurntSushi/toml take time and memory far beyond
// linear on deep nesting ("topics: " and 16,000 "[" took 7 s and 15 GB).
// So each format's nesting is measured first, in one pass over the block,
// and a block nested deeper than maxDepth never reaches its parser.

// cursor turns byte offsets of a block into lines and columns (in
// characters), moving forward from the last offset asked, so that asking
// in increasing order costs one pass in all.
type cursor struct {
	src            []byte
	off, line, col int
}

func newCursor(src []byte) *cursor { return &cursor{src: src, line: 1, col: 1} }

// at returns the line and column of offset; going back starts over.
func (c *cursor) at(offset int) (line, col int) {
	offset = min(max(offset, 0), len(c.src))
	if offset < c.off {
		c.off, c.line, c.col = 0, 1, 1
	}
	for c.off < offset {
		if c.src[c.off] == '\n' {
			c.line++
			c.col = 1
			c.off++
			continue
		}
		_, size := utf8.DecodeRune(c.src[c.off:])
		c.off += size
		c.col++
	}
	return c.line, c.col
}

// depthError is the error for a block nested deeper than maxDepth, at the
// offset where it goes past.
func depthError(src []byte, offset int, o Origin) error {
	line, col := newCursor(src).at(offset)
	return diag.Errorf(o.pos(line, col), "values nested more than %d levels deep; nest maps and lists a few levels at most", maxDepth)
}

// yamlDepth returns the offset in src where YAML's nesting of block and
// flow collections goes past maxDepth, or -1. It follows indentation,
// "- " items, flow brackets, quoted scalars (which may span lines),
// comments and block scalars ("|", ">"), closely enough to count every
// collection the parser would make; what it cannot tell apart it counts
// as nesting.
func yamlDepth(src []byte) int {
	var indents []int // columns of the open block collections
	flow := 0         // open flow brackets
	quote := byte(0)  // the open quoted scalar's quote
	opened := false   // the last line ended with "key:" or "-": a block may follow
	scalarIndent := -1
	for off := 0; off < len(src); {
		end := off
		for end < len(src) && src[end] != '\n' {
			end++
		}
		line := src[off:end]
		lineStart := off
		off = end + 1
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		blank := indent == len(line) || line[indent] == '#' || line[indent] == '\r'
		if scalarIndent >= 0 {
			if blank || indent > scalarIndent {
				continue // the content of a block scalar
			}
			scalarIndent = -1
		}
		i := 0
		if quote == 0 && flow == 0 {
			if blank {
				continue
			}
			for len(indents) > 0 && indents[len(indents)-1] > indent {
				indents = indents[:len(indents)-1]
			}
			if len(indents) == 0 || indents[len(indents)-1] < indent {
				if len(indents) > 0 && !opened {
					// A more indented line after a complete value goes on
					// with that value: a plain scalar over several lines.
					continue
				}
				indents = append(indents, indent)
				if len(indents) > maxDepth {
					return lineStart + indent
				}
			}
			i = indent
			// "- " items, one nested in the next: "- - a". The first
			// list is the line's own level; each further one nests, and
			// the last item's content starts a level of its own.
			for dashes := 0; i < len(line) && line[i] == '-' && (i+1 == len(line) || line[i+1] == ' '); dashes++ {
				if dashes > 0 {
					indents = append(indents, i)
					if len(indents) > maxDepth {
						return lineStart + i
					}
				}
				i++
				for i < len(line) && line[i] == ' ' {
					i++
				}
				if i == len(line) || line[i] != '-' {
					indents = append(indents, i)
				}
			}
			opened = i == len(line) || line[i] == '#'
			if opened {
				continue
			}
		}
		// The rest of the line: a value, or key: value, in block context,
		// or anything inside flow brackets or a quoted scalar.
		valueStart := quote == 0 && flow == 0
		for ; i < len(line); i++ {
			c := line[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote && quote == '\'' && i+1 < len(line) && line[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
				}
				continue
			}
			if c == ' ' || c == '\t' {
				continue
			}
			if c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
				break
			}
			if flow > 0 {
				switch c {
				case '[', '{':
					flow++
					if len(indents)+flow > maxDepth {
						return lineStart + i
					}
				case ']', '}':
					flow--
				case '"', '\'':
					if prev := prevNonSpace(line, i); prev < 0 || line[prev] == '[' || line[prev] == '{' || line[prev] == ',' || line[prev] == ':' {
						quote = c
					}
				}
				continue
			}
			if !valueStart {
				// Inside a plain scalar or a key, up to ": ".
				if c == ':' && (i+1 == len(line) || line[i+1] == ' ') {
					valueStart = true
					opened = i+1 == len(line) || restIsComment(line[i+1:])
					if opened {
						break
					}
				}
				continue
			}
			valueStart = false
			switch c {
			case '[', '{':
				flow = 1
				if len(indents)+flow > maxDepth {
					return lineStart + i
				}
			case '"', '\'':
				quote = c
			case '|', '>':
				scalarIndent = indent
				i = len(line)
			case '&', '!':
				// An anchor or a tag comes before the value.
				for i < len(line) && line[i] != ' ' {
					i++
				}
				valueStart = true
			case '?':
				valueStart = i+1 == len(line) || line[i+1] == ' '
			default:
				// A key, or a plain scalar; a key's value comes after ": ".
			}
		}
		if quote == 0 && flow == 0 && !valueStart {
			opened = false
		}
	}
	return -1
}

func prevNonSpace(line []byte, i int) int {
	for i--; i >= 0; i-- {
		if line[i] != ' ' && line[i] != '\t' {
			return i
		}
	}
	return -1
}

func restIsComment(rest []byte) bool {
	for _, c := range rest {
		if c == '#' {
			return true
		}
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// tomlLayout is where a TOML document writes its keys, values and array
// items, relative to the block, and the offset where its nesting goes past
// maxDepth (-1 when it does not). BurntSushi/toml reports no positions,
// so one pass over the source finds them: multi-line strings, inline
// tables and arrays written over several lines included.
type tomlLayout struct {
	keys  map[string]keyPos     // by dotted path, spelled as toml.Key.String
	items map[string][]diag.Pos // array items, by the array's path
	deep  int
}

type tomlScanner struct {
	src    []byte
	i      int
	cur    *cursor
	layout tomlLayout
}

func scanTOML(src []byte) tomlLayout {
	s := &tomlScanner{src: src, cur: newCursor(src), layout: tomlLayout{keys: map[string]keyPos{}, items: map[string][]diag.Pos{}, deep: -1}}
	table, tableDepth := "", 1
	// arrays counts the tables of each array of tables met so far, so that
	// keys inside the second [[taxonomies]] are "taxonomies[1].key".
	arrays := map[string]int{}
	for s.i < len(src) && s.layout.deep < 0 {
		s.skipSpace(true)
		if s.i >= len(src) {
			break
		}
		start := s.i
		if src[s.i] == '[' {
			array := s.i+1 < len(src) && src[s.i+1] == '['
			s.i++
			if array {
				s.i++
			}
			parts := s.key()
			if 1+len(parts) > maxDepth {
				s.layout.deep = start
				break
			}
			table = ""
			for k, part := range parts {
				table = strings.TrimPrefix(table+"."+toml.Key{part}.String(), ".")
				if array && k == len(parts)-1 {
					p := s.pos(start)
					s.layout.items[table] = append(s.layout.items[table], p)
					arrays[table]++
				}
				if n := arrays[table]; n > 0 {
					table += fmt.Sprintf("[%d]", n-1)
				}
			}
			tableDepth = 1 + len(parts)
			if array {
				tableDepth++
			}
			if tableDepth > maxDepth {
				s.layout.deep = start
				break
			}
			if _, ok := s.layout.keys[table]; !ok && table != "" {
				p := s.pos(start)
				s.layout.keys[table] = keyPos{key: p, value: p}
			}
			s.skipLine()
			continue
		}
		if !s.keyValue(table, tableDepth) {
			s.skipLine()
		}
		if s.i == start {
			s.i++ // never stall on what is not TOML; the decoder says what
		}
	}
	return s.layout
}

func (s *tomlScanner) pos(offset int) diag.Pos {
	line, col := s.cur.at(offset)
	return diag.Pos{Line: line, Col: col}
}

// skipSpace skips blanks and comments, and line breaks when newlines is set.
func (s *tomlScanner) skipSpace(newlines bool) {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case c == '\n' && newlines:
			s.i++
		case c == '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

func (s *tomlScanner) skipLine() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

// key reads a dotted key ("a . \"b c\"") and returns its parts.
func (s *tomlScanner) key() []string {
	var parts []string
	for s.i < len(s.src) {
		s.skipSpace(false)
		if s.i >= len(s.src) {
			break
		}
		switch c := s.src[s.i]; {
		case c == '"' || c == '\'':
			start := s.i + 1
			s.str(false)
			end := max(start, s.i-1)
			parts = append(parts, string(s.src[start:end]))
		case isLetter(c) || isDigit(c) || c == '_' || c == '-':
			start := s.i
			for s.i < len(s.src) && (isLetter(s.src[s.i]) || isDigit(s.src[s.i]) || s.src[s.i] == '_' || s.src[s.i] == '-') {
				s.i++
			}
			parts = append(parts, string(s.src[start:s.i]))
		default:
			return parts
		}
		s.skipSpace(false)
		if s.i >= len(s.src) || s.src[s.i] != '.' {
			return parts
		}
		s.i++
	}
	return parts
}

// keyValue reads "key = value" inside table, whose maps are depth deep,
// and reports whether it was one.
func (s *tomlScanner) keyValue(table string, depth int) bool {
	start := s.i
	parts := s.key()
	if len(parts) == 0 {
		return false
	}
	s.skipSpace(false)
	if s.i >= len(s.src) || s.src[s.i] != '=' {
		return false
	}
	s.i++
	s.skipSpace(false)
	path := toml.Key(parts).String()
	if table != "" {
		path = table + "." + path
	}
	depth += len(parts) - 1
	if depth > maxDepth {
		s.layout.deep = start
		return true
	}
	if _, ok := s.layout.keys[path]; !ok {
		s.layout.keys[path] = keyPos{key: s.pos(start), value: s.pos(s.i)}
	}
	s.value(path, depth)
	return true
}

// value reads one value, at s.i, of the key at path in a map depth deep.
func (s *tomlScanner) value(path string, depth int) {
	if s.i >= len(s.src) {
		return
	}
	switch s.src[s.i] {
	case '"', '\'':
		s.str(true)
	case '[':
		if depth+1 > maxDepth {
			s.layout.deep = s.i
			return
		}
		s.i++
		for s.layout.deep < 0 {
			s.skipSpace(true)
			if s.i >= len(s.src) || s.src[s.i] == ']' {
				s.i++
				return
			}
			s.layout.items[path] = append(s.layout.items[path], s.pos(s.i))
			before := s.i
			s.value(path, depth+1)
			s.skipSpace(true)
			if s.i < len(s.src) && s.src[s.i] == ',' {
				s.i++
			} else if s.i == before || s.i >= len(s.src) || s.src[s.i] != ']' {
				return // not TOML: the decoder reports it
			}
		}
	case '{':
		if depth+1 > maxDepth {
			s.layout.deep = s.i
			return
		}
		s.i++
		for s.layout.deep < 0 {
			s.skipSpace(true)
			if s.i >= len(s.src) || s.src[s.i] == '}' {
				s.i++
				return
			}
			if !s.keyValue(path, depth+1) {
				return
			}
			s.skipSpace(true)
			if s.i < len(s.src) && s.src[s.i] == ',' {
				s.i++
			} else if s.i >= len(s.src) || s.src[s.i] != '}' {
				return
			}
		}
	default:
		for s.i < len(s.src) {
			switch s.src[s.i] {
			case ',', ']', '}', '\n', '#':
				return
			}
			s.i++
		}
	}
}

// str skips the string starting at s.i: basic or literal, and with
// multiline set, the triple-quoted ones that may span lines.
func (s *tomlScanner) str(multiline bool) {
	q := s.src[s.i]
	triple := multiline && s.i+2 < len(s.src) && s.src[s.i+1] == q && s.src[s.i+2] == q
	if triple {
		s.i += 3
		for s.i < len(s.src) {
			if q == '"' && s.src[s.i] == '\\' {
				s.i += 2
				continue
			}
			if s.src[s.i] == q && s.i+2 < len(s.src) && s.src[s.i+1] == q && s.src[s.i+2] == q {
				s.i += 3
				for s.i < len(s.src) && s.src[s.i] == q { // up to two quotes end the text
					s.i++
				}
				return
			}
			s.i++
		}
		return
	}
	s.i++
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		if q == '"' && s.src[s.i] == '\\' {
			s.i += 2
			continue
		}
		if s.src[s.i] == q {
			s.i++
			return
		}
		s.i++
	}
}
