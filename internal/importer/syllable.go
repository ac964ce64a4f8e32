package importer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese is written in syllables of a fixed shape: an optional initial
// consonant, a rime from a closed list, and at most one tone mark, with
// the stop finals (c, ch, p, t) taking only the sắc or nặng tone. Text
// decoded with the wrong table breaks that shape in most words, which
// makes the share of valid syllables a strong signal for the encoding.

var initials = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}

// rimes lists every rime without its tone.
var rimes = func() map[string]bool {
	list := `a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e eo ec em en eng ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oet oeo oc oi om on ong op ot ooc oong
ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uynh uyt uyu uc ui um un ung up ut uôc uôi uôm uôn uông uôt uơ
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêt yêu`
	m := map[string]bool{}
	for _, r := range strings.Fields(list) {
		m[r] = true
	}
	return m
}()

// toneOf returns the tone mark of a combining rune, or 0.
func isTone(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// toneless maps each precomposed Latin letter with a Vietnamese tone mark
// to the letter without it and the tone: 'ệ' -> 'ê', dot below. Built once
// from the Unicode decompositions, never written after.
var toneless = func() map[rune][2]rune {
	m := map[rune][2]rune{}
	for r := rune(0xC0); r < 0x1F00; r++ {
		var tone rune
		rest := make([]rune, 0, 3)
		for _, c := range norm.NFD.String(string(r)) {
			if isTone(c) && tone == 0 {
				tone = c
			} else {
				rest = append(rest, c)
			}
		}
		if tone == 0 {
			continue
		}
		// "ệ" decomposes to e, dot below, circumflex: the tone is not
		// always last.
		base := []rune(norm.NFC.String(string(rest)))
		if len(base) == 1 {
			m[r] = [2]rune{base[0], tone}
		}
	}
	return m
}()

// validSyllable reports whether word, any case, is a Vietnamese syllable.
func validSyllable(word string) bool {
	if word == "" || len(word) > 24 {
		return false
	}
	var tone rune
	var buf [8]rune
	letters := buf[:0]
	for _, r := range word {
		r = unicode.ToLower(r)
		if r == 'ð' {
			r = 'đ' // the look-alike old keyboards type
		}
		switch {
		case isTone(r): // decomposed text
			if tone != 0 {
				return false
			}
			tone = r
			continue
		case r >= 0x300 && r < 0x370:
			// a vowel mark written apart: compose it onto the letter before
			if len(letters) == 0 {
				return false
			}
			c := []rune(norm.NFC.String(string(letters[len(letters)-1]) + string(r)))
			if len(c) != 1 {
				return false
			}
			letters[len(letters)-1] = c[0]
			continue
		}
		if t, ok := toneless[r]; ok {
			if tone != 0 {
				return false
			}
			r, tone = t[0], t[1]
		}
		if !strings.ContainsRune("aăâbcdđeêghiklmnoôơpqrstuưvxy", r) || len(letters) == 7 {
			return false
		}
		letters = append(letters, r)
	}
	return validShape(string(letters), tone)
}

// validShape reports whether toneless letters with tone form a syllable.
func validShape(letters string, tone rune) bool {
	for _, ini := range initials {
		if !strings.HasPrefix(letters, ini) {
			continue
		}
		rime := letters[len(ini):]
		if rime == "" && ini == "gi" {
			rime = "i" // gì: the i of gi is the vowel
		}
		if !rimes[rime] || ini == "qu" && strings.HasPrefix(rime, "u") {
			continue
		}
		if stopFinal(rime) && tone != '\u0301' && tone != '\u0323' {
			continue
		}
		return true
	}
	return false
}

func stopFinal(rime string) bool {
	return strings.HasSuffix(rime, "c") || strings.HasSuffix(rime, "ch") ||
		strings.HasSuffix(rime, "p") || strings.HasSuffix(rime, "t")
}

// vietScore is the share of the words with letters beyond ASCII that are
// valid Vietnamese syllables, counting stray symbols among letters (what a
// wrong table makes of tone marks) as invalid words. ascii reports text
// with no such word at all, where every table reads the same.
func vietScore(s string) (score float64, words int) {
	valid := 0
	start := -1
	nonASCII := false
	flush := func(end int) {
		if start >= 0 && nonASCII {
			words++
			if validSyllable(s[start:end]) {
				valid++
			}
		}
		start, nonASCII = -1, false
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			if r >= 0x80 {
				nonASCII = true
			}
			continue
		}
		flush(i)
		if r >= 0x80 && !commonSymbol(r) {
			words++ // a symbol where a letter was meant
		}
	}
	flush(len(s))
	if words == 0 {
		return 1, 0
	}
	return float64(valid) / float64(words), words
}

// commonSymbol reports non-ASCII punctuation that Vietnamese text uses.
func commonSymbol(r rune) bool {
	switch r {
	case '\u00A0', '“', '”', '‘', '’', '–', '—', '…', '•', '°', '«', '»', '\uFEFF', '\u200B', '·', '№', '€', '©', '®':
		return true
	}
	return unicode.IsSpace(r)
}
