package render

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Bulletins caption every photo ("Quang cảnh Hội nghị."). An image becomes
// a <figure> with a <figcaption> when its caption is written
//
//   - as an italic line right under it, in the same paragraph:
//     ![Hội trường](/anh/a.jpg)
//     *Quang cảnh Hội nghị.*
//   - as an italic paragraph right after an image standing alone, or
//   - as the image's title: ![Hội trường](/anh/a.jpg "Quang cảnh Hội nghị.")
//
// The image keeps its alt text; a title that became the caption is not
// repeated as a title attribute. A processed image (a Picture, which the
// link transformer put in the image's place) is captioned the same way.

// KindFigure and KindFigCaption are the AST kinds of a captioned image.
var (
	KindFigure     = ast.NewNodeKind("Figure")
	KindFigCaption = ast.NewNodeKind("FigCaption")
)

// figure is a block holding an image, a soft line break and its caption:
// the break keeps alt text and caption apart in the plain text.
type figure struct{ ast.BaseBlock }

func (n *figure) Kind() ast.NodeKind            { return KindFigure }
func (n *figure) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// figCaption holds a caption's inline content.
type figCaption struct{ ast.BaseInline }

func (n *figCaption) Kind() ast.NodeKind            { return KindFigCaption }
func (n *figCaption) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// figureTransformer turns captioned images into figures. It runs after the
// link transformer, which positions every image in its paragraph.
type figureTransformer struct{}

func (figureTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var paragraphs []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			paragraphs = append(paragraphs, p)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paragraphs {
		if p.Parent() == nil { // merged into the figure before it
			continue
		}
		img, rest := leadingImage(p, src)
		if img == nil {
			continue
		}
		var caption ast.Node
		switch {
		case rest != nil:
			caption = onlyItalic(rest, src)
			if caption == nil {
				continue
			}
		case italicParagraph(p.NextSibling(), src) != nil:
			next := p.NextSibling()
			caption = italicParagraph(next, src)
			next.Parent().RemoveChild(next.Parent(), next)
		case imageTitle(img) != "":
			caption = ast.NewString([]byte(imageTitle(img)))
			clearTitle(img)
		default:
			continue
		}
		fig := &figure{}
		fig.SetLines(p.Lines())
		p.Parent().ReplaceChild(p.Parent(), p, fig)
		fig.AppendChild(fig, img)
		brk := ast.NewTextSegment(text.NewSegment(p.Lines().At(0).Start, p.Lines().At(0).Start))
		brk.SetSoftLineBreak(true)
		fig.AppendChild(fig, brk)
		fc := &figCaption{}
		if em, ok := caption.(*ast.Emphasis); ok {
			for c := em.FirstChild(); c != nil; {
				next := c.NextSibling()
				fc.AppendChild(fc, c)
				c = next
			}
		} else {
			fc.AppendChild(fc, caption)
		}
		fig.AppendChild(fig, fc)
	}
}

// leadingImage returns the image (an *ast.Image or a *Picture) a
// paragraph starts with, when nothing but blank text stands before the
// line break after it, and the first node after that break (nil when the
// image is all the paragraph holds).
func leadingImage(p *ast.Paragraph, src []byte) (ast.Node, ast.Node) {
	img := p.FirstChild()
	switch img.(type) {
	case *ast.Image, *Picture:
	default:
		return nil, nil
	}
	n := img.NextSibling()
	broke := false
	for ; n != nil; n = n.NextSibling() {
		t, ok := n.(*ast.Text)
		if !ok || !blank(t, src) {
			break
		}
		broke = broke || t.SoftLineBreak() || t.HardLineBreak()
	}
	if n == nil {
		return img, nil
	}
	if !broke {
		return nil, nil // text goes on after the image on its line
	}
	return img, n
}

// imageTitle is the title of an *ast.Image or a *Picture.
func imageTitle(n ast.Node) string {
	switch img := n.(type) {
	case *ast.Image:
		return string(img.Title)
	case *Picture:
		return img.Title
	}
	return ""
}

// clearTitle drops the title of an *ast.Image or a *Picture.
func clearTitle(n ast.Node) {
	switch img := n.(type) {
	case *ast.Image:
		img.Title = nil
	case *Picture:
		img.Title = ""
	}
}

// onlyItalic returns n when it is italic text (*...* or _..._) followed by
// nothing but blank text.
func onlyItalic(n ast.Node, src []byte) ast.Node {
	em, ok := n.(*ast.Emphasis)
	if !ok || em.Level != 1 {
		return nil
	}
	for after := em.NextSibling(); after != nil; after = after.NextSibling() {
		if t, ok := after.(*ast.Text); !ok || !blank(t, src) {
			return nil
		}
	}
	return em
}

// italicParagraph returns the italic text of a paragraph holding nothing
// else, or nil.
func italicParagraph(n ast.Node, src []byte) ast.Node {
	p, ok := n.(*ast.Paragraph)
	if !ok || p.FirstChild() == nil {
		return nil
	}
	return onlyItalic(p.FirstChild(), src)
}

func blank(t *ast.Text, src []byte) bool {
	return len(bytes.TrimSpace(t.Segment.Value(src))) == 0
}

// figureRenderer writes figures and their captions.
type figureRenderer struct{}

func (figureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindFigure, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<figure>\n")
		} else {
			_, _ = w.WriteString("\n</figure>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(KindFigCaption, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<figcaption>")
		} else {
			_, _ = w.WriteString("</figcaption>")
		}
		return ast.WalkContinue, nil
	})
}
