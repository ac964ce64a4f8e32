package importer

import (
	"strings"
	"unicode/utf8"
)

// readText splits plain text into paragraphs. Exports of portal pages put
// one paragraph on each line; text typed for e-mail wraps lines at about
// 72 characters and separates paragraphs with blank lines, so a file whose
// blank-separated groups are mostly wrapped lines is joined group by group.
func readText(text string) []block {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = collapseSpace(strings.ReplaceAll(l, "\t", " "))
	}
	var groups [][]string
	var cur []string
	for _, l := range lines {
		if l == "" {
			if len(cur) > 0 {
				groups = append(groups, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	wrapped := hardWrapped(groups)
	var out []block
	for _, g := range groups {
		if wrapped && len(g) > 1 {
			out = append(out, block{kind: blockPara, text: joinWrapped(g)})
			continue
		}
		for _, l := range g {
			out = append(out, block{kind: blockPara, text: l})
		}
	}
	return out
}

// hardWrapped reports text whose lines were wrapped at a fixed width: the
// lines inside multi-line groups are of similar, moderate length.
func hardWrapped(groups [][]string) bool {
	inner, wrappedLike, longest := 0, 0, 0
	for _, g := range groups {
		for i, l := range g {
			n := utf8.RuneCountInString(l)
			longest = max(longest, n)
			if i == len(g)-1 {
				continue
			}
			inner++
			if n >= 40 && n <= 100 {
				wrappedLike++
			}
		}
	}
	return inner >= 3 && longest <= 110 && wrappedLike*10 >= inner*8
}

// joinWrapped joins wrapped lines, undoing hyphenation at line ends only
// where a word was cut ("thi đua-\nkhen" keeps its hyphen: Vietnamese
// rarely splits syllables).
func joinWrapped(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return collapseSpace(b.String())
}
