package layout

import (
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"text/template/parse"
)

// Fusing escapers.
//
// html/template ends every action with the escapers its context needs,
// each a function of the template, variadic, called by reflection: a link
// gets three ({{.URL}} in href= is .URL | urlfilter | urlnormalizer |
// attrescaper), a text one. Those calls were a large part of the cost of
// a page. Once the templates are escaped, Load replaces each run of
// escapers at the end of an action by one call of a function that gives
// the same text: for the plain strings pages are made of, by a short path
// that does what the escapers do (the text escaper replaces seven ASCII
// characters; the URL escapers leave the strings it accepts as they are);
// for any other value, and any string the short path is not sure
// of, by running the escapers themselves on it through a probe template
// (fuseProbes) whose action has the same chain.

// fusedPrefix names the functions that replace a run of escapers.
const fusedPrefix = "_bantin_escape_"

// fusedPartial names partialCached when a call passes a name and a
// context alone: a function that is not variadic costs less to call.
const fusedPartial = "_bantin_partial"

// Escapers html/template adds that fused chains handle on the short path.
const (
	escHTML   = "_html_template_htmlescaper"
	escAttr   = "_html_template_attrescaper"
	escRCDATA = "_html_template_rcdataescaper"
	escFilter = "_html_template_urlfilter"
	escNorm   = "_html_template_urlnormalizer"
	escJSVal  = "_html_template_jsvalescaper"
)

var fusable = map[string]bool{escHTML: true, escAttr: true, escRCDATA: true, escFilter: true, escNorm: true, escJSVal: true}

// fusedChain is a run of escapers as one function.
type fusedChain struct {
	steps []string
	// probe executes the chain itself: its one action has these escapers,
	// between the texts prefix and suffix.
	probe          *template.Template
	prefix, suffix string
}

// escape returns v escaped by the chain.
func (c *fusedChain) escape(v any) (string, error) {
	if out, ok := c.short(v); ok {
		return out, nil
	}
	var b strings.Builder
	if err := c.probe.Execute(&b, v); err != nil {
		return "", err
	}
	out := b.String()
	if !strings.HasPrefix(out, c.prefix) || !strings.HasSuffix(out, c.suffix) || len(out) < len(c.prefix)+len(c.suffix) {
		return "", fmt.Errorf("escaping %T: unexpected output %q", v, out)
	}
	return out[len(c.prefix) : len(out)-len(c.suffix)], nil
}

// short applies the chain without reflection where the result is known to
// be that of html/template's escapers: for plain strings and ints, and
// for template.HTML in text and template.JS in scripts; ok is false
// otherwise.
func (c *fusedChain) short(v any) (string, bool) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case int:
		s = strconv.Itoa(v) // as fmt.Sprint prints it
	case template.HTML:
		// Printed as it is in text; attributes and URLs strip or
		// normalize it.
		if len(c.steps) != 1 || c.steps[0] != escHTML {
			return "", false
		}
		return string(v), true
	case template.JS:
		// A script's data (JSON-LD) is printed as it is.
		if len(c.steps) != 1 || c.steps[0] != escJSVal {
			return "", false
		}
		return string(v), true
	default:
		return "", false
	}
	// Each escaper returns a plain string, which the next one takes.
	for _, step := range c.steps {
		switch step {
		case escHTML, escAttr, escRCDATA:
			// The same for plain text (they differ on template.HTML).
			s = escapeText(s)
		default:
			var ok bool
			if s, ok = urlStep(step, s); !ok {
				return "", false
			}
		}
	}
	return s, true
}

// textEscapes are the replacements html/template's text and attribute
// escapers make in plain text; only ASCII characters have one.
var textEscapes = [128]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// escapeText escapes plain text s as html/template's text escaper does.
// Bytes of multi-byte characters are never ASCII, so it goes by bytes.
func escapeText(s string) string {
	i := 0
	for i < len(s) && (s[i] >= 0x80 || textEscapes[s[i]] == "") {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	written := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x80 && textEscapes[c] != "" {
			b.WriteString(s[written:i])
			b.WriteString(textEscapes[c])
			written = i + 1
		}
	}
	b.WriteString(s[written:])
	return b.String()
}

// urlStep applies the URL filter or normalizer to a plain string s where
// it leaves s as it is; ok is false where it might not.
func urlStep(step, s string) (string, bool) {
	switch step {
	case escFilter:
		// The filter keeps relative URLs and those of the http, https
		// and mailto schemes.
		if !strings.Contains(s, ":") || strings.HasPrefix(s, "https:") || strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "mailto:") {
			return s, true
		}
	case escNorm:
		// The normalizer keeps RFC 3986's unreserved and reserved
		// characters; it encodes the rest, and checks percent escapes.
		for i := 0; i < len(s); i++ {
			if !urlKept[s[i]] {
				return "", false
			}
		}
		return s, true
	}
	return "", false
}

// urlKept are the bytes the URL normalizer never changes.
var urlKept = func() (kept [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		kept[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		kept[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		kept[c] = true
	}
	for _, c := range "-._~!#$&*+,/:;=?@[]" {
		kept[c] = true
	}
	return kept
}()

// fuseEscapers rewrites t, escaped, so that each action calls one fused
// function for its escapers, and partialCached calls with a name and a
// context a function that is not variadic. An action that prints in text
// what a function of layout returns as template.HTML (partialCached,
// date) loses its escaper, which prints such a value as it is. helpers
// are the layouts' functions, and partial the Set's partialCached.
func fuseEscapers(t *template.Template, helpers template.FuncMap, partial func(string, any, ...any) (template.HTML, error)) {
	chains := map[string]string{} // chain -> function name
	funcs := template.FuncMap{
		fusedPartial: func(name string, context any) (template.HTML, error) { return partial(name, context) },
	}
	returnsHTML := map[string]bool{fusedPartial: true}
	for name, fn := range helpers {
		if ft := reflect.TypeOf(fn); ft.Kind() == reflect.Func && ft.NumOut() > 0 && ft.Out(0) == reflect.TypeFor[template.HTML]() {
			returnsHTML[name] = true
		}
	}
	probes := &prober{}
	for _, tm := range t.Templates() {
		if tm.Tree == nil || tm.Tree.Root == nil {
			continue
		}
		visitPipes(tm.Tree.Root, func(p *parse.PipeNode, isAction bool) {
			for _, cmd := range p.Cmds {
				if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && id.Ident == "partialCached" && len(cmd.Args) == 3 {
					cmd.Args[0] = &parse.IdentifierNode{NodeType: parse.NodeIdentifier, Pos: id.Pos, Ident: fusedPartial}
				}
			}
			if !isAction {
				return
			}
			// The run of escapers ending the pipeline; the first
			// command is never one (it would take no value).
			start := len(p.Cmds)
			for start > 1 && isEscaper(p.Cmds[start-1], fusable) {
				start--
			}
			if start == len(p.Cmds) {
				return
			}
			if start == len(p.Cmds)-1 && isEscaper(p.Cmds[start], map[string]bool{escHTML: true}) {
				if id, ok := p.Cmds[start-1].Args[0].(*parse.IdentifierNode); ok && returnsHTML[id.Ident] {
					p.Cmds = p.Cmds[:start:start]
					return
				}
			}
			steps := make([]string, 0, len(p.Cmds)-start)
			for _, cmd := range p.Cmds[start:] {
				steps = append(steps, cmd.Args[0].(*parse.IdentifierNode).Ident)
			}
			key := strings.Join(steps, " ")
			name, ok := chains[key]
			if !ok {
				probe, prefix, suffix, found := probes.find(key)
				if !found {
					chains[key] = ""
					return
				}
				name = fmt.Sprintf("%s%d", fusedPrefix, len(funcs))
				chain := &fusedChain{steps: steps, probe: probe, prefix: prefix, suffix: suffix}
				funcs[name] = chain.escape
				chains[key] = name
			}
			if name == "" {
				return
			}
			last := p.Cmds[start]
			p.Cmds = append(p.Cmds[:start:start], &parse.CommandNode{NodeType: parse.NodeCommand, Pos: last.Pos,
				Args: []parse.Node{&parse.IdentifierNode{NodeType: parse.NodeIdentifier, Pos: last.Pos, Ident: name}}})
		})
	}
	t.Funcs(funcs)
}

// isEscaper reports whether cmd is an escaper of known html/template
// adds: its name alone, taking the value before it.
func isEscaper(cmd *parse.CommandNode, known map[string]bool) bool {
	if len(cmd.Args) != 1 {
		return false
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	return ok && known[id.Ident]
}

// visitPipes calls visit for every pipeline under n, saying whether it is
// an action's, which html/template escapes.
func visitPipes(n parse.Node, visit func(p *parse.PipeNode, isAction bool)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			visitPipes(c, visit)
		}
	case *parse.ActionNode:
		visitArgs(n.Pipe, visit)
		visit(n.Pipe, true)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			visitArgs(n.Pipe, visit)
			visit(n.Pipe, false)
		}
	case *parse.IfNode:
		visitBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		visitBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		visitBranch(&n.BranchNode, visit)
	}
}

func visitBranch(n *parse.BranchNode, visit func(*parse.PipeNode, bool)) {
	visitArgs(n.Pipe, visit)
	visit(n.Pipe, false)
	visitPipes(n.List, visit)
	visitPipes(n.ElseList, visit)
}

// visitArgs visits the parenthesized pipelines among p's arguments.
func visitArgs(p *parse.PipeNode, visit func(*parse.PipeNode, bool)) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			if sub, ok := arg.(*parse.PipeNode); ok {
				visitArgs(sub, visit)
				visit(sub, false)
			}
		}
	}
}

// fuseProbes are escapeProbes and a script, for JSON-LD.
var fuseProbes = append(escapeProbes[:len(escapeProbes):len(escapeProbes)], [2]string{`<script>`, `</script>`})

// prober finds the probe template (fuseProbes) that escapes its action
// with a given chain.
type prober struct {
	chains []string
	built  []*template.Template
}

func (p *prober) find(chain string) (probe *template.Template, prefix, suffix string, ok bool) {
	if p.built == nil {
		for _, pr := range fuseProbes {
			t, err := template.New("probe").Parse(pr[0] + "{{.}}" + pr[1])
			if err == nil {
				// Executing escapes it; the chain is then known.
				err = t.Execute(new(strings.Builder), "")
			}
			var got string
			if err == nil {
				describe(t.Tree.Root, func(n parse.Node, desc string) {
					if c, ok := strings.CutPrefix(desc, "A:"); ok {
						got = c
					}
				})
			} else {
				t = nil
			}
			p.chains = append(p.chains, got)
			p.built = append(p.built, t)
		}
	}
	for i, c := range p.chains {
		if c == chain && p.built[i] != nil {
			return p.built[i], fuseProbes[i][0], fuseProbes[i][1], true
		}
	}
	return nil, "", "", false
}
