package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/vi"
)

// word is one word of a name in the two forms names are compared in.
type word struct {
	// fold is the word without diacritics, lowercased: "hau".
	fold string
	// exact is the word lowercased, in NFC and with the new tone
	// placement: "hậu", "hòa" for "Hoà".
	exact string
	// ascii reports that the word was written without diacritics, so that
	// only its folded form must match.
	ascii bool
	// upper reports that the word was written with a capital first.
	upper bool
}

// newWord returns the forms of one word (a run of letters, digits and
// combining marks).
func newWord(w string) word {
	// The Icelandic eth looks like Đ and is sometimes typed for it.
	if strings.ContainsAny(w, "Ðð") {
		w = strings.NewReplacer("Ð", "Đ", "ð", "đ").Replace(w)
	}
	exact := vi.LowerWord(w)
	if vi.MayHaveOldTone(exact) {
		exact = vi.NewTonePlacement(exact)
	}
	return word{fold: string(vi.AppendFold(nil, exact)), exact: exact, ascii: isASCII(w), upper: startsUpper(w)}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// span is the byte range of a word in a text.
type span struct{ start, end int }

// scanWords calls fn for each word of s: each maximal run of letters,
// digits and combining marks. Everything else separates words, so "TP.Cần
// Thơ", "Bà Rịa–Vũng Tàu" and "Bà Rịa - Vũng Tàu" have the same words.
func scanWords(s string, fn func(span)) {
	start := -1
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if vi.IsWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			fn(span{start, i})
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(span{start, len(s)})
	}
}

// maxNameWords bounds the words of a name that Lookup considers; no place
// name comes near it, and it keeps hostile input cheap.
const maxNameWords = 16

// wordsOf returns the words of a name, or nil when it has more than
// maxNameWords.
func wordsOf(name string) []word {
	var out []word
	n := 0
	scanWords(name, func(sp span) {
		n++
		if n <= maxNameWords {
			out = append(out, newWord(name[sp.start:sp.end]))
		}
	})
	if n > maxNameWords {
		return nil
	}
	return out
}

// foldKey joins the folded forms of words: the key of the name index.
func foldKey(words []word) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.fold)
	}
	return b.String()
}

// kindWord is a word or abbreviation written before a name to say its
// kind: "tỉnh", "TP", "thị xã", "H.".
type kindWord struct {
	words []word
	kinds []Kind
}

// kindWordList spells the kind words, longest first so that "thành phố
// trực thuộc trung ương" wins over "thành phố". It is data, never written.
var kindWordList = []struct {
	text  string
	kinds []Kind
}{
	{"thành phố trực thuộc trung ương", []Kind{CentralCity}},
	{"thành phố", []Kind{CentralCity, City}},
	{"tp", []Kind{CentralCity, City}},
	{"tỉnh", []Kind{Province}},
	{"thị xã", []Kind{Town}},
	{"tx", []Kind{Town}},
	{"huyện đảo", []Kind{District}},
	{"huyện", []Kind{District}},
	{"h", []Kind{District}},
	{"quận", []Kind{UrbanDistrict}},
	{"q", []Kind{UrbanDistrict}},
	{"phường", []Kind{Ward}},
	{"p", []Kind{Ward}},
	{"xã", []Kind{Commune}},
	{"đặc khu", []Kind{SpecialZone}},
}

func kindWords() []kindWord {
	out := make([]kindWord, len(kindWordList))
	for i, k := range kindWordList {
		out[i] = kindWord{words: wordsOf(k.text), kinds: k.kinds}
	}
	return out
}

// matches reports whether written, a word from the input, is the word
// want: the folded forms must agree, and the exact ones too unless the
// input was written without diacritics. "Hau" matches "hậu"; "hâu" does not.
func (want word) matches(written word) bool {
	return want.fold == written.fold && (written.ascii || want.exact == written.exact)
}

// stripKind removes a leading kind word from words and returns the kinds
// it names, or nil and words unchanged when there is none.
func stripKind(kws []kindWord, words []word) ([]Kind, []word) {
	for _, kw := range kws {
		if len(words) <= len(kw.words) {
			continue
		}
		ok := true
		for i, w := range kw.words {
			ok = ok && w.matches(words[i])
		}
		if ok {
			return kw.kinds, words[len(kw.words):]
		}
	}
	return nil, words
}

// kindWordFor returns how a page title writes kind k before a name.
func kindWordFor(k Kind) string {
	switch k {
	case CentralCity:
		return "thành phố"
	case Area:
		return ""
	}
	return string(k)
}

// startsUpper reports whether a word of free text is written as a name
// is: with a capital or a digit first.
func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || unicode.IsTitle(r)
}
