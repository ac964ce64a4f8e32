package importer

import (
	"strings"
)

// mdEscape escapes text so that Markdown shows it as written: inline
// markers everywhere, block markers at the start of the line, and "<" so
// nothing becomes raw HTML.
func mdEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		case '&':
			// only an entity-like run would be decoded
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j < 10 && !strings.ContainsAny(s[i+1:i+j], " \t") {
				b.WriteByte('\\')
			}
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return escapeLineStart(b.String())
}

// escapeLineStart escapes what would open a block at the start of a
// paragraph: "# ", "- ", "+ ", "1. ", "1) ", "=" and "---".
func escapeLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '=':
		return `\` + s
	case '-', '+':
		if len(s) == 1 || s[1] == ' ' || s[1] == '-' || s[1] == '\t' {
			return `\` + s
		}
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') && (i+1 == len(s) || s[i+1] == ' ') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// emphasis wraps already escaped Markdown in one kind of emphasis.
func emphasis(md, mark string) string {
	t := strings.TrimSpace(md)
	if t == "" {
		return md
	}
	return mark + t + mark
}

// imageDest writes an image or link destination; angle brackets allow
// spaces and parentheses.
func linkDest(u string) string {
	if strings.ContainsAny(u, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(u) + ">"
	}
	return u
}

// renderBody writes the article's blocks as Markdown. src maps image
// sources to the links they got in the site (empty: the image is dropped
// and its caption kept as text).
func renderBody(blocks []block, src func(string) string) string {
	var parts []string
	for _, b := range blocks {
		switch b.kind {
		case blockPara:
			md := b.md
			if md == "" {
				md = mdEscape(b.text)
			}
			parts = append(parts, md)
		case blockHeading:
			level := min(max(b.level, 2), 6)
			md := b.md
			if md == "" {
				md = mdEscape(b.text)
			}
			parts = append(parts, strings.Repeat("#", level)+" "+md)
		case blockImage:
			link := src(b.image)
			caption := mdEscape(b.caption)
			switch {
			case link == "" && b.caption != "":
				parts = append(parts, emphasis(caption, "*"))
			case link == "":
			case b.caption != "":
				// An image followed by an italic line: the theme shows it as
				// a figure with its caption.
				parts = append(parts, "!["+caption+"]("+linkDest(link)+")\n"+emphasis(caption, "*"))
			default:
				parts = append(parts, "![]("+linkDest(link)+")")
			}
		case blockCaption:
			parts = append(parts, emphasis(mdEscape(b.text), "*"))
		case blockList, blockQuote, blockTable:
			if b.md != "" {
				parts = append(parts, b.md)
			}
		}
	}
	return strings.Join(parts, "\n\n") + "\n"
}
