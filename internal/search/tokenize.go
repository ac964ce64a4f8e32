// Package search builds a static, sharded search index of a site's
// articles: diacritic-insensitive, ranked, with facets, and split into small
// files so that a reader's browser downloads only what a query needs.
//
// The browser client (static/js/bantin-search.js) mirrors Tokenize; the two
// must agree, and a browser test checks that they do.
package search

import (
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
	splitWords(text, func(word string, _ uint32) {
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
// hash32, computed on the way. The index builder counts words as written
// and normalizes each distinct one once.
func splitWords(text string, fn func(word string, hash uint32)) {
	start := -1
	h := uint32(fnvOffset)
	for i := 0; i < len(text); {
		c := text[i]
		var word bool
		size := 1
		if c < utf8.RuneSelf {
			word = asciiWord[c]
		} else {
			var r rune
			r, size = decodeRune(text, i)
			word = vi.IsWordRune(r)
		}
		if word {
			if start < 0 {
				start, h = i, fnvOffset
			}
			for k := i; k < i+size; k++ {
				h = (h ^ uint32(text[k])) * fnvPrime
			}
		} else if start >= 0 {
			if i-start <= maxTokenBytes {
				fn(text[start:i], h)
			}
			start = -1
		}
		i += size
	}
	if start >= 0 && len(text)-start <= maxTokenBytes {
		fn(text[start:], h)
	}
}

// asciiWord marks the ASCII bytes that belong to words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
	}
	return t
}()

// decodeRune decodes the non-ASCII rune at text[i]. Vietnamese letters are
// two- and three-byte sequences, decoded here inline; anything else, and
// any invalid sequence, goes through utf8.DecodeRuneInString.
func decodeRune(text string, i int) (rune, int) {
	c := text[i]
	switch {
	case c >= 0xC2 && c < 0xE0 && i+1 < len(text) && text[i+1]&0xC0 == 0x80:
		return rune(c&0x1F)<<6 | rune(text[i+1]&0x3F), 2
	case c >= 0xE1 && c < 0xED && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80:
		// E1..EC lead bytes: U+1000..U+CFFF, no overlongs or surrogates.
		return rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(text[i:])
}
