package importer

import (
	"strings"
	"time"
	"unicode"
)

// blockKind is what a block of an article's body is.
type blockKind int

const (
	blockPara blockKind = iota
	blockHeading
	blockImage   // an image, with its caption when one was found
	blockCaption // a photo caption without an image (text inputs)
	blockList    // a whole list, as Markdown
	blockQuote   // a blockquote, as Markdown
	blockTable   // a GFM table, as Markdown
)

// block is one paragraph-level piece of an article: its plain text, for
// finding fields and noise, and its Markdown, for the body.
type block struct {
	kind blockKind
	text string // plain text, whitespace collapsed
	md   string // Markdown; empty for kinds rendered from text
	// level is a heading's level (1-6).
	level int
	// image is an image's source (a URL or a path inside the input);
	// caption its caption.
	image   string
	caption string
	// imageURL is the image's absolute URL, used when its source is not
	// in the input.
	imageURL string
	// emphasized: the whole block was bold or italic (a lead, a caption,
	// a byline).
	emphasized bool
	// centered or styled as a caption by the page.
	captionLike bool
	// linkShare is the share of the text inside links: a block of links
	// is navigation, not prose.
	linkShare float64
}

// meta are the fields an input states outside its text: HTML meta tags, a
// WXR item's elements, a Word file's properties.
type meta struct {
	title  string
	date   time.Time
	hasDay bool // date is set
	// hasTime and zoned tell how precise date is.
	hasTime, zoned bool
	author         string
	source         string
	topics         []string
	// draft: the input marks the article unpublished (WXR status).
	draft bool
	// hint is a date the page shows outside the article's text, used
	// when the text has no date line.
	hint *stamp
	// dateWeak: the date is a file's or a document's own time, not the
	// article's, and needs review.
	dateWeak string
}

// document is one article as a reader found it, before fields are picked.
type document struct {
	// name says which article of a multi-article input this is ("post 12").
	name   string
	blocks []block
	meta   meta
	// assets resolve image sources found in blocks to their bytes.
	assets assetSource
	// unsure notes from reading ("encoding read as tcvn3 from 3 words").
	notes []review
}

// assetSource gives the bytes of an image an article refers to.
type assetSource interface {
	// asset returns the bytes of the image at src, or ok false when the
	// input does not hold it (a remote URL, a missing file).
	asset(src string) (data []byte, name string, ok bool)
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}
