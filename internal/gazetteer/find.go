package gazetteer

import (
	"slices"
	"strings"

	"github.com/bantin/bantin/internal/vi"
)

// trieNode indexes spellings word by word (folded), so that Find tries
// every name starting at a word with a few map lookups.
type trieNode struct {
	next  map[string]*trieNode
	refs  []*ref
	depth int // the most words of a spelling below the root (root only)
}

func (n *trieNode) add(words []word, r *ref) {
	n.depth = max(n.depth, len(words))
	cur := n
	for _, w := range words {
		if cur.next == nil {
			cur.next = map[string]*trieNode{}
		}
		nx := cur.next[w.fold]
		if nx == nil {
			nx = &trieNode{}
			cur.next[w.fold] = nx
		}
		cur = nx
	}
	cur.refs = append(cur.refs, r)
}

// Mention is a place name found in free text.
type Mention struct {
	// Start and End are the byte offsets of the name in the text, its
	// kind word included: text[Start:End] is Text.
	Start, End int
	Text       string
	// Places are the places the name can mean, ordered as by Lookup;
	// Resolve(Text, date) picks one.
	Places []*Place
}

// textWord is a word of free text, folded into a shared buffer so that
// finding names allocates little.
type textWord struct {
	start, end   int // in the text
	fstart, fend int // the folded form in the buffer
	upper        bool
}

// separator reports whether the bytes between two words may separate the
// words of one name: spaces, dots and dashes ("TP.HCM", "Bà Rịa - Vũng
// Tàu"), not commas, brackets or line breaks.
func separator(s string) bool {
	if s == "" || len(s) > 8 {
		return false
	}
	for _, r := range s {
		switch r {
		case ' ', '\t', '\u00a0', '.', '-', '\u2010', '\u2011', '\u2013', '\u2014':
		default:
			return false
		}
	}
	return true
}

// Find returns the place names in text, left to right, without overlap:
// at each word the longest name that starts there, with its kind word if
// one precedes it ("thành phố Ngã Bảy"). A name must stand as whole words,
// capitalized where the name is (headlines in capitals qualify; "hòa bình"
// the words do not), with only spaces, dots or dashes between them. Names of places that need a kind word count only after
// one. Its time is linear in the length of text.
func (g *Gazetteer) Find(text string) []Mention {
	// Vietnamese words average under six bytes with their space.
	words := make([]textWord, 0, len(text)/6+1)
	buf := make([]byte, 0, len(text))
	scanWords(text, func(sp span) {
		w := text[sp.start:sp.end]
		f0 := len(buf)
		buf = vi.AppendFold(buf, w)
		if strings.Contains(string(buf[f0:]), "ð") { // eth typed for đ; rare
			buf = append(buf[:f0], newWord(w).fold...)
		}
		words = append(words, textWord{start: sp.start, end: sp.end, fstart: f0, fend: len(buf), upper: startsUpper(w)})
	})
	f := &finder{g: g, text: text, words: words, buf: buf}
	var out []Mention
	for i := 0; i < len(words); {
		best := f.longest(i)
		if best.refs == nil {
			i++
			continue
		}
		start, end := words[i].start, words[best.last].end
		out = append(out, Mention{Start: start, End: end, Text: text[start:end], Places: placesOf(best.refs)})
		i = best.last + 1
	}
	return out
}

type finder struct {
	g     *Gazetteer
	text  string
	words []textWord
	buf   []byte
	exact map[int]word // words' exact forms, computed when a comparison needs them
}

type found struct {
	last int // index of the name's last word
	refs []*ref
}

func (f *finder) foldIs(i int, want string) bool {
	return string(f.buf[f.words[i].fstart:f.words[i].fend]) == want
}

func (f *finder) exactWord(i int) word {
	w, ok := f.exact[i]
	if !ok {
		if f.exact == nil {
			f.exact = map[int]word{}
		}
		w = newWord(f.text[f.words[i].start:f.words[i].end])
		f.exact[i] = w
	}
	return w
}

func (f *finder) joined(i int) bool {
	return separator(f.text[f.words[i-1].end:f.words[i].start])
}

// longest returns the longest name starting at word i, bare or after a
// kind word.
func (f *finder) longest(i int) found {
	best := f.walk(i, nil, found{last: -1})
	w := f.words[i]
	for _, kw := range f.g.kindsByFirst[string(f.buf[w.fstart:w.fend])] {
		j := i + len(kw.words)
		if j >= len(f.words) {
			continue
		}
		ok := true
		for k, w := range kw.words {
			ok = ok && (k == 0 || f.joined(i+k)) && f.foldIs(i+k, w.fold) && (w.ascii || w.exact == f.exactWord(i+k).exact)
		}
		if ok && f.joined(j) {
			best = f.walk(j, kw.kinds, best)
		}
	}
	return best
}

// walk follows the trie from word j and returns the longer of best and
// the longest acceptable name found.
func (f *finder) walk(j int, kinds []Kind, best found) found {
	node := f.g.trie
	for k := j; k < len(f.words) && k-j < f.g.trie.depth; k++ {
		if k > j && !f.joined(k) {
			break
		}
		w := f.words[k]
		node = node.next[string(f.buf[w.fstart:w.fend])] // no allocation

		if node == nil {
			break
		}
		var refs []*ref
		for _, r := range node.refs {
			if f.accepts(r, j, kinds != nil) {
				refs = append(refs, r)
			}
		}
		if len(refs) > 0 && k > best.last {
			if kinds != nil {
				refs = filterKinds(refs, kinds)
			}
			best = found{last: k, refs: refs}
		}
	}
	return best
}

// accepts reports whether the words from j spell r, diacritics included
// where the text has them, and whether r may stand without a kind word.
func (f *finder) accepts(r *ref, j int, withKind bool) bool {
	if r.place.NeedsKind && !r.explicit && !withKind {
		return false
	}
	for k, w := range r.words {
		tw := f.words[j+k]
		if w.upper && !tw.upper {
			return false
		}
		if !isASCII(f.text[tw.start:tw.end]) && w.exact != f.exactWord(j+k).exact {
			return false
		}
	}
	return true
}

func placesOf(refs []*ref) []*Place {
	var out []*Place
	for _, r := range refs {
		if !slices.Contains(out, r.place) {
			out = append(out, r.place)
		}
	}
	slices.SortFunc(out, func(a, b *Place) int {
		if d := a.Kind.Level() - b.Kind.Level(); d != 0 {
			return d
		}
		return byRank(a, b)
	})
	return out
}

// spellings returns ways of writing p that Lookup resolves to it: its
// name and aliases, with and without kind words and diacritics. It shows
// what the rules derive; it is not the index itself.
func (g *Gazetteer) spellings(p *Place) []string {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, name := range append([]string{p.Name}, p.Aliases...) {
		bare := g.sortName(name)
		forms := []string{name, bare}
		for _, kw := range kindSpellings(p.Kind) {
			forms = append(forms, kw+" "+bare)
			if strings.HasSuffix(kw, ".") {
				forms = append(forms, kw+bare) // "Tp.Cần Thơ"
			}
		}
		for _, s := range forms {
			add(s)
			add(vi.Fold(s))
			add(strings.ToUpper(s))
		}
	}
	return out
}

// kindSpellings lists how writers put kind k before a name.
func kindSpellings(k Kind) []string {
	switch k {
	case Province:
		return []string{"tỉnh", "Tỉnh"}
	case CentralCity, City:
		return []string{"thành phố", "Thành phố", "TP", "TP.", "Tp.", "tp"}
	case Town:
		return []string{"thị xã", "Thị xã", "TX", "TX."}
	case UrbanDistrict:
		return []string{"quận", "Quận", "Q."}
	case District:
		return []string{"huyện", "Huyện", "H."}
	case Commune:
		return []string{"xã", "Xã"}
	case Ward:
		return []string{"phường", "Phường", "P."}
	case SpecialZone:
		return []string{"đặc khu", "Đặc khu"}
	}
	return nil
}
