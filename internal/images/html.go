package images

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// DefaultSizes tells the browser how wide an article's images are shown:
// the whole screen on a phone, the article's measure (46rem) elsewhere.
const DefaultSizes = "(max-width: 48rem) 100vw, 46rem"

// Set is what a page needs to show a processed image: URLs under the
// site's base path, ready for the attributes of <picture>.
type Set struct {
	// Src is the fallback <img src>; Width and Height its size, which
	// also gives the browser the image's aspect ratio before it loads.
	Src           string
	Width, Height int
	// FallbackType is the fallback's MIME type: image/jpeg or image/png.
	FallbackType string
	// WebPSrcset and FallbackSrcset list every width ("… 480w, … 960w");
	// WebPSrcset is empty when WebP is turned off.
	WebPSrcset     string
	FallbackSrcset string
	// OG is the JPEG for link previews, OGWidth and OGHeight its size.
	OG                string
	OGWidth, OGHeight int
	// Weight is the bytes of the largest variant a browser may choose.
	Weight int
	// Files are every variant, fallback first, each format by width: for
	// a layout that shows one of them, such as a thumbnail.
	Files []SetFile
	// Source is the site file the image was made from
	// ("static/anh/a.jpg"), set by the build for its bookkeeping.
	Source string
}

// SetFile is one published variant of a Set.
type SetFile struct {
	URL           string
	Type          string // image/webp, image/jpeg or image/png
	Width, Height int
}

// srcWidth is the widest fallback given as plain src: the one a browser
// that ignores srcset downloads, good enough on any screen.
const srcWidth = 960

// Set returns the image's URLs under basePath ("/" or "/ban-tin/").
func (r *Result) Set(basePath string) *Set {
	prefix := basePath + r.dir()
	s := &Set{OG: prefix + r.OG.Name, OGWidth: r.OG.Width, OGHeight: r.OG.Height, Weight: r.Weight()}
	var webp, fallback []string
	for _, v := range r.Variants {
		entry := fmt.Sprintf("%s%s %dw", prefix, v.Name, v.Width)
		s.Files = append(s.Files, SetFile{URL: prefix + v.Name, Type: "image/" + v.Format, Width: v.Width, Height: v.Height})
		if v.Format == "webp" {
			webp = append(webp, entry)
			continue
		}
		fallback = append(fallback, entry)
		if s.Src == "" || v.Width <= srcWidth {
			s.Src, s.Width, s.Height = prefix+v.Name, v.Width, v.Height
			s.FallbackType = "image/" + v.Format
		}
	}
	s.WebPSrcset, s.FallbackSrcset = strings.Join(webp, ", "), strings.Join(fallback, ", ")
	return s
}

// Attrs are the attributes of one use of an image on a page.
type Attrs struct {
	Alt   string
	Title string
	Class string
	// Sizes defaults to DefaultSizes.
	Sizes string
	// Lazy defers loading until the image nears the screen: right for
	// every image but the first of a page.
	Lazy bool
}

// Picture renders a <picture> element for the set, every value escaped:
// the one implementation for Markdown images and layouts.
func (s *Set) Picture(a Attrs) template.HTML {
	sizes := a.Sizes
	if sizes == "" {
		sizes = DefaultSizes
	}
	esc := html.EscapeString
	var b strings.Builder
	b.WriteString("<picture>")
	if s.WebPSrcset != "" {
		fmt.Fprintf(&b, `<source type="image/webp" srcset="%s" sizes="%s">`, esc(s.WebPSrcset), esc(sizes))
	}
	fmt.Fprintf(&b, `<img src="%s" srcset="%s" sizes="%s" width="%d" height="%d" alt="%s"`,
		esc(s.Src), esc(s.FallbackSrcset), esc(sizes), s.Width, s.Height, esc(a.Alt))
	if a.Title != "" {
		fmt.Fprintf(&b, ` title="%s"`, esc(a.Title))
	}
	if a.Class != "" {
		fmt.Fprintf(&b, ` class="%s"`, esc(a.Class))
	}
	if a.Lazy {
		b.WriteString(` loading="lazy"`)
	}
	b.WriteString(` decoding="async"></picture>`)
	return template.HTML(b.String())
}

// Thumbnail renders a <picture> for a small box of boxW×boxH CSS pixels
// that the image covers (a card's thumbnail): one file per format, the
// smallest variant covering the box at twice its size, for screens of
// two device pixels per CSS pixel, or the largest when none does. The
// <img> has the box's width and height and loads lazily.
func (s *Set) Thumbnail(boxW, boxH int, a Attrs) template.HTML {
	// Files are in ascending width within each format.
	pick := func(webp bool) (best SetFile, found bool) {
		for _, f := range s.Files {
			if (f.Type == "image/webp") != webp {
				continue
			}
			best, found = f, true
			if f.Width >= 2*boxW && f.Height >= 2*boxH {
				break
			}
		}
		return best, found
	}
	esc := html.EscapeString
	var b strings.Builder
	b.WriteString("<picture>")
	if f, ok := pick(true); ok {
		fmt.Fprintf(&b, `<source type="image/webp" srcset="%s">`, esc(f.URL))
	}
	f, _ := pick(false)
	fmt.Fprintf(&b, `<img src="%s" width="%d" height="%d" alt="%s"`, esc(f.URL), boxW, boxH, esc(a.Alt))
	if a.Class != "" {
		fmt.Fprintf(&b, ` class="%s"`, esc(a.Class))
	}
	b.WriteString(` loading="lazy" decoding="async"></picture>`)
	return template.HTML(b.String())
}
