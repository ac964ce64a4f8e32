package layout

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"text/template/parse"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
)

// escapeContexts put one action in each context html/template escapes in
// its own way, with the value of {{v}}.
const escapeContexts = `<p>{{v}}</p>` +
	`<p title="{{v}}">x</p><p title='{{v}}'>x</p><p title={{v}}>x</p>` +
	`<a href="{{v}}">x</a><a href='{{v}}'>x</a><a href="/tim-kiem/?q={{v}}">x</a><a href="{{v}}/{{v}}">x</a>` +
	`<img src="{{v}}" alt="{{v}}"><img srcset="{{v}} 2x" alt="">` +
	`<meta property="og:url" content="{{v}}"><link rel="canonical" href="{{v}}">` +
	`<title>{{v}}</title><textarea>{{v}}</textarea>` +
	`<script>var s = "{{v}}", v = {{v}};</script><style>p { color: {{v}} }</style>` +
	`<p onclick="f({{v}})" style="color: {{v}}">x</p><!-- {{v}} -->` +
	`{{v | html}} {{html (v)}} <a href="{{v | urlquery}}">x</a>`

// fusedAndPlain executes layout with value as v, once with its escapers
// fused and once as html/template escaped it, and returns both outputs
// and how many actions call a fused function.
func fusedAndPlain(t *testing.T, layout string, value any) (fused, plain string, calls int) {
	t.Helper()
	var out [2]string
	for i := range out {
		funcs := template.FuncMap{"v": func() any { return value }, "h": func(s string) template.HTML { return template.HTML(s) }}
		tm, err := template.New("page").Funcs(funcs).Parse(layout)
		if err != nil {
			t.Fatal(err)
		}
		if err := tm.Execute(io.Discard, nil); err != nil { // escapes it
			return "error: " + err.Error(), "error: " + err.Error(), 0
		}
		if i == 0 {
			fuseEscapers(tm, funcs, func(string, any, ...any) (template.HTML, error) { return "", nil })
			visitPipes(tm.Tree.Root, func(p *parse.PipeNode, _ bool) {
				if id, ok := p.Cmds[len(p.Cmds)-1].Args[0].(*parse.IdentifierNode); ok && strings.HasPrefix(id.Ident, fusedPrefix) {
					calls++
				}
			})
		}
		var b strings.Builder
		if err := tm.Execute(&b, nil); err != nil {
			out[i] = "error: " + err.Error()
			continue
		}
		out[i] = b.String()
	}
	return out[0], out[1], calls
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

func TestFusedEscapersPrintWhatTheEscapersPrint(t *testing.T) {
	t.Parallel()
	text := `Đơn vị "A" & <B> 'c' +d` + "\x00 \xff\xfe é"
	str := "chuỗi & <b>"
	var nilStr *string
	values := []any{
		"", "plain", text, "a b/c?d=é&e=<f>", "x/y-z_1.2~3", "/bai-viet/a/#p1", "/tim-kiem/?q=a&b=c+d",
		"https://example.gov.vn/tin/a/", "HTTPS://example.gov.vn/", "http:x", "mailto:a@b.vn", "MailTo:a@b.vn",
		"javascript:alert(1)", "data:text/html,x", "/a:b", "a/b:c", "%41%zz%", "%4", "a%20b", "x\x00y",
		template.HTML("<b>đậm</b> & " + text), template.HTML(""), template.URL("javascript:x"), template.URL("/a b"),
		template.HTMLAttr(`title="x"`), template.JS("a<b"), template.JS(`{"@type":"NewsArticle"}`), template.CSS("red"), template.Srcset("a.png 2x"),
		0, 42, -7, int64(5), 3.5, true, nil, &str, nilStr, stringer{"<s>"}, fmt.Errorf("e<r>"), []string{"a", "<b>"},
	}
	for i, v := range values {
		t.Run(fmt.Sprintf("%d:%T", i, v), func(t *testing.T) {
			t.Parallel()
			fused, plain, calls := fusedAndPlain(t, escapeContexts, v)
			if fused != plain {
				t.Errorf("value %#v: fused escapers print\n%s\nhtml/template prints\n%s", v, fused, plain)
			}
			if calls < 10 {
				t.Errorf("%d actions call fused escapers, want most of them", calls)
			}
		})
	}
}

// What a function returns as template.HTML prints as it is in text, with
// no escaper; elsewhere it is escaped as before.
func TestHTMLOfFunctionsPrintsWithoutEscaper(t *testing.T) {
	t.Parallel()
	layout := `<p>{{h "<b>đậm</b> & +"}}</p><p title="{{h "<b>x</b> & +"}}">{{h "<i>y</i>" | printf "%s"}}</p><a href="{{h "/a b"}}">z</a>`
	fused, plain, calls := fusedAndPlain(t, layout, nil)
	if fused != plain {
		t.Errorf("fused escapers print\n%s\nhtml/template prints\n%s", fused, plain)
	}
	if calls != 3 {
		t.Errorf("%d actions call a fused escaper, want 3: the one in text has none", calls)
	}
}

func TestThemeActionsCallOneEscaper(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse([]byte(foldConfig))
	if err != nil {
		t.Fatal(err)
	}
	set, err := Load(fstest.MapFS{}, bantin.Theme(), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	fused := 0
	for _, tm := range append(set.pages[KindArticle].Templates(), set.partials.Templates()...) {
		if tm.Tree == nil || tm.Tree.Root == nil {
			continue
		}
		visitPipes(tm.Tree.Root, func(p *parse.PipeNode, _ bool) {
			for _, cmd := range p.Cmds {
				id, ok := cmd.Args[0].(*parse.IdentifierNode)
				if !ok {
					continue
				}
				switch {
				case strings.HasPrefix(id.Ident, "_html_template_"):
					t.Errorf("%s: %s calls html/template's escaper %s", tm.Name(), p, id.Ident)
				case id.Ident == "partialCached" && len(cmd.Args) == 3:
					t.Errorf("%s: %s calls the variadic partialCached", tm.Name(), p)
				case strings.HasPrefix(id.Ident, fusedPrefix):
					fused++
				}
			}
		})
	}
	if fused == 0 {
		t.Error("no action calls a fused escaper")
	}
}

func TestErrorsNamePartialCachedAsTheLayoutDoes(t *testing.T) {
	t.Parallel()
	folded, plain, _ := renderFolded(t, `<div>{{partialCached "partials/p.html" .Crumbs}}</div>`, map[string]string{"p.html": `{{.}}`})
	want := `layouts/base.html:1:8: executing "base.html" at <partialCached "partials/p.html" .Crumbs>: error calling partialCached: partialCached "partials/p.html": its context, a []layout.Crumb, cannot be a cache key`
	if !strings.Contains(folded, want) || folded != plain {
		t.Errorf("got %s\nwant the error %s, as without fusing (%s)", folded, want, plain)
	}
}

func FuzzFusedEscapers(f *testing.F) {
	f.Add("a b/c?d=é&e=<f>", false)
	f.Add("https://x.vn/%41%2", true)
	f.Add("javascript:x\x00'\"+", false)
	f.Fuzz(func(t *testing.T, s string, asHTML bool) {
		var v any = s
		if asHTML {
			v = template.HTML(s)
		}
		fused, plain, _ := fusedAndPlain(t, escapeContexts, v)
		if fused != plain {
			t.Errorf("value %#v: fused escapers print\n%s\nhtml/template prints\n%s", v, fused, plain)
		}
	})
}
