package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// "Bài, ảnh: Minh Hùng", "TIN, ẢNH: THU HIỀN", "Tác giả: ..."
	reBylinePrefix = regexp.MustCompile(`(?i)^(?:bài\s*(?:,|và|&|\+)?\s*ảnh|tin\s*(?:,|và|&|\+)?\s*ảnh|bài\s*(?:,|và)?\s*ảnh\s*(?:,|và)?\s*clip|bài|tin|tác giả|người viết|thực hiện|nhóm pv|nhóm phóng viên|pv|ctv|btv|nguồn tin)\s*[:：]\s*(.{2,80})$`)
	// "(tổng hợp)", "(TH)", "- TTXVN" after a name
	reBylineSuffix = regexp.MustCompile(`(?i)\s*(?:\((?:tổng hợp|th|lược ghi|ghi|theo [^)]*|pv|ctv)\)|\s[-–]\s*(?:ttxvn|th))\s*$`)
	// A sentence that ends with a name in capitals run into it: "...quý
	// I-2023.HÁI", "... cho biết. MINH TÂM"
	// Separators between the names of co-authors.
	reNameSep     = regexp.MustCompile(`\s*(?:[-–,;/&]|\svà\s)\s*`)
	reGluedByline = regexp.MustCompile(`([.!?…”"])\s*((?:[\p{Lu}][\p{Lu}\p{Mn}]*\.?\s?){1,4})$`)
)

// byline reads an author line: the name with its labels removed, title
// cased when it was written in capitals. ok is false for anything else.
func byline(line string) (author string, ok bool) {
	line = collapseSpace(line)
	if line == "" || utf8.RuneCountInString(line) > 80 {
		return "", false
	}
	if m := reBylinePrefix.FindStringSubmatch(line); m != nil {
		name := strings.TrimSpace(reBylineSuffix.ReplaceAllString(m[1], ""))
		name = strings.TrimRight(name, ". ")
		if looksLikeNames(name) {
			return nameCase(name), true
		}
		return "", false
	}
	name := strings.TrimSpace(reBylineSuffix.ReplaceAllString(line, ""))
	name = strings.TrimRight(name, ". ")
	if strings.HasPrefix(strings.ToLower(name), "theo ") || strings.HasPrefix(strings.ToLower(name), "nguồn") {
		return "", false
	}
	if looksLikeNames(name) {
		return nameCase(name), true
	}
	return "", false
}

// looksLikeNames reports one to three personal names: capitalized words,
// joined by "-", "," or "và"; initials like "P.V" allowed.
func looksLikeNames(s string) bool {
	if s == "" {
		return false
	}
	parts := reNameSep.Split(s, -1)
	if len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		words := strings.Fields(p)
		if len(words) == 0 || len(words) > 5 {
			return false
		}
		for _, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(r) {
				return false
			}
			for _, c := range w {
				if !unicode.IsLetter(c) && !unicode.Is(unicode.Mn, c) && c != '.' {
					return false
				}
			}
		}
	}
	// A short heading ("Quang Cảnh") would pass too; names rarely have
	// more than five words in all.
	return len(strings.Fields(s)) <= 8
}

// nameCase title-cases a name written in capitals ("NGUYỄN LÊ" -> "Nguyễn
// Lê"); names already in mixed case are kept.
func nameCase(s string) string {
	if strings.ToUpper(s) != s || !strings.ContainsFunc(s, unicode.IsLetter) {
		return s
	}
	words := strings.Fields(s)
	for i, w := range words {
		if strings.Contains(w, ".") && utf8.RuneCountInString(w) <= 4 {
			continue // initials: "P.V"
		}
		lower := []rune(strings.ToLower(w))
		lower[0] = unicode.ToUpper(lower[0])
		words[i] = string(lower)
	}
	return strings.Join(words, " ")
}

// gluedByline splits a capitals name off the end of a paragraph.
func gluedByline(para string) (rest, author string, ok bool) {
	m := reGluedByline.FindStringSubmatchIndex(para)
	if m == nil {
		return para, "", false
	}
	name := strings.TrimSpace(para[m[4]:m[5]])
	letters := 0
	for _, r := range name {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 {
		return para, "", false
	}
	return strings.TrimSpace(para[:m[4]]), nameCase(strings.TrimRight(name, ". ")), true
}
