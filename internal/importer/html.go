package importer

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Bounds on a page, so that hostile markup costs little.
const (
	maxHTMLDepth = 200
	maxHTMLNodes = 400000
)

// decodeHTML decodes a page's bytes: the same detection as for text, which
// also sees through a page that declares one charset and was typed in a
// legacy font's bytes.
func decodeHTML(data []byte, forced Encoding) (decoded, error) {
	return decodeText(data, forced)
}

var (
	// Class and id words that mark page chrome and the article itself.
	reChrome  = regexp.MustCompile(`(?i)menu|(?:^|[-_\s])nav|footer|sidebar|side-bar|breadcrumb|related|lien-?quan|tin-?khac|tinkhac|other-?news|comment|binh-?luan|share|social|chia-?se|banner|advert|quang-?cao|(?:^|[-_\s])ads?(?:$|[-_\s])|popup|modal|widget|topbar|top-bar|toolbar|login|search|tim-?kiem|pagination|paging|copyright|thong-?ke|counter|weather|thoi-?tiet|poll|binh-?chon|most-?view|xem-?nhieu|(?:^|[-_\s])tags?(?:$|[-_\s])|keyword|print|font-?size|co-?chu|hotline|lien-?ket|weblink|logo`)
	reArticle = regexp.MustCompile(`(?i)content|article|detail|chi-?tiet|noi-?dung|(?:^|[-_\s])main|(?:^|[-_\s])body|(?:^|[-_\s])post|entry|story|bai-?viet|news-?text|fulltext|ms-rtestate`)
	reCaption = regexp.MustCompile(`(?i)caption|desc|chu-?thich|chuthich|image_?note|photo-?note|expnote|(?:^|[-_\s])note|fig|img-?text|anh-?mo-?ta`)
	reDateCls = regexp.MustCompile(`(?i)date|time|ngay|publish|posted|created|thoi-?gian|ngay-?dang`)
	reTitleCl = regexp.MustCompile(`(?i)title|tieu-?de|tieude|headline|heading`)
	reAuthCls = regexp.MustCompile(`(?i)author|tac-?gia|tacgia|byline|writer`)
	reCenter  = regexp.MustCompile(`(?i)text-align\s*:\s*center`)
	reItalic  = regexp.MustCompile(`(?i)font-style\s*:\s*italic`)
)

// readHTML reads a saved page: its meta fields and the blocks of its main
// content, found by scoring (or by sel, a CSS selector). dir is the
// page's folder, where its saved images are.
func readHTML(text, sel, dir string, loc *time.Location) (*document, error) {
	root, err := html.ParseWithOptions(strings.NewReader(text), html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil, fmt.Errorf("read HTML: %w", err)
	}
	if n := countNodes(root, 0); n > maxHTMLNodes {
		return nil, fmt.Errorf("the page has more than %d elements; is it an article?", maxHTMLNodes)
	}
	doc := &document{}
	doc.meta = pageMeta(root, loc)
	base := doc.meta.source
	assets := &pageAssets{dir: dir, base: base}
	doc.assets = assets

	var nodes []*html.Node
	if sel != "" {
		s, err := cascadia.ParseGroup(sel)
		if err != nil {
			return nil, fmt.Errorf("--select %q: %w", sel, err)
		}
		nodes = cascadia.QueryAll(root, s)
		if len(nodes) == 0 {
			return nil, fmt.Errorf("--select %q matches nothing in the page", sel)
		}
	} else {
		prune(root)
		top := mainContent(root)
		if top == nil {
			return nil, errNoText
		}
		nodes = withHeadline(top, root, doc.meta.title)
	}
	c := &converter{base: base}
	for _, n := range nodes {
		c.blocks(n, 0)
	}
	c.flush()
	doc.blocks = c.out
	if !doc.meta.hasDay {
		// A date element of the page (<time datetime>, or a class naming
		// it), for when the text has no date line of its own.
		if st, ok := pageDate(root, loc); ok {
			doc.meta.hint = &st
		}
	}
	return doc, nil
}

func countNodes(n *html.Node, depth int) int {
	if depth > maxHTMLDepth {
		return maxHTMLNodes + 1
	}
	c := 1
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c += countNodes(ch, depth+1)
		if c > maxHTMLNodes {
			return c
		}
	}
	return c
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func classID(n *html.Node) string { return attr(n, "class") + " " + attr(n, "id") }

// pageMeta reads the fields a page states in its head.
func pageMeta(root *html.Node, loc *time.Location) meta {
	var m meta
	var title, ogTitle, keywords, canonical, ogURL string
	var tags []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if title == "" {
					title = cleanText(textOf(n))
				}
			case atom.Meta:
				key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
				val := cleanText(strings.TrimSpace(attr(n, "content")))
				switch key {
				case "og:title", "twitter:title":
					if ogTitle == "" {
						ogTitle = val
					}
				case "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
					"publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "article.published", "created", "dateCreated":
					if !m.hasDay {
						if st, _, _, ok := parseStamp(val, loc); ok {
							m.date, m.hasDay, m.hasTime, m.zoned = st.t, true, st.hasTime, st.zoned
						}
					}
				case "author", "article:author", "dc.creator":
					if m.author == "" && looksLikeNames(val) {
						m.author = nameCase(val)
					}
				case "keywords", "news_keywords":
					keywords = val
				case "article:tag":
					tags = append(tags, val)
				case "og:url":
					ogURL = val
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") {
					canonical = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Body:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	m.title = ogTitle
	if m.title == "" {
		m.title = title
	}
	for _, u := range []string{canonical, ogURL} {
		if isRemote(u) {
			m.source = u
			break
		}
	}
	if len(tags) == 0 && keywords != "" {
		for _, k := range strings.Split(keywords, ",") {
			tags = append(tags, k)
		}
		if len(tags) > 10 {
			tags = nil // a keyword list for search engines, not topics
		}
	}
	for _, t := range tags {
		t = collapseSpace(t)
		if t != "" && len(strings.Fields(t)) <= 8 {
			m.topics = append(m.topics, t)
		}
	}
	return m
}

// pageDate finds a date in an element that names itself a date.
func pageDate(root *html.Node, loc *time.Location) (stamp, bool) {
	var found *stamp
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != nil {
			return
		}
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Time {
				if st, _, _, ok := parseStamp(attr(n, "datetime")+" "+textOf(n), loc); ok {
					found = &st
					return
				}
			}
			if reDateCls.MatchString(classID(n)) {
				if st, ok := dateLine(collapseSpace(textOf(n)), loc); ok {
					found = &st
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if found == nil {
		return stamp{}, false
	}
	return *found, true
}

// textOf is the text under n, with block boundaries as newlines.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Br, atom.P, atom.Div, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				b.WriteByte('\n')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// dropTags never hold article text.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true, atom.Form: true, atom.Nav: true,
	atom.Footer: true, atom.Aside: true, atom.Button: true, atom.Select: true, atom.Input: true, atom.Textarea: true,
	atom.Svg: true, atom.Canvas: true, atom.Object: true, atom.Embed: true, atom.Template: true, atom.Link: true,
	atom.Meta: true, atom.Head: true, atom.Label: true, atom.Map: true, atom.Audio: true, atom.Video: true,
}

// prune removes what is never the article: scripts, forms, navigation,
// and elements whose class or id names them chrome, unless they hold most
// of the page's paragraphs.
func prune(root *html.Node) {
	total := paraText(root)
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch {
			case c.Type == html.CommentNode:
				n.RemoveChild(c)
			case c.Type == html.ElementNode && (dropTags[c.DataAtom] || depth > maxHTMLDepth):
				n.RemoveChild(c)
			case c.Type == html.ElementNode && c.DataAtom != atom.Body && c.DataAtom != atom.Html && chromeClass(c) &&
				paraText(c)*2 < total:
				n.RemoveChild(c)
			case c.Type == html.ElementNode && c.DataAtom == atom.Header && paraText(c)*4 < total:
				n.RemoveChild(c)
			default:
				walk(c, depth+1)
			}
			c = next
		}
	}
	walk(root, 0)
}

// chromeClass reports an element whose class or id names page chrome and
// not the article.
func chromeClass(n *html.Node) bool {
	ci := classID(n)
	if strings.TrimSpace(ci) == "" || !reChrome.MatchString(ci) {
		return false
	}
	// "news-detail-menu" is chrome; "main-content" is not; an element
	// named both ("content-related") is chrome.
	return !reArticle.MatchString(ci) || strings.Contains(strings.ToLower(ci), "related") ||
		strings.Contains(strings.ToLower(ci), "lien") || strings.Contains(strings.ToLower(ci), "comment") ||
		strings.Contains(strings.ToLower(ci), "share") || strings.Contains(strings.ToLower(ci), "breadcrumb")
}

// paraText is the length of the text of n's paragraphs and text blocks.
func paraText(n *html.Node) int {
	total := 0
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		if n.Type == html.TextNode {
			if t := strings.TrimSpace(n.Data); utf8.RuneCountInString(t) >= 25 {
				total += len(t)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return total
}

// mainContent scores the page's containers by the prose they hold
// (text length, commas, few links) and returns the best one.
func mainContent(root *html.Node) *html.Node {
	scores := map[*html.Node]float64{}
	var order []*html.Node
	addScore := func(n *html.Node, s float64) {
		if n == nil || n.Type != html.ElementNode {
			return
		}
		if _, ok := scores[n]; !ok {
			scores[n] = classWeight(n)
			order = append(order, n)
		}
		scores[n] += s
	}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		if n.Type == html.ElementNode && isParagraphLike(n) {
			t := collapseSpace(ownText(n))
			if l := utf8.RuneCountInString(t); l >= 25 {
				s := 1 + float64(strings.Count(t, ",")) + min(float64(l)/100, 3)
				addScore(n.Parent, s)
				if n.Parent != nil {
					addScore(n.Parent.Parent, s/2)
					if n.Parent.Parent != nil {
						addScore(n.Parent.Parent.Parent, s/3)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	var best, body *html.Node
	bestScore := 0.0
	for _, n := range order {
		if n.DataAtom == atom.Body || n.DataAtom == atom.Html {
			if n.DataAtom == atom.Body && scores[n] >= 3 {
				body = n // a page with its paragraphs right in <body>
			}
			continue
		}
		s := scores[n] * (1 - linkDensity(n))
		if best == nil || s > bestScore {
			best, bestScore = n, s
		}
	}
	if best == nil || bestScore < 3 {
		return body
	}
	return best
}

// isParagraphLike is an element that holds prose directly.
func isParagraphLike(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Pre, atom.Td, atom.Blockquote, atom.Li, atom.Dd:
		return true
	case atom.Div, atom.Span, atom.Font, atom.Section, atom.Article:
		// a div with text of its own and no block children
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && blockTags[c.DataAtom] {
				return false
			}
		}
		return true
	}
	return false
}

// ownText is the text of n without its nested blocks' text.
func ownText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && !blockTags[c.DataAtom]:
				walk(c, depth+1)
			}
		}
	}
	walk(n, 0)
	return b.String()
}

func classWeight(n *html.Node) float64 {
	w := 0.0
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Section, atom.Main:
		w += 5
	case atom.Td, atom.Blockquote, atom.Pre:
		w += 3
	case atom.Ul, atom.Ol, atom.Dl, atom.Form:
		w -= 3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		w -= 5
	}
	ci := classID(n)
	if reArticle.MatchString(ci) {
		w += 25
	}
	if reChrome.MatchString(ci) {
		w -= 25
	}
	return w
}

// linkDensity is the share of n's text inside links.
func linkDensity(n *html.Node) float64 {
	all, linked := 0, 0
	var walk func(n *html.Node, inLink bool, depth int)
	walk = func(n *html.Node, inLink bool, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		if n.Type == html.TextNode {
			l := len(strings.TrimSpace(n.Data))
			all += l
			if inLink {
				linked += l
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink || n.DataAtom == atom.A, depth+1)
		}
	}
	walk(n, false, 0)
	if all == 0 {
		return 1
	}
	return float64(linked) / float64(all)
}

// withHeadline returns the nodes to read: the content, preceded by the
// page's headline and date when they stand outside it (an h1 above the
// body div, as most portals lay out an article).
func withHeadline(top, root *html.Node, metaTitle string) []*html.Node {
	if hasHeadline(top) {
		return []*html.Node{top}
	}
	// Walk up a few levels for an ancestor that holds a headline and
	// little more than the content.
	topText := len(collapseSpace(textOf(top)))
	for anc, up := top.Parent, 0; anc != nil && up < 4 && anc.DataAtom != atom.Body; anc, up = anc.Parent, up+1 {
		if hasHeadline(anc) {
			if len(collapseSpace(textOf(anc))) <= topText*2+800 {
				return []*html.Node{anc}
			}
			break
		}
	}
	// Else the page's h1 (or title-classed element) before the content.
	var head *html.Node
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		if n == top {
			return true
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.H1 || n.DataAtom == atom.H2 && reTitleCl.MatchString(classID(n))) {
			head = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	if head != nil {
		return []*html.Node{head, top}
	}
	return []*html.Node{top}
}

func hasHeadline(n *html.Node) bool {
	found := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found {
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.H1 || (n.DataAtom == atom.H2 || n.DataAtom == atom.Div || n.DataAtom == atom.P) && reTitleCl.MatchString(attr(n, "class")) && len(strings.Fields(textOf(n))) >= 4) {
			found = true
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return found
}

// blockTags start a new block in the converter.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Header: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Ul: true,
	atom.Ol: true, atom.Li: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Tbody: true,
	atom.Thead: true, atom.Blockquote: true, atom.Figure: true, atom.Figcaption: true, atom.Pre: true, atom.Hr: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Center: true, atom.Address: true, atom.Br: false,
}

// converter turns HTML into blocks: paragraphs with inline Markdown, and
// headings, images, lists, quotes and tables.
type converter struct {
	base string // the page's URL, for relative links
	out  []block
	// the paragraph being collected
	md, text strings.Builder
	// inline state
	emph        int  // depth of bold/italic around the current text
	plainText   bool // text seen outside emphasis in the paragraph
	captionLike bool
	linked      int // bytes of the paragraph's text inside links
}

// flush ends the paragraph being collected.
func (c *converter) flush() {
	text := collapseSpace(c.text.String())
	md := strings.TrimSpace(collapseMDSpace(c.md.String()))
	if text != "" {
		share := min(float64(c.linked)/float64(len(text)), 1)
		c.out = append(c.out, block{kind: blockPara, text: text, md: md, emphasized: !c.plainText, captionLike: c.captionLike, linkShare: share})
	}
	c.linked = 0
	c.md.Reset()
	c.text.Reset()
	c.plainText = false
	c.captionLike = false
}

// collapseMDSpace collapses white space runs in inline Markdown.
func collapseMDSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// blocks converts n and its children.
func (c *converter) blocks(n *html.Node, depth int) {
	if depth > maxHTMLDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		c.inlineText(n.Data)
		return
	case html.DocumentNode:
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.blocks(ch, depth+1)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	if dropTags[n.DataAtom] {
		return
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.flush()
		level := int(n.Data[1] - '0')
		sub := &converter{base: c.base}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			sub.inline(ch, depth+1)
		}
		text := collapseSpace(sub.text.String())
		if text != "" {
			c.out = append(c.out, block{kind: blockHeading, level: level, text: text, md: collapseMDSpace(stripEmphasis(sub.md.String()))})
		}
		return
	case atom.Img:
		c.image(n, "")
		return
	case atom.Figure:
		c.flush()
		c.figure(n, depth)
		return
	case atom.Ul, atom.Ol:
		c.flush()
		if md, text := c.list(n, depth, 0); text != "" {
			c.out = append(c.out, block{kind: blockList, text: text, md: md, linkShare: linkDensity(n)})
		}
		return
	case atom.Blockquote:
		c.flush()
		sub := &converter{base: c.base}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			sub.blocks(ch, depth+1)
		}
		sub.flush()
		var mds, texts []string
		for _, b := range sub.out {
			if b.kind == blockPara {
				mds = append(mds, "> "+b.md)
				texts = append(texts, b.text)
			} else {
				c.out = append(c.out, b)
			}
		}
		if len(mds) > 0 {
			c.out = append(c.out, block{kind: blockQuote, text: strings.Join(texts, " "), md: strings.Join(mds, "\n>\n")})
		}
		return
	case atom.Table:
		c.flush()
		c.table(n, depth)
		return
	case atom.Br:
		c.flush()
		return
	case atom.Hr:
		c.flush()
		return
	case atom.A, atom.Strong, atom.B, atom.Em, atom.I, atom.Span, atom.Font, atom.U, atom.Sup, atom.Sub, atom.Small, atom.Big, atom.Code, atom.Abbr, atom.Cite, atom.Q, atom.Time, atom.Mark, atom.S, atom.Strike, atom.Del, atom.Ins:
		if !containsBlock(n, depth) {
			c.inline(n, depth)
			return
		}
	}
	if blockTags[n.DataAtom] {
		c.flush()
	}
	captionOuter := c.captionLike
	if styledCaption(n) {
		c.captionLike = true
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.blocks(ch, depth+1)
		if blockTags[n.DataAtom] && styledCaption(n) {
			c.captionLike = true
		}
	}
	if blockTags[n.DataAtom] {
		c.flush()
	}
	c.captionLike = captionOuter
}

// styledCaption reports an element styled as a caption: its class says
// so, or it is centered and italic.
func styledCaption(n *html.Node) bool {
	if n.DataAtom == atom.Figcaption || reCaption.MatchString(attr(n, "class")) {
		return true
	}
	st := attr(n, "style")
	return reCenter.MatchString(st) && reItalic.MatchString(st)
}

func containsBlock(n *html.Node, depth int) bool {
	if depth > maxHTMLDepth {
		return false
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (blockTags[ch.DataAtom] || ch.DataAtom == atom.Img || ch.DataAtom == atom.Br || containsBlock(ch, depth+1)) {
			return true
		}
	}
	return false
}

// inlineText adds text to the paragraph.
func (c *converter) inlineText(s string) {
	s = cleanText(s)
	if strings.TrimSpace(s) != "" && c.emph == 0 {
		c.plainText = true
	}
	c.text.WriteString(s)
	c.md.WriteString(mdEscapeInline(s))
}

// mdEscapeInline escapes text inside a paragraph; line-start markers are
// escaped when the paragraph is complete.
func mdEscapeInline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch ch {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				b.WriteByte('\\')
			}
		case '&':
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j < 10 && !strings.ContainsAny(s[i+1:i+j], " \t") {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// inline converts n as inline content of the current paragraph.
func (c *converter) inline(n *html.Node, depth int) {
	if depth > maxHTMLDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		c.inlineText(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	if dropTags[n.DataAtom] {
		return
	}
	wrap := ""
	switch n.DataAtom {
	case atom.Strong, atom.B:
		wrap = "**"
	case atom.Em, atom.I, atom.Cite:
		wrap = "*"
	case atom.Span, atom.Font:
		st := attr(n, "style")
		if strings.Contains(strings.ToLower(st), "font-weight") && strings.Contains(strings.ToLower(st), "bold") {
			wrap = "**"
		} else if reItalic.MatchString(st) {
			wrap = "*"
		}
	case atom.Img:
		c.image(n, "")
		return
	case atom.Br:
		c.flush()
		return
	case atom.A:
		href := c.resolve(attr(n, "href"))
		sub := &converter{base: c.base}
		sub.emph = c.emph
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			sub.inline(ch, depth+1)
		}
		sub.flush()
		for _, b := range sub.out {
			if b.kind != blockPara {
				c.flush()
				c.out = append(c.out, b)
				continue
			}
			if !b.emphasized || c.emph == 0 {
				c.plainText = c.plainText || !b.emphasized
			}
			c.text.WriteString(" " + b.text + " ")
			c.linked += len(b.text)
			if href != "" && !strings.HasPrefix(strings.ToLower(href), "javascript:") {
				c.md.WriteString(" [" + b.md + "](" + linkDest(href) + ") ")
			} else {
				c.md.WriteString(" " + b.md + " ")
			}
		}
		return
	}
	if wrap != "" {
		// Emphasis markers must hug the text: collect it, then wrap.
		sub := &converter{base: c.base}
		sub.emph = c.emph + 1
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			sub.inline(ch, depth+1)
		}
		text := sub.text.String()
		md := stripEmphasis(strings.TrimSpace(sub.md.String()))
		if strings.TrimSpace(text) == "" {
			c.text.WriteString(text)
			return
		}
		c.plainText = c.plainText || sub.plainText
		lead := ""
		if strings.HasPrefix(text, " ") || strings.HasPrefix(text, "\n") {
			lead = " "
		}
		trail := ""
		if strings.HasSuffix(text, " ") || strings.HasSuffix(text, "\n") {
			trail = " "
		}
		c.text.WriteString(text)
		c.md.WriteString(lead + wrap + collapseMDSpace(md) + wrap + trail)
		// Images inside emphasis became blocks of their own.
		c.out = append(c.out, sub.out...)
		return
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.inline(ch, depth+1)
	}
}

// stripEmphasis removes nested emphasis markers (bold inside bold), which
// Markdown would render as literal asterisks or double emphasis.
func stripEmphasis(md string) string {
	var b strings.Builder
	for i := 0; i < len(md); i++ {
		if md[i] == '\\' && i+1 < len(md) {
			b.WriteByte(md[i])
			b.WriteByte(md[i+1])
			i++
			continue
		}
		if md[i] == '*' {
			continue
		}
		b.WriteByte(md[i])
	}
	return b.String()
}

// image adds an image block; the caption comes later from the text around.
func (c *converter) image(n *html.Node, caption string) {
	src := strings.TrimSpace(attr(n, "src"))
	if src == "" || strings.HasPrefix(src, "data:") && len(src) < 100 {
		src = strings.TrimSpace(attr(n, "data-src"))
	}
	if src == "" {
		return
	}
	c.flush()
	// A saved page's relative src points at a file beside it; the page's
	// URL makes it absolute only when that file was not saved.
	remote := ""
	if !strings.HasPrefix(src, "data:") {
		if abs := c.resolve(src); isRemote(abs) {
			remote = abs
		}
	}
	alt := collapseSpace(cleanText(attr(n, "alt")))
	if reImageMarker.MatchString(alt) {
		alt = ""
	}
	c.out = append(c.out, block{kind: blockImage, image: src, imageURL: remote, caption: caption, text: alt})
}

// figure reads <figure><img><figcaption>.
func (c *converter) figure(n *html.Node, depth int) {
	var imgs []*html.Node
	var caption string
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		if d > maxHTMLDepth {
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Img:
				imgs = append(imgs, n)
				return
			case atom.Figcaption:
				caption = collapseSpace(cleanText(textOf(n)))
				return
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, d+1)
		}
	}
	walk(n, depth)
	if len(imgs) == 0 {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.blocks(ch, depth+1)
		}
		c.flush()
		return
	}
	for i, img := range imgs {
		cap := ""
		if i == len(imgs)-1 {
			cap = caption
		}
		c.image(img, cap)
	}
}

// list renders a list as Markdown, nested lists indented.
func (c *converter) list(n *html.Node, depth, indent int) (md, text string) {
	var lines, texts []string
	num := 1
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		sub := &converter{base: c.base}
		var nested []string
		for ch := li.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && (ch.DataAtom == atom.Ul || ch.DataAtom == atom.Ol) && depth < maxHTMLDepth {
				sub.flush()
				m, t := c.list(ch, depth+1, indent+1)
				if m != "" {
					nested = append(nested, m)
					texts = append(texts, t)
				}
				continue
			}
			sub.blocks(ch, depth+1)
		}
		sub.flush()
		var parts, ptexts []string
		for _, b := range sub.out {
			if b.md != "" {
				parts = append(parts, b.md)
			} else if b.text != "" {
				parts = append(parts, mdEscape(b.text))
			}
			ptexts = append(ptexts, b.text)
		}
		item := strings.Join(parts, " ")
		if item == "" && len(nested) == 0 {
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = fmt.Sprintf("%d. ", num)
			num++
		}
		pad := strings.Repeat("  ", indent)
		if n.DataAtom == atom.Ol {
			pad = strings.Repeat("   ", indent)
		}
		lines = append(lines, pad+marker+item)
		lines = append(lines, nested...)
		texts = append(texts, strings.Join(ptexts, " "))
	}
	return strings.Join(lines, "\n"), collapseSpace(strings.Join(texts, " "))
}

// table reads a table: a photo with its caption (how many portals lay out
// figures), a layout table holding the article, or a data table, written
// as a GFM table.
func (c *converter) table(n *html.Node, depth int) {
	var rows [][]*html.Node
	var imgs []*html.Node
	nested := false
	var walk func(x *html.Node, d int)
	walk = func(x *html.Node, d int) {
		if d > maxHTMLDepth {
			return
		}
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			switch ch.DataAtom {
			case atom.Table:
				nested = true
				continue
			case atom.Tr:
				var cells []*html.Node
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						cells = append(cells, td)
					}
				}
				rows = append(rows, cells)
			case atom.Img:
				imgs = append(imgs, ch)
			}
			if ch.DataAtom != atom.Tr {
				walk(ch, d+1)
			} else {
				findImgs(ch, &imgs, d+1)
			}
		}
	}
	walk(n, depth)
	text := collapseSpace(cleanText(textOf(n)))
	switch {
	case len(imgs) == 1 && len(rows) <= 3 && len(strings.Fields(text)) <= 60 && !nested:
		c.image(imgs[0], text)
		return
	case nested || len(rows) == 0 || layoutTable(rows):
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.blocks(ch, depth+1)
		}
		c.flush()
		return
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var b strings.Builder
	for i, r := range rows {
		b.WriteByte('|')
		for j := 0; j < width; j++ {
			cell := ""
			if j < len(r) {
				sub := &converter{base: c.base}
				for ch := r[j].FirstChild; ch != nil; ch = ch.NextSibling {
					sub.inline(ch, depth+1)
				}
				cell = collapseMDSpace(sub.md.String())
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteByte('\n')
		if i == 0 {
			b.WriteByte('|')
			for j := 0; j < width; j++ {
				b.WriteString(" --- |")
			}
			b.WriteByte('\n')
		}
	}
	c.out = append(c.out, block{kind: blockTable, text: text, md: strings.TrimRight(b.String(), "\n")})
}

func findImgs(n *html.Node, imgs *[]*html.Node, depth int) {
	if depth > maxHTMLDepth {
		return
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && ch.DataAtom == atom.Img {
			*imgs = append(*imgs, ch)
		}
		findImgs(ch, imgs, depth+1)
	}
}

// layoutTable reports a table used for layout: a single column, or cells
// that hold whole paragraphs.
func layoutTable(rows [][]*html.Node) bool {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	if width <= 1 {
		return true
	}
	for _, r := range rows {
		for _, cell := range r {
			if len(strings.Fields(textOf(cell))) > 60 || containsBlockKind(cell) {
				return true
			}
		}
	}
	return false
}

func containsBlockKind(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (ch.DataAtom == atom.P || ch.DataAtom == atom.Div || ch.DataAtom == atom.Table || ch.DataAtom == atom.Ul) {
			return true
		}
	}
	return false
}

// resolve makes href absolute against the page's URL; relative links of
// a page with no known URL are dropped.
func (c *converter) resolve(href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if u.IsAbs() {
		if u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto" {
			return u.String()
		}
		return ""
	}
	if strings.HasPrefix(href, "//") {
		return "https:" + href
	}
	if c.base == "" {
		return ""
	}
	b, err := url.Parse(c.base)
	if err != nil {
		return ""
	}
	return b.ResolveReference(u).String()
}

// pageAssets finds the images of a saved page beside it: browsers save
// them in a "<page>_files" folder and point relative src at them.
type pageAssets struct {
	dir  string
	base string
}

func (p *pageAssets) asset(src string) ([]byte, string, bool) {
	if strings.HasPrefix(src, "data:") {
		return dataURI(src)
	}
	if isRemote(src) {
		return nil, "", false
	}
	u, err := url.Parse(src)
	if err != nil || u.Path == "" || u.IsAbs() {
		return nil, "", false
	}
	rel := path.Clean(strings.TrimPrefix(u.Path, "/"))
	if rel == "." || strings.HasPrefix(rel, "..") {
		return nil, "", false
	}
	root, err := os.OpenRoot(p.dir)
	if err != nil {
		return nil, "", false
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, "", false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxInputBytes {
		return nil, "", false
	}
	data := make([]byte, info.Size())
	if _, err := readFull(f, data); err != nil {
		return nil, "", false
	}
	return data, path.Base(rel), true
}

// dataURI decodes a base64 image written into the page.
func dataURI(src string) ([]byte, string, bool) {
	head, payload, ok := strings.Cut(src, ",")
	if !ok || !strings.HasSuffix(head, ";base64") || !strings.HasPrefix(head, "data:image/") {
		return nil, "", false
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(payload))
	if err != nil || len(data) == 0 {
		return nil, "", false
	}
	ext := strings.TrimSuffix(strings.TrimPrefix(head, "data:image/"), ";base64")
	if ext == "jpeg" {
		ext = "jpg"
	}
	return data, "anh." + ext, true
}

func readFull(f *os.File, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err != nil {
			if n == len(buf) {
				return n, nil
			}
			return n, err
		}
	}
	return n, nil
}

// parseFragment parses a post's HTML body.
func parseFragment(s string) (*html.Node, error) {
	return html.ParseWithOptions(strings.NewReader("<html><body>"+s+"</body></html>"), html.ParseOptionEnableScripting(false))
}
