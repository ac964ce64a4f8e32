package layout

import (
	"html/template"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"text/template/parse"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/index"
)

// foldConfig declares a taxonomy whose name needs escaping in every
// context, so that {{t "unit"}} prints it.
const foldConfig = `title = "Bản tin"
base_url = "https://example.gov.vn/tin/"

[[taxonomies]]
key = "unit"
name = "Đơn vị \"A\" & <B> 'c' +d"
path = "don-vi"
`

// renderFolded renders a home page with base.html replaced by layout, and
// the given partials, once with constant actions folded and once as
// written. It returns both outputs (or error texts) and how many actions
// folding removed from base.html and the partials.
func renderFolded(t *testing.T, layout string, partials map[string]string) (folded, plain string, removed int) {
	t.Helper()
	cfg, err := config.Parse([]byte(foldConfig))
	if err != nil {
		t.Fatal(err)
	}
	site := fstest.MapFS{"layouts/base.html": {Data: []byte(layout)}}
	for name, text := range partials {
		site["layouts/partials/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	ix, err := index.Build(&cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := &Page{Site: NewSite(&cfg, ix), Kind: KindHome, Title: `Trang "1"`, Path: "khu-vuc/a b/"}
	var out [2]string
	var sets [2]*Set
	for i, fold := range []bool{true, false} {
		set, err := load(site, bantin.Theme(), &cfg, fold)
		if err != nil {
			out[i] = "load error: " + err.Error()
			continue
		}
		sets[i] = set
		html, err := set.Render(KindHome, page)
		if err != nil {
			out[i] = "render error: " + err.Error()
			continue
		}
		out[i] = string(html)
	}
	if sets[0] != nil && sets[1] != nil {
		removed = actionCount(t, sets[1].pages[KindHome], "base.html") - actionCount(t, sets[0].pages[KindHome], "base.html")
		for name := range partials {
			removed += actionCount(t, sets[1].partials, "partials/"+name) - actionCount(t, sets[0].partials, "partials/"+name)
		}
	}
	return out[0], out[1], removed
}

// actionCount counts the actions of template name in set.
func actionCount(t *testing.T, set *template.Template, name string) int {
	t.Helper()
	tm := set.Lookup(name)
	if tm == nil || tm.Tree == nil {
		return 0
	}
	n := 0
	describe(tm.Tree.Root, func(node parse.Node, _ string) {
		if _, ok := node.(*parse.ActionNode); ok {
			n++
		}
	})
	return n
}

func TestFoldedActionsPrintWhatTheActionsPrinted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		layout   string
		partials map[string]string
		folds    int // actions that must be folded; -1: any number
	}{
		{"text", `<p>{{t "unit"}} {{t "skip"}}</p>`, nil, 2},
		{"double-quoted attribute", `<p title="{{t "unit"}}">x</p>`, nil, 1},
		{"single-quoted attribute", `<p title='{{t "unit"}}'>x</p>`, nil, 1},
		{"unquoted attribute", `<p title={{t "unit"}}>x</p>`, nil, -1},
		{"link", `<a href="{{url "a b/c?d=é&e=<f>"}}">x</a>`, nil, 1},
		{"link, then an action in the same link", `<a href="{{url "x/"}}{{.Path}}">x</a>`, nil, -1},
		{"query", `<a href="/?q={{t "unit"}}">x</a>`, nil, 1},
		{"unsafe link", `<a href="{{url "javascript:alert(1)"}}">x</a><a href="{{"javascript:alert(2)"}}">y</a>`, nil, -1},
		{"absolute link", `<a href="{{absURL "a b/"}}">{{absURL "a b/"}}</a>`, nil, 2},
		{"srcset", `<img srcset="{{url "a.png"}} 2x" alt="">`, nil, -1},
		{"title element", `<title>{{t "unit"}}</title>`, nil, -1},
		{"textarea", `<textarea>{{t "unit"}}</textarea>`, nil, -1},
		{"script", `<script>var s = "{{t "unit"}}"; var v = {{t "unit"}};</script>`, nil, -1},
		{"style", `<style>p::before { content: "{{t "unit"}}" }</style><p style="color: {{url "red"}}">x</p>`, nil, -1},
		{"event handler", `<p onclick="f({{t "unit"}})">x</p>`, nil, -1},
		{"comment", `<!-- {{t "unit"}} --><p>{{t "skip"}}</p>`, nil, -1},
		{"string literal", `{{"<b>literal</b> & 'more'"}}`, nil, 1},
		{"format without its numbers", `<p>{{t "page_n"}}</p>`, nil, 1},
		{"branches", `{{if .Title}}{{t "skip"}}{{else}}{{url "x"}}{{end}}{{range .Crumbs}}{{t "skip"}}{{end}}{{with .Path}}<a href="{{url "y"}}">{{.}}</a>{{end}}`, nil, 4},
		{"attribute name", `<p {{"title"}}="x">y</p>`, nil, -1},
		{"template in two contexts", `{{define "x"}}{{t "unit"}}{{end}}<p title="{{template "x"}}">{{template "x"}}</p>`, nil, -1},
		{"partialCached", `<div>{{partialCached "partials/p.html" .Title}}</div>`, map[string]string{"p.html": `<b title="{{t "unit"}}">{{.}} {{url "z"}}</b>`}, 2},
		{"not constant", `<p>{{t "articles" 3}} {{url .Path}} {{lower "AB"}}</p>`, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			folded, plain, removed := renderFolded(t, tt.layout, tt.partials)
			if folded != plain {
				t.Errorf("folded layouts print\n%s\nbut the layouts as written print\n%s", folded, plain)
			}
			if tt.folds >= 0 && removed != tt.folds {
				t.Errorf("%d actions folded, want %d (output %s)", removed, tt.folds, folded)
			}
		})
	}
}

func TestThemeConstantActionsAreFolded(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse([]byte(foldConfig))
	if err != nil {
		t.Fatal(err)
	}
	set, err := Load(fstest.MapFS{}, bantin.Theme(), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	// What pages run: base.html and what it calls, and the partials that
	// partialCached runs.
	for _, tm := range append(set.pages[KindArticle].Templates(), set.partials.Templates()...) {
		if tm.Tree == nil || tm.Tree.Root == nil || strings.HasPrefix(tm.Name(), foldEntry) {
			continue
		}
		describe(tm.Tree.Root, func(n parse.Node, desc string) {
			a, ok := n.(*parse.ActionNode)
			if !ok || !strings.Contains(desc, "_html_template_") {
				return // not run by the build, so not escaped
			}
			if constantFirst(a.Pipe.Cmds[0]) {
				t.Errorf("%s: %s is not folded", tm.Name(), a)
			}
		})
	}
}

// constantFirst reports whether cmd is a string literal, or t, url or
// absURL of string literals.
func constantFirst(cmd *parse.CommandNode) bool {
	for i, arg := range cmd.Args {
		switch arg := arg.(type) {
		case *parse.StringNode:
		case *parse.IdentifierNode:
			if i > 0 || arg.Ident != "t" && arg.Ident != "url" && arg.Ident != "absURL" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func FuzzFoldConstants(f *testing.F) {
	f.Add(`<a href="`, `x/`, `">`, `<p title="`, `">`)
	f.Add(`<script>var a = "`, `a'b`, `";</script>`, `<style>`, `</style>`)
	f.Add(`<p `, `x`, `=1>`, `<textarea>`, `</textarea>`)
	f.Fuzz(func(t *testing.T, before, arg, between, around, after string) {
		layout := before + "{{url " + strconv.Quote(arg) + "}}" + between + `{{t "unit"}}` + around + `{{.Title}}` + after
		folded, plain, _ := renderFolded(t, layout, nil)
		if folded != plain {
			t.Errorf("layout %q: folded layouts print\n%s\nbut the layouts as written print\n%s", layout, folded, plain)
		}
	})
}
