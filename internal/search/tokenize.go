// Package search builds a static, sharded search index of a site's
// articles: diacritic-insensitive, ranked, with facets, and split into small
// files so that a reader's browser downloads only what a query needs.
//
// The browser client (static/js/bantin-search.js) mirrors Tokenize; the two
// must agree, and a browser test checks that they do.
package search

import (
	"strings"
	"unicode"

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
	return AppendTokens(nil, text)
}

// AppendTokens appends the tokens of text to dst.
func AppendTokens(dst []Token, text string) []Token {
	text = vi.NewTonePlacement(vi.NFC(strings.ToLower(text)))
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		word := text[start:end]
		start = -1
		if len(word) > maxTokenBytes {
			return
		}
		dst = append(dst, Token{Exact: word, Folded: vi.Fold(word)})
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return dst
}
