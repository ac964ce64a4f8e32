package gazetteer

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/diag"
)

// positions maps TOML paths to where they are written. The TOML decoder
// reports no position per key, so a second, forgiving pass over the
// (already validated) source finds them. A path joins its keys with
// pathSep; an array element adds "#index".
type positions struct {
	keys   map[string]diag.Pos // where the key is written
	values map[string]diag.Pos // where its value starts
}

const pathSep = "\x00"

func joinPath(parts ...string) string { return strings.Join(parts, pathSep) }

// lineIndex turns byte offsets into editor positions.
type lineIndex struct {
	file   string
	src    []byte
	starts []int // byte offset of each line's start
}

func newLineIndex(file string, src []byte) *lineIndex {
	li := &lineIndex{file: file, src: src, starts: []int{0}}
	for i, c := range src {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

// pos returns the position of the byte at offset, the column counted in
// characters as editors do.
func (li *lineIndex) pos(offset int) diag.Pos {
	offset = max(0, min(offset, len(li.src)))
	line := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > offset }) - 1
	col := utf8.RuneCount(li.src[li.starts[line]:offset]) + 1
	return diag.Pos{File: li.file, Line: line + 1, Col: col}
}

// scanPositions records the position of every key and value of a TOML
// document that the decoder accepted.
func scanPositions(li *lineIndex) positions {
	s := &posScanner{li: li, src: li.src, out: positions{keys: map[string]diag.Pos{}, values: map[string]diag.Pos{}}}
	s.document()
	return s.out
}

type posScanner struct {
	li  *lineIndex
	src []byte
	i   int
	out positions
}

func (s *posScanner) eof() bool { return s.i >= len(s.src) }

// space skips blanks, and newlines and comments too when lines is true.
func (s *posScanner) space(lines bool) {
	for !s.eof() {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case lines && c == '\n':
			s.i++
		case lines && c == '#':
			for !s.eof() && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

func (s *posScanner) record(m map[string]diag.Pos, path string, offset int) {
	if _, ok := m[path]; !ok {
		m[path] = s.li.pos(offset)
	}
}

func (s *posScanner) document() {
	var table []string
	for {
		s.space(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.src[s.i] == '[' {
			s.i++
			if !s.eof() && s.src[s.i] == '[' {
				s.i++
			}
			s.space(false)
			table = s.keyPath()
			s.record(s.out.keys, joinPath(table...), start)
			for !s.eof() && s.src[s.i] != '\n' && s.src[s.i] != '#' {
				s.i++
			}
			continue
		}
		path := append(append([]string(nil), table...), s.keyPath()...)
		s.record(s.out.keys, joinPath(path...), start)
		s.space(false)
		if !s.eof() && s.src[s.i] == '=' {
			s.i++
		}
		s.space(false)
		s.value(path)
		if s.i == start { // never stall on input this pass does not understand
			s.i++
		}
	}
}

// keyPath reads a dotted key: bare, "quoted" or 'literal' parts.
func (s *posScanner) keyPath() []string {
	var parts []string
	for !s.eof() {
		s.space(false)
		if s.eof() {
			break
		}
		switch c := s.src[s.i]; {
		case c == '"' || c == '\'':
			start := s.i
			s.skipString()
			raw := string(s.src[start:s.i])
			if c == '"' {
				if u, err := strconv.Unquote(raw); err == nil {
					parts = append(parts, u)
					break
				}
			}
			parts = append(parts, strings.Trim(raw, string(c)))
		case isBareKeyByte(c):
			start := s.i
			for !s.eof() && isBareKeyByte(s.src[s.i]) {
				s.i++
			}
			parts = append(parts, string(s.src[start:s.i]))
		default:
			return parts
		}
		s.space(false)
		if s.eof() || s.src[s.i] != '.' {
			return parts
		}
		s.i++
	}
	return parts
}

func isBareKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// skipString moves past a basic, literal or multi-line string.
func (s *posScanner) skipString() {
	q := s.src[s.i]
	if strings.HasPrefix(string(s.src[s.i:min(len(s.src), s.i+3)]), strings.Repeat(string(q), 3)) {
		s.i += 3
		for !s.eof() {
			if q == '"' && s.src[s.i] == '\\' {
				s.i += 2
				continue
			}
			if strings.HasPrefix(string(s.src[s.i:min(len(s.src), s.i+3)]), strings.Repeat(string(q), 3)) {
				s.i += 3
				for !s.eof() && s.src[s.i] == q { // up to two quotes may end the content
					s.i++
				}
				return
			}
			s.i++
		}
		return
	}
	s.i++
	for !s.eof() && s.src[s.i] != q && s.src[s.i] != '\n' {
		if q == '"' && s.src[s.i] == '\\' {
			s.i++
		}
		s.i++
	}
	if !s.eof() && s.src[s.i] == q {
		s.i++
	}
}

func (s *posScanner) value(path []string) {
	if s.eof() {
		return
	}
	s.record(s.out.values, joinPath(path...), s.i)
	switch s.src[s.i] {
	case '{':
		s.i++
		for !s.eof() {
			s.space(true)
			if s.eof() || s.src[s.i] == '}' {
				s.i++
				return
			}
			start := s.i
			key := append(append([]string(nil), path...), s.keyPath()...)
			s.record(s.out.keys, joinPath(key...), start)
			s.space(false)
			if !s.eof() && s.src[s.i] == '=' {
				s.i++
			}
			s.space(false)
			s.value(key)
			s.space(true)
			if !s.eof() && s.src[s.i] == ',' {
				s.i++
			}
			if s.i == start {
				s.i++
			}
		}
	case '[':
		s.i++
		for n := 0; !s.eof(); n++ {
			s.space(true)
			if s.eof() || s.src[s.i] == ']' {
				s.i++
				return
			}
			start := s.i
			s.value(append(append([]string(nil), path...), "#"+strconv.Itoa(n)))
			s.space(true)
			if !s.eof() && s.src[s.i] == ',' {
				s.i++
			}
			if s.i == start {
				s.i++
			}
		}
	case '"', '\'':
		s.skipString()
	default: // numbers, booleans, dates and times
		for !s.eof() && !strings.ContainsRune(",]}\n#", rune(s.src[s.i])) {
			s.i++
		}
	}
}
