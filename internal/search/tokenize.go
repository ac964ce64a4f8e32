// Package search builds a static, sharded search index of a site's
// articles: diacritic-insensitive, ranked, with facets, and split into small
// files so that a reader's browser downloads only what a query needs.
//
// The browser client (static/js/bantin-search.js) mirrors Tokenize; the two
// must agree, and a browser test checks that they do.
package search

import (
	"strings"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/vi"
)

// Token is one syllable of text: Exact keeps its diacritics (lowercase, NFC,
// new-style tone placement), Folded has none ("đường" -> "duong").
type Token struct {
	Exact  string
	Folded string
}

// maxTokenBytes drops absurd tokens (base64 blobs, long URLs) from the index.
const maxTokenBytes = 64

// Tokenize splits text into syllables. Vietnamese writes one syllable per
// word, so "Thi đua" is two tokens; letters, digits and combining marks form
// tokens and everything else separates them.
func Tokenize(text string) []Token {
	var out []Token
	// Words are split on the composed text: "¨" + U+0301 is one symbol.
	scan(vi.NFC(text), nil, true, func(exact string, folded []byte) {
		out = append(out, Token{Exact: exact, Folded: string(folded)})
	})
	return out
}

// scan calls fn with each token of text, which must be NFC (site text is
// normalized on load), and its folded form when fold is set; folded is
// valid only during the call. buf is scratch space, returned for reuse.
func scan(text string, buf []byte, fold bool, fn func(exact string, folded []byte)) []byte {
	splitWords(text, func(word string, _ uint64, _ uint32) {
		word = normalizeWord(word)
		if fold {
			buf = vi.AppendFold(buf[:0], word)
		}
		fn(word, buf)
	})
	return buf
}

// normalizeWord turns a word as written into its token: lowercase, with
// new-style tone placement. Most words need no change and no allocation.
func normalizeWord(word string) string {
	word = vi.LowerWord(word)
	if vi.MayHaveOldTone(word) {
		word = vi.NewTonePlacement(word)
	}
	return word
}

// splitWords calls fn with each word of text as written, runs of letters,
// digits and combining marks at most maxTokenBytes long, and the word's
// wordHash and prefix. The index builder counts words as written and normalizes each
// distinct one once.
func splitWords(text string, fn func(word string, prefix uint64, hash uint32)) {
	start := -1 // of the current word, if any
	for i := 0; i < len(text); {
		// Classify the rune at i; Vietnamese letters are answered inline,
		// without decoding them.
		c := text[i]
		word, size := false, 1
		switch {
		case c < utf8.RuneSelf:
			word = asciiWord[c]
		case c >= 0xC2 && c < 0xE0 && i+1 < len(text) && text[i+1]&0xC0 == 0x80:
			word, size = wordRune2[int(c-0xC2)<<6|int(text[i+1]&0x3F)], 2
		case i+2 < len(text) && (c == 0xE1 && text[i+1]&0xF8 == 0xB8 || c == 0xE2 && text[i+1]&0xFE == 0x80) &&
			text[i+2]&0xC0 == 0x80:
			r := rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			word, size = wordRune3[r-wordRune3From], 3
		default:
			word, size = slowWordRuneAt(text, i)
		}
		if word {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			if i-start <= maxTokenBytes {
				prefix, hash := wordHash(text, start, i)
				fn(text[start:i], prefix, hash)
			}
			start = -1
		}
		i += size
	}
	if start >= 0 && len(text)-start <= maxTokenBytes {
		prefix, hash := wordHash(text, start, len(text))
		fn(text[start:], prefix, hash)
	}
}

// wordHash hashes text[start:end] eight bytes at a time, and returns its
// first eight bytes as a number too, which tell apart words of up to eight
// bytes (no word holds a zero byte): the index builder's word tables
// compare those without comparing strings.
func wordHash(text string, start, end int) (prefix uint64, hash uint32) {
	h := uint64(end-start) * 0x9E3779B97F4A7C15
	prefix = load64(text, start, min(end-start, 8))
	if end-start <= 8 {
		h = (h ^ prefix) * 0x94D049BB133111EB
		return prefix, uint32(h >> 32)
	}
	for ; end-start > 8; start += 8 {
		h = (h ^ load64(text, start, 8)) * 0xBF58476D1CE4E5B9
		h ^= h >> 31
	}
	h = (h ^ load64(text, start, end-start)) * 0x94D049BB133111EB
	return prefix, uint32(h >> 32)
}

// load64 returns text[i:i+n], n at most 8, as a little-endian number. Most
// words lie well inside the text, so one eight-byte load, masked to the
// word, reads them.
func load64(text string, i, n int) uint64 {
	if i+8 <= len(text) {
		b := text[i : i+8]
		v := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		return v & (^uint64(0) >> (64 - 8*n))
	}
	var v uint64
	for k := n - 1; k >= 0; k-- {
		v = v<<8 | uint64(text[i+k])
	}
	return v
}

// asciiWord marks the ASCII bytes that belong to words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
	}
	return t
}()

// slowWordRuneAt reports whether the rune at text[i], which splitWords
// did not classify inline, belongs to words, and its length.
func slowWordRuneAt(text string, i int) (bool, int) {
	r, size := utf8.DecodeRuneInString(text[i:])
	return vi.IsWordRune(r), size
}

// wordRune2 and wordRune3 are vi.IsWordRune of U+0080..U+07FF, the
// two-byte runes, and of U+1E00..U+207F: Latin Extended Additional, which
// holds most Vietnamese letters, Greek Extended, and the punctuation
// Vietnamese text is full of (“ ” – …).
const wordRune3From, wordRune3To = 0x1E00, 0x2080

var wordRune2, wordRune3 = func() (two [0x780]bool, three [wordRune3To - wordRune3From]bool) {
	for r := rune(0x80); r < 0x800; r++ {
		two[r-0x80] = vi.IsWordRune(r)
	}
	for r := rune(wordRune3From); r < wordRune3To; r++ {
		three[r-wordRune3From] = vi.IsWordRune(r)
	}
	return two, three
}()

// MaxWordBytes is the longest word the index holds, in bytes of its NFC
// spelling as written (before lowercasing): longer runs of letters are
// base64 blobs or long URLs, and a query word longer than this can match
// nothing.
const MaxWordBytes = maxTokenBytes

// Why a query finds nothing before any index is read, as CheckQuery says.
// The browser client must give the same answer for the same query
// (testdata/query-vectors.json holds the cases both are tested on), and
// show the reader why rather than every article.
const (
	// QueryEmpty: nothing but spaces. With filters chosen, the client
	// lists what they select; without, it asks for words.
	QueryEmpty = "empty"
	// QueryNoWords: text, but no letter or digit ("!!!", "— …").
	QueryNoWords = "no_words"
	// QueryWordsTooLong: every word is longer than MaxWordBytes.
	QueryWordsTooLong = "words_too_long"
)

// CheckQuery returns "" when query holds a word the index can hold, and
// otherwise why it does not (QueryEmpty, QueryNoWords, QueryWordsTooLong).
func CheckQuery(query string) string {
	text := vi.NFC(query)
	long := false
	words := false
	start := -1
	for i, r := range text + " " {
		if i < len(text) && vi.IsWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = true
			if i-start > MaxWordBytes {
				long = true
			} else {
				return ""
			}
			start = -1
		}
	}
	switch {
	case words && long:
		return QueryWordsTooLong
	case len(strings.TrimSpace(text)) == 0:
		return QueryEmpty
	}
	return QueryNoWords
}
