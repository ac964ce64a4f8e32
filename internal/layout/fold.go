package layout

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"text/template/parse"
)

// Folding constant actions.
//
// An action whose output is the same on every page, a UI string or a site
// path of literal arguments ({{t "skip"}}, {{url "css/bantin.css"}}), costs
// as much to execute as any other: a reflective call of its function and
// one of each escaper html/template adds to it, on every page. Load
// replaces such actions by their output as text, escaped as html/template
// would escape it where it stands:
//
//  1. an escaped copy of the templates says which escapers each action
//     gets (html/template escapes on first execution, and a template that
//     is escaped cannot be changed any more);
//  2. a probe template whose action gets the same escapers gives the text;
//  3. the folded templates, escaped in turn, must give every other action
//     the same escapers, every call of a template the same context and
//     every text the same bytes, and keep the folded text as it is;
//     otherwise the folds of the templates that differ are dropped and the
//     check is made again.
//
// Templates that html/template copies for a second context (a partial
// called inside an attribute and in text) are not folded: the copy is
// made when the page first runs, from the folded text.

// foldEntry prefixes the templates added to an escaped copy to make
// html/template escape the real entry points without running anything.
const foldEntry = "bantin:fold:"

// derivedMark is what html/template appends to the name of a template it
// copies for another context.
const derivedMark = "$htmltemplate_"

// nodeKey identifies a node of a template across clones.
type nodeKey struct {
	template string
	pos      parse.Pos
}

// constFunc computes the output of a function of the layouts from literal
// string arguments; ok is false when it cannot be known before the page
// runs (an unknown UI string key, which the page then reports).
type constFunc func(args []string) (out string, ok bool)

// folder folds the constant actions of template sets.
type folder struct {
	funcs map[string]constFunc
	// escaped caches the escaped text of a value under a chain of
	// escapers, and probe the escapeProbes that has each chain.
	escaped map[[2]string]string
	probe   map[string]int
}

func newFolder(funcs map[string]constFunc) *folder {
	return &folder{funcs: funcs, escaped: map[[2]string]string{}, probe: map[string]int{}}
}

// fold returns t, or a copy of it, with its constant actions folded, and
// escaped for entries, the templates the build executes. It returns t,
// escaped, when there is nothing to fold or the folded copy does not
// check. t must not have been executed.
func (f *folder) fold(t *template.Template, entries []string) (*template.Template, error) {
	folded, err := t.Clone()
	if err != nil {
		return nil, err
	}
	before, err := f.escape(t, entries)
	if err != nil {
		return t, nil // rendering reports the layouts' errors at their place
	}
	// Templates that html/template copies for another context.
	copied := map[string]bool{}
	for _, v := range before {
		if name, ok := strings.CutPrefix(v, "T:"); ok {
			if base, _, found := strings.Cut(name, derivedMark); found {
				copied[base] = true
			}
		}
	}
	texts := map[nodeKey]string{}
	for _, tm := range folded.Templates() {
		name := tm.Name()
		if tm.Tree == nil || tm.Tree.Root == nil || copied[name] {
			continue
		}
		replaceActions(tm.Tree.Root, func(a *parse.ActionNode) (string, bool) {
			key := nodeKey{name, a.Pos}
			chain, ok := strings.CutPrefix(before[key], "A:")
			if !ok || chain == "" {
				return "", false
			}
			value, ok := f.constant(a)
			if !ok {
				return "", false
			}
			text, ok := f.escapeValue(chain, value)
			if ok {
				texts[key] = text
			}
			return text, ok
		})
	}
	if len(texts) == 0 {
		return t, nil
	}
	after, err := f.escape(folded, entries)
	if err != nil || len(after) != len(before) {
		return t, nil
	}
	for k, want := range before {
		if text, ok := texts[k]; ok {
			want = "X:" + text
		}
		if after[k] != want {
			return t, nil
		}
	}
	return folded, nil
}

// constant returns the output of a constant action before escaping: a
// string literal, or a function of f.funcs applied to string literals.
func (f *folder) constant(a *parse.ActionNode) (string, bool) {
	p := a.Pipe
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 {
		return "", false
	}
	args := p.Cmds[0].Args
	if s, ok := args[0].(*parse.StringNode); ok && len(args) == 1 {
		return s.Text, true
	}
	id, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return "", false
	}
	fn, ok := f.funcs[id.Ident]
	if !ok {
		return "", false
	}
	literals := make([]string, 0, len(args)-1)
	for _, arg := range args[1:] {
		s, ok := arg.(*parse.StringNode)
		if !ok {
			return "", false
		}
		literals = append(literals, s.Text)
	}
	return fn(literals)
}

// replaceActions replaces, in the lists under n, each action for which
// with returns true by a text node of the text it returns.
func replaceActions(n parse.Node, with func(*parse.ActionNode) (string, bool)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for i, c := range n.Nodes {
			if a, ok := c.(*parse.ActionNode); ok {
				if text, ok := with(a); ok {
					n.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(text)}
				}
				continue
			}
			replaceActions(c, with)
		}
	case *parse.IfNode:
		replaceActions(n.List, with)
		replaceActions(n.ElseList, with)
	case *parse.RangeNode:
		replaceActions(n.List, with)
		replaceActions(n.ElseList, with)
	case *parse.WithNode:
		replaceActions(n.List, with)
		replaceActions(n.ElseList, with)
	}
}

// escape escapes t from entries, as executing them would, without running
// anything, and describes its nodes by key: "A:" and the escapers of an
// action, "T:" and the name a template call was given (html/template
// renames calls in other contexts), "X:" and a text.
func (f *folder) escape(t *template.Template, entries []string) (map[nodeKey]string, error) {
	for _, entry := range entries {
		if t.Lookup(entry) == nil {
			continue
		}
		// Executing this escapes entry as executing entry itself would:
		// html/template then finds it escaped already.
		probe := fmt.Sprintf("{{if false}}{{template %q .}}{{end}}", entry)
		if _, err := t.New(foldEntry + entry).Parse(probe); err != nil {
			return nil, err
		}
	}
	for _, entry := range entries {
		if t.Lookup(entry) == nil {
			continue
		}
		if err := t.ExecuteTemplate(io.Discard, foldEntry+entry, nil); err != nil {
			return nil, err
		}
	}
	nodes := map[nodeKey]string{}
	for _, tm := range t.Templates() {
		name := tm.Name()
		if tm.Tree == nil || tm.Tree.Root == nil || strings.HasPrefix(name, foldEntry) {
			continue
		}
		describe(tm.Tree.Root, func(n parse.Node, desc string) { nodes[nodeKey{name, n.Position()}] = desc })
	}
	return nodes, nil
}

// describe calls visit for every action, template call and text under n.
func describe(n parse.Node, visit func(parse.Node, string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			describe(c, visit)
		}
	case *parse.ActionNode:
		visit(n, "A:"+escaperChain(n.Pipe))
	case *parse.TemplateNode:
		visit(n, "T:"+n.Name)
	case *parse.TextNode:
		visit(n, "X:"+string(n.Text))
	case *parse.IfNode:
		describe(n.List, visit)
		describe(n.ElseList, visit)
	case *parse.RangeNode:
		describe(n.List, visit)
		describe(n.ElseList, visit)
	case *parse.WithNode:
		describe(n.List, visit)
		describe(n.ElseList, visit)
	}
}

// escaperChain returns the escapers html/template ended an escaped
// pipeline with, space-separated, in order.
func escaperChain(p *parse.PipeNode) string {
	var chain []string
	for _, cmd := range p.Cmds {
		if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && len(cmd.Args) == 1 && strings.HasPrefix(id.Ident, "_html_template_") {
			chain = append(chain, id.Ident)
		}
	}
	return strings.Join(chain, " ")
}

// escapeProbes are small templates whose one action html/template escapes
// with a known chain, around which the text is known: executed with a
// value, they give it escaped by that chain.
var escapeProbes = [][2]string{
	{"", ""},
	{`<p title="`, `">`},
	{`<p title='`, `'>`},
	{`<a href="`, `">`},
	{`<a href="/?q=`, `">`},
	{`<title>`, `</title>`},
	{`<textarea>`, `</textarea>`},
}

// escapeValue returns value escaped by chain, the escapers of an action,
// found with a probe that escapes its action with the same chain.
func (f *folder) escapeValue(chain, value string) (string, bool) {
	if text, ok := f.escaped[[2]string{chain, value}]; ok {
		return text, true
	}
	probes := escapeProbes
	if i, ok := f.probe[chain]; ok {
		probes = probes[i : i+1]
	}
	for i, p := range probes {
		probe, err := template.New("probe").Parse(p[0] + "{{.}}" + p[1])
		if err != nil {
			continue
		}
		var b strings.Builder
		if err := probe.Execute(&b, value); err != nil {
			continue
		}
		var got string
		describe(probe.Tree.Root, func(n parse.Node, desc string) {
			if c, ok := strings.CutPrefix(desc, "A:"); ok {
				got = c
			}
		})
		if got != chain {
			continue
		}
		out := b.String()
		if !strings.HasPrefix(out, p[0]) || !strings.HasSuffix(out, p[1]) || len(out) < len(p[0])+len(p[1]) {
			continue
		}
		text := out[len(p[0]) : len(out)-len(p[1])]
		f.escaped[[2]string{chain, value}] = text
		if _, ok := f.probe[chain]; !ok {
			f.probe[chain] = i
		}
		return text, true
	}
	return "", false
}
