package render

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/bantin/bantin/internal/images"
)

// Picture is a Markdown image replaced by its processed variants.
type Picture struct {
	ast.BaseInline
	Set   *images.Set
	Alt   string
	Title string
	Lazy  bool
}

// KindPicture is the node kind of Picture.
var KindPicture = ast.NewNodeKind("Picture")

// Kind implements ast.Node.
func (p *Picture) Kind() ast.NodeKind { return KindPicture }

// Dump implements ast.Node.
func (p *Picture) Dump(src []byte, level int) {
	ast.DumpHelper(p, src, level, map[string]string{"Src": p.Set.Src, "Alt": p.Alt}, nil)
}

// pictureRenderer writes Picture nodes with images.Set.Picture, the one
// implementation layouts use too.
type pictureRenderer struct{}

func (pictureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindPicture, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			p := n.(*Picture)
			_, _ = w.WriteString(string(p.Set.Picture(images.Attrs{Alt: p.Alt, Title: p.Title, Lazy: p.Lazy})))
		}
		return ast.WalkSkipChildren, nil
	})
}

// altText is the plain text of an image's description, as goldmark's own
// renderer writes into alt.
func altText(n ast.Node, src []byte) string {
	var b []byte
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b = append(b, t.Segment.Value(src)...)
			if t.SoftLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			b = append(b, t.Value...)
		}
		return ast.WalkContinue, nil
	})
	return string(b)
}
