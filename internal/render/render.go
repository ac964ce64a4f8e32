// Package render turns article Markdown into HTML, plain text for search and
// summaries, and a list of headings, with one goldmark instance per build.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/images"
	"github.com/bantin/bantin/internal/vi"
)

// Options configure the Markdown renderer for one build.
type Options struct {
	// BasePath prefixes root-relative links and images ("/ban-tin/"), so
	// that "/khu-vuc/" written in an article works under a sub-path.
	BasePath string
	// UnsafeHTML passes raw HTML through; otherwise it is dropped.
	UnsafeHTML bool
	// SummaryWords bounds Doc.Summary.
	SummaryWords int
	// MaxNesting bounds block quotes and lists inside one another, link
	// brackets inside one another and emphasis markers open at once
	// (0 means DefaultMaxNesting). Deeper Markdown is an error at its
	// position: goldmark's time grows with the square of such depths.
	MaxNesting int
	// ResolveArticle maps a content file ("content/2023/a.md") to the
	// site path of its article ("bai-viet/a/"), for links written to .md
	// files. It reports false for a file that is not a published article.
	ResolveArticle func(file string) (string, bool)
	// Image, when set, publishes an image an article's body shows: file
	// is the article, dest the path as written. It returns nil for an
	// image it leaves alone (another site's, a vector drawing), and an
	// error, reported at the image, for one missing or broken.
	Image func(file, dest string) (*images.Set, error)
}

// Renderer converts Markdown; it is safe for concurrent use.
type Renderer struct {
	md   goldmark.Markdown
	opts Options
}

// Heading is a section heading of an article.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Doc is a rendered article body.
type Doc struct {
	HTML []byte
	Text string // plain text of the whole body, blocks separated by newlines
	Lead string // plain text of the first paragraph
	// Summary is Lead cut to Options.SummaryWords words, for lists.
	Summary  string
	Headings []Heading
	// Links are the link and image destinations as written, for checks.
	Links []Link
	// Images are the images replaced by processed pictures, in order.
	Images []Image
}

// Image is a body image published through Options.Image.
type Image struct {
	Dest string // as written
	Set  *images.Set
}

// Link is a destination written in an article.
type Link struct {
	Dest  string // as written
	URL   string // as rendered: base path added, .md links resolved
	Pos   diag.Pos
	Image bool
}

// New builds the Markdown renderer for a build.
func New(opts Options) *Renderer {
	rendererOpts := append(syntax(),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(&linkTransformer{opts: opts}, 100), util.Prioritized(figureTransformer{}, 200)),
		),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(figureRenderer{}, 500))),
	)
	if opts.UnsafeHTML {
		rendererOpts = append(rendererOpts, goldmark.WithRendererOptions(html.WithUnsafe()))
	}
	if opts.Image != nil {
		rendererOpts = append(rendererOpts, goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(pictureRenderer{}, 100))))
	}
	return &Renderer{md: goldmark.New(rendererOpts...), opts: opts}
}

// syntax is the Markdown bantin reads: GitHub Flavored Markdown and
// footnotes, with GFM's linkify behind a quick filter.
func syntax() []goldmark.Option {
	return []goldmark.Option{
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(newQuickLinkify(), 999))),
	}
}

// Per-document values the link transformer reads from the parser context.
var (
	fileKey   = parser.NewContextKey()
	bodyLine  = parser.NewContextKey()
	errorsKey = parser.NewContextKey()
	linksKey  = parser.NewContextKey()
	imagesKey = parser.NewContextKey()
	leadKey   = parser.NewContextKey()
)

// Render converts the body of file, which starts on line firstLine. Links to
// .md files that are not published articles are errors at their position.
func (r *Renderer) Render(file string, firstLine int, body []byte) (*Doc, error) {
	return r.RenderArticle(file, firstLine, body, false)
}

// RenderArticle is Render for an article page: with hasLead, the article
// shows a lead image above its body, and every body image loads lazily;
// otherwise all but the first do.
func (r *Renderer) RenderArticle(file string, firstLine int, body []byte, hasLead bool) (*Doc, error) {
	if e := checkLimits(body, r.opts.MaxNesting); e != nil {
		pos := diag.PosOf(file, body, e.offset)
		pos.Line += firstLine - 1
		return nil, &diag.Error{Pos: pos, Err: errors.New(e.msg)}
	}
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(leadKey, hasLead)
	pictures := &[]Image{}
	pc.Set(imagesKey, pictures)
	pc.Set(fileKey, file)
	pc.Set(bodyLine, firstLine)
	errs := &diag.List{}
	pc.Set(errorsKey, errs)
	links := &[]Link{}
	pc.Set(linksKey, links)

	doc := r.md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/4)
	if err := r.md.Renderer().Render(bufferWriter{&out}, body, doc); err != nil {
		return nil, fmt.Errorf("%s: render: %w", file, err)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	d := &Doc{HTML: out.Bytes(), Links: *links, Images: *pictures}
	d.Text, d.Lead, d.Headings = plainText(doc, body)
	d.Summary = Excerpt(d.Lead, max(1, r.opts.SummaryWords))
	return d, nil
}

// bufferWriter is a bytes.Buffer as the buffered writer goldmark writes
// into: given a plain io.Writer, it puts a new bufio.Writer in front of it
// for each article, and copies all of its output through it.
type bufferWriter struct{ *bytes.Buffer }

var _ util.BufWriter = bufferWriter{}

// Buffered is 0: what is written is in the buffer at once.
func (bufferWriter) Buffered() int { return 0 }

// Flush has nothing to do.
func (bufferWriter) Flush() error { return nil }

// HeadingIDPrefix starts every article heading id ("h-ket-qua-dat-duoc"):
// the theme's own ids ("noi-dung", "tin-lien-quan") never do, so a heading
// can never give the page a second element with one of them. Themes must
// not use ids starting with it.
const HeadingIDPrefix = "h-"

// headingIDs gives headings ASCII ids from their Vietnamese text ("Kết quả
// đạt được" -> "h-ket-qua-dat-duoc"), unique within the document.
type headingIDs struct {
	used map[string]bool
	// next is, per id, the first suffix not tried yet: a document of
	// thousands of equal headings takes one step per heading, not one per
	// heading before it.
	next map[string]int
}

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, next: map[string]int{}}
}

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	id := vi.Slug(string(value))
	if id == "" {
		id = "muc"
	}
	id = HeadingIDPrefix + id
	unique := id
	if h.used[unique] {
		i := max(h.next[id], 1)
		for ; h.used[unique]; i++ {
			unique = id + "-" + strconv.Itoa(i)
		}
		h.next[id] = i
	}
	h.used[unique] = true
	return []byte(unique)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// anchor returns the heading id an in-page fragment written as the
// heading's plain slug ("#ket-qua") refers to ("h-ket-qua"), or false.
func (h *headingIDs) anchor(fragment string) (string, bool) {
	if h == nil || fragment == "" || strings.HasPrefix(fragment, HeadingIDPrefix) {
		return "", false
	}
	id := HeadingIDPrefix + fragment
	return id, h.used[id]
}

// linkTransformer prefixes root-relative links with the base path and
// rewrites links to .md files into their articles' URLs.
type linkTransformer struct{ opts Options }

func (t *linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	file, _ := pc.Get(fileKey).(string)
	firstLine, _ := pc.Get(bodyLine).(int)
	errs, _ := pc.Get(errorsKey).(*diag.List)
	links, _ := pc.Get(linksKey).(*[]Link)
	pictures, _ := pc.Get(imagesKey).(*[]Image)
	lazy, _ := pc.Get(leadKey).(bool)
	ids, _ := pc.IDs().(*headingIDs)
	src := reader.Source()
	cursor := &posCursor{src: src, file: file, firstLine: firstLine, line: 1, col: 1}
	type replacement struct {
		img *ast.Image
		pic *Picture
	}
	var replace []replacement
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		image := false
		switch l := n.(type) {
		case *ast.Link:
			dest = &l.Destination
		case *ast.Image:
			dest, image = &l.Destination, true
		default:
			return ast.WalkContinue, nil
		}
		pos := nodePos(n, cursor)
		// Point at the opening "[" or "![" rather than the link text.
		if pos.Col > 1 {
			pos.Col--
			if image && pos.Col > 1 {
				pos.Col--
			}
		}
		written := string(*dest)
		if img, ok := n.(*ast.Image); ok && t.opts.Image != nil {
			set, err := t.opts.Image(file, written)
			if err != nil {
				errs.Add(pos, err)
				*links = append(*links, Link{Dest: written, URL: written, Pos: pos, Image: true})
				return ast.WalkSkipChildren, nil
			}
			if set != nil {
				pic := &Picture{Set: set, Alt: altText(img, src), Title: string(img.Title), Lazy: lazy}
				lazy = true // every image after the first
				replace = append(replace, replacement{img, pic})
				*pictures = append(*pictures, Image{Dest: written, Set: set})
				*links = append(*links, Link{Dest: written, URL: set.Src, Pos: pos, Image: true})
				return ast.WalkSkipChildren, nil
			}
		}
		rewritten, err := t.rewrite(file, written)
		if err != nil {
			errs.Add(pos, err)
		}
		if id, ok := ids.anchor(strings.TrimPrefix(written, "#")); ok && strings.HasPrefix(written, "#") {
			rewritten = "#" + id
		}
		*links = append(*links, Link{Dest: written, URL: rewritten, Pos: pos, Image: image})
		*dest = []byte(rewritten)
		return ast.WalkContinue, nil
	})
	for _, r := range replace {
		// The picture keeps the image's description as children: search
		// and summaries read its words as they do an image's, and the
		// renderer skips them.
		for c := r.img.FirstChild(); c != nil; {
			next := c.NextSibling()
			r.pic.AppendChild(r.pic, c)
			c = next
		}
		r.img.Parent().ReplaceChild(r.img.Parent(), r.img, r.pic)
	}
}

func (t *linkTransformer) rewrite(file, dest string) (string, error) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") {
		return dest, nil
	}
	if strings.HasSuffix(strings.ToLower(u.Path), ".md") && t.opts.ResolveArticle != nil {
		target := u.Path
		if !strings.HasPrefix(target, "/") {
			target = path.Join(path.Dir(file), target)
		} else {
			target = path.Join("content", target)
		}
		sitePath, ok := t.opts.ResolveArticle(target)
		if !ok {
			return dest, fmt.Errorf("link to %s, which is not a published article; check the file name (drafts and future articles are not published)", target)
		}
		out := t.opts.BasePath + sitePath
		if u.Fragment != "" {
			// The fragment names a heading of that article, whose ids
			// all carry the prefix.
			fragment := u.EscapedFragment()
			if !strings.HasPrefix(fragment, HeadingIDPrefix) {
				fragment = HeadingIDPrefix + fragment
			}
			out += "#" + fragment
		}
		return out, nil
	}
	if strings.HasPrefix(dest, "/") && t.opts.BasePath != "/" && !strings.HasPrefix(dest, t.opts.BasePath) {
		return strings.TrimSuffix(t.opts.BasePath, "/") + dest, nil
	}
	return dest, nil
}

// nodePos finds the position of an inline node from its first text
// segment.
func nodePos(n ast.Node, cursor *posCursor) diag.Pos {
	offset := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			offset = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if offset < 0 {
		for p := n.Parent(); p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				offset = p.Lines().At(0).Start
				break
			}
		}
	}
	if offset < 0 {
		return diag.Pos{File: cursor.file, Line: cursor.firstLine, Col: 1}
	}
	return cursor.at(offset)
}

// posCursor turns byte offsets of a body into file positions. It moves on
// from the offset asked last, so that the positions of every link, asked
// in document order, cost one pass over the body rather than one pass
// each (40,000 links took 17 s that way).
type posCursor struct {
	src       []byte
	file      string
	firstLine int
	// off is a byte offset of src, at line and col (in characters).
	off, line, col int
	// lineStarts are the offsets where lines start, made on the first
	// step backwards (footnote definitions come after the text in the
	// document tree).
	lineStarts []int
}

func (c *posCursor) at(offset int) diag.Pos {
	offset = min(max(offset, 0), len(c.src))
	if offset < c.off {
		if c.lineStarts == nil {
			c.lineStarts = []int{0}
			for i, b := range c.src {
				if b == '\n' {
					c.lineStarts = append(c.lineStarts, i+1)
				}
			}
		}
		// The last line start at or before offset.
		i, _ := slices.BinarySearch(c.lineStarts, offset+1)
		c.off, c.line, c.col = c.lineStarts[i-1], i, 1
	}
	for c.off < offset {
		if c.src[c.off] == '\n' {
			c.line++
			c.col = 1
			c.off++
			continue
		}
		_, size := utf8.DecodeRune(c.src[c.off:])
		c.off += size
		c.col++
	}
	return diag.Pos{File: c.file, Line: c.line + c.firstLine - 1, Col: c.col}
}

// plainText collects the document's text from its AST (not by stripping
// HTML), the first paragraph's text and the headings.
func plainText(doc ast.Node, src []byte) (string, string, []Heading) {
	// One scratch buffer for the block being read, and the whole text
	// sized once: per-block builders were most of rendering's garbage.
	var all strings.Builder
	all.Grow(len(src))
	var lead string
	var headings []Heading
	block := make([]byte, 0, 1024)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch t := n.(type) {
		case *ast.Text:
			if entering {
				block = append(block, t.Segment.Value(src)...)
				if t.SoftLineBreak() || t.HardLineBreak() {
					block = append(block, ' ')
				}
			}
		case *ast.String:
			if entering {
				block = append(block, t.Value...)
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			if entering {
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					block = append(block, seg.Value(src)...)
				}
			}
		case *ast.AutoLink:
			if entering {
				block = append(block, t.Label(src)...)
			}
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		if n.Type() != ast.TypeBlock || entering {
			return ast.WalkContinue, nil
		}
		// Leaving a block: flush its text once, at the innermost block.
		if n.HasChildren() && n.FirstChild().Type() == ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		text := bytes.TrimSpace(block)
		block = block[:0]
		if len(text) == 0 {
			return ast.WalkContinue, nil
		}
		switch b := n.(type) {
		case *ast.Heading:
			id, _ := b.AttributeString("id")
			idStr, _ := id.([]byte)
			headings = append(headings, Heading{Level: b.Level, ID: string(idStr), Text: string(text)})
		case *ast.Paragraph:
			if lead == "" && !inFootnote(n) {
				lead = string(text)
			}
		}
		if all.Len() > 0 {
			all.WriteByte('\n')
		}
		all.Write(text)
		return ast.WalkContinue, nil
	})
	return all.String(), lead, headings
}

func inFootnote(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*extast.Footnote); ok {
			return true
		}
	}
	return false
}

// Excerpt shortens text to at most words words, ending with an ellipsis
// when cut. Vietnamese is written one syllable per space-separated word.
func Excerpt(text string, words int) string {
	// Joined as they come: a slice of every word of the text, then their
	// join, cost two allocations per article for one string.
	var b strings.Builder
	n := 0
	for word := range strings.FieldsSeq(text) {
		if n == words {
			cut := strings.TrimRightFunc(b.String(), func(r rune) bool { return strings.ContainsRune(",;:–-", r) })
			return cut + "…"
		}
		if n > 0 {
			b.WriteByte(' ')
		} else {
			b.Grow(min(len(text), 32*max(words, 1)))
		}
		b.WriteString(word)
		n++
	}
	return b.String()
}
