package render

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// DefaultMaxNesting is the default of Options.MaxNesting.
const DefaultMaxNesting = 32

// Fixed bounds of one article, beyond MaxNesting. goldmark looks every
// footnote reference up in a list of the footnotes, and copies the rest of
// a paragraph for each link definition it takes out of it: both cost the
// product of two counts, which these keep small.
const (
	maxFootnotes        = 100
	maxFootnoteRefs     = 10000
	maxDefinitionsInRow = 256
	// maxElements bounds the paragraphs, list items, table cells, links,
	// emphasis markers, code spans, tags and entities of one article:
	// goldmark takes 1 to 8 µs for each, so that an article packed with
	// them still renders in well under a second.
	maxElements = 100000
)

// limitScan checks, in one pass over an article's Markdown and before
// goldmark sees it, the inputs on which goldmark takes time quadratic in
// their size (or more):
//
//   - block quotes, list items and footnotes nested in one another: each
//     line is matched against every open container (`>`×100,000 took 12 s);
//   - link brackets nested in one another, and emphasis markers (*, _, ~)
//     open at once in a paragraph: each closing one scans back over them
//     ("a*_"×40,000 took 14 s);
//   - scans for the end of a link destination or title, or of a code span,
//     that run on to the end of a line or paragraph, once per opener
//     ("[a]("×20,000 took 4 s): their total length is held to a few times
//     the article's size;
//   - table rows shorter than their header (goldmark pads each one to the
//     header's width), footnotes and link definitions, by count.
//
// It models goldmark's parser closely enough to never reject an ordinary
// article, and errs on the side of counting more, never less. The
// position of the first problem is returned as a byte offset of src.
type limitScan struct {
	src        []byte
	maxNesting int

	// Block structure: the containers open on the current line.
	stack []container
	fence struct {
		open  bool
		char  byte
		n     int
		depth int // containers around it
	}
	inPara bool // the previous line was paragraph text

	// The current paragraph.
	para     inlineState
	refDefs  int // link definitions in it
	tableCol int // columns of the table it holds, 0 when none

	// The whole article.
	work, workBudget int64
	footnotes, refs  int
	refPos           int // offset of the footnote reference past the limit
	elements         int
	fail             *limitError

	// byteByByte turns off the skipping of plain text in inline, for the
	// test that checks the skipping changes nothing.
	byteByByte bool
}

type container struct {
	quote bool
	// width is the indentation a continuation line needs (list items,
	// footnotes); offset is where the container's marker is.
	width, offset int
}

type limitError struct {
	offset int
	msg    string
}

// inlineState is what the scan remembers of one paragraph's inline text.
type inlineState struct {
	prev rune // the character before the next one, as goldmark sees it
	// brackets are the "[" not closed yet; emph the emphasis markers that
	// may still open or close one. Each knows how deep the links or
	// emphasis closed after it nest.
	brackets []bracket
	emph     []delim
	// Link destinations being scanned: dests (in a word), angle (<...>),
	// titles (by closing character), waiting (destinations that ended
	// and wait for the next character: ")" or a title).
	balance int // "(" minus ")" in the current word
	dests   []destScan
	angle   pending
	waiting int
	titles  [3]pending // closed by '"', '\'', ')'
	// code holds, per length of backtick run, where the last run of that
	// length started: each run scans for the next one of its length.
	code map[int]int
}

type delim struct {
	char              byte
	canOpen, canClose bool
	origLen, length   int
	inner             int
}

type bracket struct{ offset, inner int }

type destScan struct{ start, balance int }

// pending is a number of scans waiting for one character: each costs the
// distance from its start to where the character comes.
type pending struct {
	count, first int
	sum          int64
}

func (p *pending) add(n, offset int) {
	if p.count == 0 {
		p.first = offset
	}
	p.count += n
	p.sum += int64(n) * int64(offset)
}

// checkLimits returns the first limit src goes past, or nil.
func checkLimits(src []byte, maxNesting int) *limitError {
	return scanLimits(src, maxNesting, false).fail
}

// scanLimits is checkLimits, returning the whole scan.
func scanLimits(src []byte, maxNesting int, byteByByte bool) *limitScan {
	if maxNesting <= 0 {
		maxNesting = DefaultMaxNesting
	}
	s := &limitScan{
		src: src, maxNesting: maxNesting, refPos: -1,
		workBudget: 16*int64(len(src)) + 1<<20,
		byteByByte: byteByByte,
	}
	s.para.reset()
	for off := 0; off < len(src) && s.fail == nil; {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		s.line(off, end)
		off = end + 1
	}
	if s.fail == nil {
		s.endParagraph(len(src))
	}
	if s.fail == nil && s.footnotes > 0 && s.refs > maxFootnoteRefs {
		s.failf(s.refPos, "more than %d footnote references; bantin renders at most %d in an article with footnotes", maxFootnoteRefs, maxFootnoteRefs)
	}
	return s
}

func (s *limitScan) failf(offset int, format string, args ...any) {
	if s.fail == nil {
		s.fail = &limitError{offset: offset, msg: fmt.Sprintf(format, args...)}
	}
}

// indent measures the spaces and tabs at src[i:end] in columns from col,
// with tab stops every 4 columns, and returns the first other byte.
func (s *limitScan) indent(i, end, col int) (j, width int) {
	j = i
	for j < end {
		switch s.src[j] {
		case ' ':
			width++
		case '\t':
			width += 4 - (col+width)%4
		default:
			return j, width
		}
		j++
	}
	return j, width
}

// skipColumns consumes n columns of indentation from src[i:end].
func (s *limitScan) skipColumns(i, end, col, n int) (int, int) {
	for n > 0 && i < end && (s.src[i] == ' ' || s.src[i] == '\t') {
		w := 1
		if s.src[i] == '\t' {
			w = 4 - col%4
		}
		col += w
		n -= w
		i++
	}
	return i, col
}

func isBlankBytes(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// line scans src[start:end], one line without its newline.
func (s *limitScan) line(start, end int) {
	blank := isBlankBytes(s.src[start:end])
	i, col := start, 0
	// Match the open containers.
	matched := 0
	for matched < len(s.stack) {
		c := s.stack[matched]
		if c.quote {
			j, w := s.indent(i, end, col)
			if w > 3 || j >= end || s.src[j] != '>' {
				break
			}
			col += w + 1
			i = j + 1
			if i < end && (s.src[i] == ' ' || s.src[i] == '\t') {
				i, col = s.skipColumns(i, end, col, 1)
			}
			matched++
			continue
		}
		if blank {
			matched++
			continue
		}
		_, w := s.indent(i, end, col)
		if w < c.width {
			break
		}
		i, col = s.skipColumns(i, end, col, c.width)
		matched++
	}

	if s.fence.open {
		if matched >= s.fence.depth {
			j, w := s.indent(i, end, col)
			if w <= 3 && s.fenceRun(j, end) >= s.fence.n && s.src[j] == s.fence.char && isBlankBytes(s.src[j+s.fenceRun(j, end):end]) {
				s.fence.open = false
			}
			return
		}
		s.fence.open = false
	}

	// Open new containers.
	opened := false
	for !blank {
		j, w := s.indent(i, end, col)
		if w >= 4 || j >= end {
			break
		}
		c := s.src[j]
		if c == '>' {
			s.push(matched, opened, container{quote: true, offset: j})
			opened = true
			col += w + 1
			i = j + 1
			if i < end && (s.src[i] == ' ' || s.src[i] == '\t') {
				i, col = s.skipColumns(i, end, col, 1)
			}
			if s.fail != nil {
				return
			}
			continue
		}
		marker := s.listMarker(j, end)
		if marker == 0 && c == '[' && j+1 < end && s.src[j+1] == '^' {
			// A footnote definition holds blocks indented by 4.
			if k := bytes.Index(s.src[j:end], []byte("]:")); k > 2 {
				s.footnotes++
				if s.footnotes > maxFootnotes {
					s.failf(j, "more than %d footnotes; bantin renders at most %d in one article", maxFootnotes, maxFootnotes)
					return
				}
				s.push(matched, opened, container{width: 4, offset: j})
				opened = true
				if s.fail != nil {
					return
				}
				i, col = j+k+2, col+w+k+2
				continue
			}
		}
		if marker == 0 || s.thematicBreak(j, end) {
			break
		}
		// The content column: 1 to 4 spaces after the marker, or 1 when
		// the item starts blank or with indented code.
		after := j + marker
		k, spaces := s.indent(after, end, col+w+marker)
		if k >= end || spaces > 4 {
			spaces = 1
		}
		s.push(matched, opened, container{width: w + marker + spaces, offset: j})
		opened = true
		if s.fail != nil {
			return
		}
		i, col = s.skipColumns(after, end, col+w+marker, spaces)
		if k >= end {
			i = end
		}
	}
	if !opened && matched < len(s.stack) {
		// A line that matches fewer containers continues a paragraph
		// lazily, or closes them.
		if !(s.inPara && !blank && !s.startsBlock(i, end, col)) {
			s.stack = s.stack[:matched]
		}
	}

	// The leaf block.
	j, w := s.indent(i, end, col)
	switch {
	case blank || j >= end:
		s.endParagraph(start)
		s.inPara = false
	case w >= 4 && !s.inPara:
		// Indented code.
	case w <= 3 && s.fenceRun(j, end) >= 3 && (s.src[j] == '~' || bytes.IndexByte(s.src[j+s.fenceRun(j, end):end], '`') < 0):
		s.element(j)
		s.endParagraph(start)
		s.inPara = false
		s.fence.open, s.fence.char, s.fence.n, s.fence.depth = true, s.src[j], s.fenceRun(j, end), len(s.stack)
	case w <= 3 && s.atxHeading(j, end):
		s.element(j)
		s.endParagraph(start)
		s.inline(j, end)
		s.endParagraph(end)
		s.inPara = false
	case w <= 3 && s.thematicBreak(j, end):
		s.element(j)
		s.endParagraph(start)
		s.inPara = false
	default:
		if opened {
			s.endParagraph(start)
		}
		s.element(j)
		s.paragraphLine(j, end)
		s.inPara = true
	}
}

// push adds a container to those the line matched, closing the others.
func (s *limitScan) push(matched int, opened bool, c container) {
	if !opened {
		s.stack = s.stack[:matched]
	}
	s.stack = append(s.stack, c)
	s.element(c.offset)
	if len(s.stack) > s.maxNesting {
		s.failf(c.offset, "block quotes, lists and footnotes nested more than %d levels deep; bantin renders at most %d ([limits] max_nesting in site.toml)", s.maxNesting, s.maxNesting)
	}
}

// listMarker returns the length of the list marker at src[j], or 0.
func (s *limitScan) listMarker(j, end int) int {
	n := 0
	switch c := s.src[j]; {
	case c == '-' || c == '+' || c == '*':
		n = 1
	case c >= '0' && c <= '9':
		for j+n < end && n < 10 && s.src[j+n] >= '0' && s.src[j+n] <= '9' {
			n++
		}
		if n > 9 || j+n >= end || (s.src[j+n] != '.' && s.src[j+n] != ')') {
			return 0
		}
		n++
	default:
		return 0
	}
	if j+n < end && s.src[j+n] != ' ' && s.src[j+n] != '\t' {
		return 0
	}
	return n
}

func (s *limitScan) thematicBreak(j, end int) bool {
	c := s.src[j]
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	n := 0
	for k := j; k < end; k++ {
		switch s.src[k] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

func (s *limitScan) atxHeading(j, end int) bool {
	n := 0
	for j+n < end && s.src[j+n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && (j+n == end || s.src[j+n] == ' ' || s.src[j+n] == '\t')
}

func (s *limitScan) fenceRun(j, end int) int {
	if j >= end || (s.src[j] != '`' && s.src[j] != '~') {
		return 0
	}
	n := 0
	for j+n < end && s.src[j+n] == s.src[j] {
		n++
	}
	return n
}

// startsBlock reports whether a line not matching every container starts
// a block of its own rather than continuing a paragraph.
func (s *limitScan) startsBlock(i, end, col int) bool {
	j, w := s.indent(i, end, col)
	if w >= 4 || j >= end {
		return false
	}
	return s.src[j] == '>' || s.listMarker(j, end) > 0 || s.fenceRun(j, end) >= 3 ||
		s.atxHeading(j, end) || s.thematicBreak(j, end)
}

// paragraphLine scans a line of paragraph text starting at src[j].
func (s *limitScan) paragraphLine(j, end int) {
	line := s.src[j:end]
	// Every row of a table has a cell for each column of its header,
	// however short the row is written.
	if s.tableCol > 0 {
		s.elements += s.tableCol
	} else if s.inPara && isDelimiterRow(line) {
		s.tableCol = bytes.Count(bytes.Trim(bytes.TrimSpace(line), "|"), []byte("|")) + 1
		s.elements += 2 * s.tableCol
	}
	s.inline(j, end)
	if len(line) > 1 && line[0] == '[' && s.fail == nil {
		if k := bytes.Index(line, []byte("]:")); k > 0 && line[1] != '^' {
			s.refDefs++
			if s.refDefs > maxDefinitionsInRow {
				s.failf(j, "more than %d link definitions ([label]: url) in a row; separate them with blank lines", maxDefinitionsInRow)
				return
			}
			s.definitionTitle(j+k+2, end)
		}
	}
	// The line break is a space to the inline parser.
	s.space(end)
}

// definitionTitle notes the title of a link definition "[a]: /url 'title",
// which goldmark scans for its end up to the paragraph's end.
func (s *limitScan) definitionTitle(i, end int) {
	for i < end && (s.src[i] == ' ' || s.src[i] == '\t') {
		i++
	}
	for i < end && s.src[i] != ' ' && s.src[i] != '\t' {
		i++
	}
	for i < end && (s.src[i] == ' ' || s.src[i] == '\t') {
		i++
	}
	if i < end {
		// A title closed on its own line costs nothing to find.
		if k := titleIndex(s.src[i]); k >= 0 && bytes.IndexByte(s.src[i+1:end], titleClosers[k]) < 0 {
			s.para.titles[k].add(1, i)
		}
	}
}

// isDelimiterRow matches a table's delimiter row: "|---|:-:|".
func isDelimiterRow(line []byte) bool {
	dash, pipe := false, false
	for _, c := range line {
		switch c {
		case '-':
			dash = true
		case '|':
			pipe = true
		case ':', ' ', '\t':
		default:
			return false
		}
	}
	return dash && pipe
}

func titleIndex(c byte) int {
	switch c {
	case '"':
		return 0
	case '\'':
		return 1
	case '(':
		return 2
	}
	return -1
}

var titleClosers = [3]byte{'"', '\'', ')'}

func (st *inlineState) reset() {
	code := st.code
	clear(code)
	emph, dests, brackets := st.emph[:0], st.dests[:0], st.brackets[:0]
	*st = inlineState{prev: '\n', emph: emph, dests: dests, brackets: brackets, code: code}
	if st.code == nil {
		st.code = map[int]int{}
	}
}

// addWork counts the bytes scans from opener offsets cover, ending at
// offset, and fails past the article's budget.
func (s *limitScan) addWork(p *pending, offset int, what string) {
	if p.count == 0 {
		return
	}
	s.work += int64(p.count)*int64(offset) - p.sum
	first := p.first
	*p = pending{}
	if s.work > s.workBudget {
		s.failf(first, "%s; bantin stops here so that the article renders in time", what)
	}
}

const (
	unclosedLinks = "too many unclosed links in this paragraph (\"[text](\" with no \")\", or a link title with no closing quote); close them, or write literal brackets as \\[ and \\]"
	unclosedCode  = "too many unclosed code spans in this paragraph (runs of ` with no run of the same length after them); close them, or write literal backticks as \\`"
)

// endParagraph settles every scan still open at offset, the paragraph's end.
func (s *limitScan) endParagraph(offset int) {
	st := &s.para
	s.endWord(offset)
	s.addWork(&st.angle, offset, unclosedLinks)
	for k := range st.titles {
		s.addWork(&st.titles[k], offset, unclosedLinks)
	}
	code := pending{first: offset}
	for _, start := range st.code {
		code.count++
		code.first = min(code.first, start)
		code.sum += int64(start)
	}
	s.addWork(&code, offset, unclosedCode)
	st.reset()
	s.refDefs, s.tableCol = 0, 0
}

// endWord ends the link destinations scanned in the current word: goldmark
// then looks at the next character for ")" or a title.
func (s *limitScan) endWord(offset int) {
	st := &s.para
	if len(st.dests) > 0 {
		p := pending{}
		for _, d := range st.dests {
			p.add(1, d.start)
		}
		s.addWork(&p, offset, unclosedLinks)
		st.waiting += len(st.dests)
		st.dests = st.dests[:0]
	}
	st.balance = 0
}

// space handles whitespace at offset (a line break too).
func (s *limitScan) space(offset int) {
	s.endWord(offset)
	s.para.prev = ' '
}

// inline scans paragraph text src[i:end].
func (s *limitScan) inline(i, end int) {
	st := &s.para
	for i < end && s.fail == nil {
		c := s.src[i]
		if c == ' ' || c == '\t' {
			s.space(i)
			i++
			continue
		}
		afterBreak := st.prev == ' ' || st.prev == '\n' || st.prev == '*' || st.prev == '_' || st.prev == '~' || st.prev == '('
		if plainByte(c) && st.waiting == 0 && !(afterBreak && (c == 'w' || c == 'h' || c == 'f')) && !s.byteByByte {
			// Most of an article is words: a run of bytes none of the
			// cases below looks at only sets prev, to its last character.
			// Every byte they look at is ASCII, so it never lies inside a
			// character, and the run ends where a character does. With no
			// link destination open, the run goes on over spaces too, which
			// then only end the word (see space); it stops at a word after
			// one that may start an autolink.
			j, spaced := i+1, false
			for j < end {
				d := s.src[j]
				if d == ' ' || d == '\t' {
					if len(st.dests) > 0 {
						break
					}
					spaced = true
				} else if !plainByte(d) || (d == 'w' || d == 'h' || d == 'f') && (s.src[j-1] == ' ' || s.src[j-1] == '\t') {
					break
				}
				j++
			}
			if spaced {
				st.balance = 0
			}
			if last := s.src[j-1]; last == ' ' || last == '\t' {
				st.prev = ' '
			} else {
				st.prev, _ = utf8.DecodeLastRune(s.src[i:j])
			}
			i = j
			continue
		}
		if afterBreak {
			if c == 'w' || c == 'h' || c == 'f' {
				rest := s.src[i:end]
				if bytes.HasPrefix(rest, []byte("www.")) || bytes.HasPrefix(rest, []byte("http")) || bytes.HasPrefix(rest, []byte("ftp:")) {
					s.element(i) // a candidate autolink
				}
			}
		}
		for k, closer := range titleClosers {
			if c == closer {
				s.addWork(&st.titles[k], i, unclosedLinks)
			}
		}
		if st.waiting > 0 {
			// Destinations that ended at a space or ">" go on with a
			// title, or end here.
			if k := titleIndex(c); k >= 0 {
				st.titles[k].add(st.waiting, i)
			}
			st.waiting = 0
		}
		switch c {
		case '\\':
			if i+1 < end && util.IsPunct(s.src[i+1]) {
				st.prev = rune(s.src[i+1])
				i += 2
				continue
			}
		case '<', '@', '&':
			s.element(i)
		case '`':
			s.element(i)
			n := s.run(i, end)
			if start, ok := st.code[n]; ok {
				p := pending{count: 1, first: start, sum: int64(start)}
				s.addWork(&p, i, unclosedCode)
			}
			st.code[n] = i
			st.prev = '`'
			i += n
			continue
		case '*', '_', '~':
			n := s.run(i, end)
			s.emphasis(i, end, n)
			st.prev = rune(c)
			i += n
			continue
		case '[':
			st.brackets = append(st.brackets, bracket{offset: i})
			s.element(i)
			if i+1 < end && s.src[i+1] == '^' {
				s.refs++
				if s.refs == maxFootnoteRefs+1 {
					s.refPos = i
				}
			}
		case ']':
			// goldmark closes the last "[" and walks what lies between:
			// the depth of links in links is what costs.
			if n := len(st.brackets); n > 0 {
				b := st.brackets[n-1]
				st.brackets = st.brackets[:n-1]
				depth := b.inner + 1
				if depth > s.maxNesting {
					s.failf(b.offset, "links or brackets [ ] nested more than %d levels deep; bantin renders at most %d ([limits] max_nesting in site.toml); write literal brackets as \\[ and \\]", s.maxNesting, s.maxNesting)
					return
				}
				if n > 1 {
					st.brackets[n-2].inner = max(st.brackets[n-2].inner, depth)
				}
			}
			if i+1 < end && s.src[i+1] == '(' {
				i = s.linkDestination(i+1, end)
				st.prev = rune(s.src[i-1])
				continue
			}
		case '(':
			st.balance++
		case ')':
			st.balance--
			// Destinations whose parentheses this one unbalances end here.
			for len(st.dests) > 0 && st.dests[len(st.dests)-1].balance > st.balance {
				d := st.dests[len(st.dests)-1]
				p := pending{count: 1, first: d.start, sum: int64(d.start)}
				s.addWork(&p, i, unclosedLinks)
				st.dests = st.dests[:len(st.dests)-1]
			}
		case '>':
			if st.angle.count > 0 {
				n := st.angle.count
				s.addWork(&st.angle, i, unclosedLinks)
				st.waiting += n
			}
		}
		r, size := utf8.DecodeRune(s.src[i:])
		st.prev = r
		i += size
	}
	// An angle destination ends with its line.
	s.addWork(&st.angle, end, unclosedLinks)
}

// plainByte reports whether inline does nothing with byte c but remember
// it as the character before the next: it is not a space, nor a character
// that opens, closes or escapes anything.
func plainByte(c byte) bool {
	// The bytes that are not plain, as two sets of 64 bits: a lookup
	// rather than a switch, for the byte by byte loop over words.
	const low = 1<<' ' | 1<<'\t' | 1<<'\n' | 1<<'"' | 1<<'\'' | 1<<'(' | 1<<')' | 1<<'<' | 1<<'>' | 1<<'&' | 1<<'*'
	const high = 1<<('@'-64) | 1<<('\\'-64) | 1<<('`'-64) | 1<<('_'-64) | 1<<('~'-64) | 1<<('['-64) | 1<<(']'-64)
	switch {
	case c < 64:
		return uint64(low)>>c&1 == 0
	case c < 128:
		return uint64(high)>>(c-64)&1 == 0
	}
	return true
}

// linkDestination starts the scan goldmark makes at "](", with "(" at
// src[i], and returns where to go on.
func (s *limitScan) linkDestination(i, end int) int {
	st := &s.para
	j := i + 1
	for j < end && (s.src[j] == ' ' || s.src[j] == '\t') {
		j++
	}
	if j < end && s.src[j] == ')' {
		return j + 1 // an empty destination: "[a]()"
	}
	// The "(" counts in the word's balance for the scans around this
	// one, which pass over it.
	st.balance++
	if j < end && s.src[j] == '<' {
		st.angle.add(1, j)
	} else {
		st.dests = append(st.dests, destScan{start: j, balance: st.balance})
	}
	return i + 1
}

// run returns the length of the run of src[i] starting there.
func (s *limitScan) run(i, end int) int {
	n := 1
	for i+n < end && s.src[i+n] == s.src[i] {
		n++
	}
	return n
}

// emphasis follows goldmark's delimiter stack for a run of n markers at
// src[i], as it is processed at the paragraph's end: a run that can close
// scans back for an opener; one that can open waits on the stack.
func (s *limitScan) emphasis(i, end, n int) {
	st := &s.para
	c := s.src[i]
	if c == '~' && (n > 2 || st.prev == '~') {
		return // not a strikethrough marker: plain text
	}
	after := rune(' ')
	if i+n < end {
		after, _ = utf8.DecodeRune(s.src[i+n:])
	}
	before := st.prev
	beforePunct, beforeSpace := util.IsPunctRune(before), util.IsSpaceRune(before)
	afterPunct, afterSpace := util.IsPunctRune(after), util.IsSpaceRune(after)
	left := !afterSpace && (!afterPunct || beforeSpace || beforePunct)
	right := !beforeSpace && (!beforePunct || afterSpace || afterPunct)
	d := delim{char: c, canOpen: left, canClose: right, origLen: n, length: n}
	if c == '_' {
		d.canOpen = left && (!right || beforePunct)
		d.canClose = right && (!left || afterPunct)
	}
	s.element(i) // goldmark makes a node of every run
	if d.canClose {
		for d.length > 0 {
			found, maybe := -1, false
			for k := len(st.emph) - 1; k >= 0; k-- {
				if len(st.emph)-k > s.maxNesting {
					s.failf(i, "more than %d emphasis markers (*, _ or ~) stand open before this one in its paragraph; bantin renders at most %d ([limits] max_nesting in site.toml); write a literal one as \\*, \\_ or \\~", s.maxNesting, s.maxNesting)
					return
				}
				o := st.emph[k]
				if !o.canOpen || o.char != c {
					continue
				}
				maybe = true
				if (o.canClose || d.canOpen) && (o.origLen+d.origLen)%3 == 0 && d.origLen%3 != 0 {
					continue
				}
				found = k
				break
			}
			if found < 0 {
				if !maybe && !d.canOpen {
					return
				}
				break
			}
			use := 1
			if st.emph[found].length >= 2 && d.length >= 2 {
				use = 2
			}
			// The markers between the two are dropped; what they held
			// is inside the new emphasis.
			o := &st.emph[found]
			for _, e := range st.emph[found+1:] {
				o.inner = max(o.inner, e.inner)
			}
			st.emph = st.emph[:found+1]
			depth := o.inner + 1
			if depth > s.maxNesting {
				s.failf(i, "emphasis (*, _ or ~) nested more than %d levels deep; bantin renders at most %d ([limits] max_nesting in site.toml)", s.maxNesting, s.maxNesting)
				return
			}
			o.inner = depth
			o.length -= use
			if o.length == 0 {
				st.emph = st.emph[:found]
				if found > 0 {
					st.emph[found-1].inner = max(st.emph[found-1].inner, depth)
				}
			}
			d.length -= use
		}
		if d.length == 0 {
			return
		}
	}
	if !d.canOpen && !d.canClose {
		return
	}
	st.emph = append(st.emph, d)
}

// element counts one more Markdown element.
func (s *limitScan) element(offset int) {
	s.elements++
	if s.elements > maxElements {
		s.failf(offset, "more than %d Markdown elements (paragraphs, list items, table cells, links, emphasis markers, code spans, tags, entities) in one article; split it into several articles", maxElements)
	}
}
