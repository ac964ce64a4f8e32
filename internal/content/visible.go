package content

import (
	"fmt"
	"strings"
	"unicode"
)

// stripped are the invisible characters removed from every text field
// (title, region, slogan, topics, author, summary): they carry no meaning
// in Vietnamese text and would make two equal-looking names differ (in
// slugs, search and term pages). Zero-width joiners and variation
// selectors stay, since emoji need them, but count as invisible.
func stripped(r rune) bool {
	switch r {
	case '\u200B', // zero width space
		'\u2060', // word joiner
		'\uFEFF', // zero width no-break space (byte order mark)
		'\u00AD', // soft hyphen
		'\u180E': // Mongolian vowel separator
		return true
	}
	return unicode.Is(unicode.Cc, r) && r != '\t' && r != '\n' && r != '\r'
}

// invisible reports characters that show nothing by themselves: spaces,
// controls, format characters, default-ignorable ones (Hangul fillers,
// variation selectors) and the blank Braille pattern.
func invisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) ||
		r == '\u2800' || r == '\u3164' || r == '\uFFA0' || r == '\u115F' || r == '\u1160'
}

// cleanText removes the stripped characters from a text field and trims
// it. It reports an error when the text had characters but none that is
// visible: a title of U+200B alone would be an invisible link.
func cleanText(field, v string) (string, error) {
	clean := strings.TrimSpace(strings.Map(func(r rune) rune {
		if stripped(r) {
			return -1
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, v))
	for _, r := range clean {
		if !invisible(r) && (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			return clean, nil
		}
	}
	if v == "" {
		return "", nil
	}
	var seen []string
	for _, r := range v {
		name := fmt.Sprintf("U+%04X", r)
		if !strings.Contains(strings.Join(seen, " "), name) && len(seen) < 3 {
			seen = append(seen, name)
		}
	}
	return "", fmt.Errorf("%s has no visible character, only invisible ones (%s); write the %s in words", field, strings.Join(seen, ", "), field)
}
