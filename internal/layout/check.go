package layout

import (
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/fields"
	"github.com/bantin/bantin/internal/vi"
)

// uiKeys are the UI string keys t accepts for the site: its language's,
// the Vietnamese ones it falls back to, and the names of the taxonomies
// site.toml declares (key, key+"s", "facet_"+key).
func uiKeys(cfg *config.Site) []string {
	seen := map[string]bool{}
	var keys []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for k := range uiStrings[vi.Vietnamese] {
		add(k)
	}
	for k := range uiStrings[cfg.Language] {
		add(k)
	}
	for _, t := range cfg.Taxonomies {
		add(t.Key)
		add(t.Key + "s")
		add("facet_" + t.Key)
	}
	slices.Sort(keys)
	return keys
}

// unknownKey is the message for a t call with a key no table has.
func unknownKey(key string, known []string) string {
	msg := fmt.Sprintf("unknown UI string %q", key)
	if near := fields.Suggest(key, known); near != "" {
		return msg + fmt.Sprintf("; did you mean %q?", near)
	}
	return msg + "; use a key of the default theme's layouts, or write the text in the layout"
}

// checkKeys reports every call of t with a constant key that no UI string
// table has, at the key's position: {{t "feed"}} and {{"feed" | t}}. Keys
// computed while the page runs are checked then. With file set, only the
// templates parsed from that file are checked.
func (s *Set) checkKeys(tmpl *template.Template, file string, known []string, errs *diag.List) {
	for _, tm := range tmpl.Templates() {
		if tm.Tree == nil || tm.Tree.Root == nil || file != "" && tm.Tree.ParseName != file {
			continue
		}
		src := s.sources[tm.Tree.ParseName]
		report := func(n *parse.StringNode) {
			if slices.Contains(known, n.Text) {
				return
			}
			pos := diag.PosOf(Dir+"/"+tm.Tree.ParseName, []byte(src), int(n.Position()))
			errs.Add(pos, s.inTheme(tm.Tree.ParseName, "t: "+unknownKey(n.Text, known)))
		}
		walk(tm.Tree.Root, func(p *parse.PipeNode) {
			for i, cmd := range p.Cmds {
				if !isIdent(cmd.Args[0], "t") {
					continue
				}
				if len(cmd.Args) > 1 {
					if str, ok := cmd.Args[1].(*parse.StringNode); ok {
						report(str)
					}
				} else if i > 0 && len(p.Cmds[i-1].Args) == 1 {
					if str, ok := p.Cmds[i-1].Args[0].(*parse.StringNode); ok {
						report(str)
					}
				}
			}
		})
	}
}

func isIdent(n parse.Node, name string) bool {
	id, ok := n.(*parse.IdentifierNode)
	return ok && id.Ident == name
}

// walk calls visit for every pipeline under n, nested ones included.
func walk(n parse.Node, visit func(*parse.PipeNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, visit)
		}
	case *parse.ActionNode:
		walk(n.Pipe, visit)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.TemplateNode:
		walk(n.Pipe, visit)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		visit(n)
		for _, cmd := range n.Cmds {
			for _, arg := range cmd.Args {
				walk(arg, visit)
			}
		}
	case *parse.ChainNode:
		walk(n.Node, visit)
	}
}

func walkBranch(b *parse.BranchNode, visit func(*parse.PipeNode)) {
	walk(b.Pipe, visit)
	walk(b.List, visit)
	walk(b.ElseList, visit)
}

// inTheme adds, for a file of the embedded theme, how to override it.
func (s *Set) inTheme(name, msg string) error {
	if s.fromTheme[name] {
		msg += " (in the embedded default theme; override it with your own " + Dir + "/" + name + ")"
	}
	return fmt.Errorf("%s", msg)
}

// column returns the 1-based column, in characters, of an error on line of
// file. text/template gives executing errors a 0-based byte offset in the
// line (byteCol >= 0), and parse errors none (byteCol < 0): then the column
// is that of what the message names (a function, a quoted token, a bad
// character) in the line, else of the line's first action.
func (s *Set) column(file string, line, byteCol int, msg string) int {
	src, ok := s.sources[file]
	if !ok || line < 1 {
		return max(byteCol+1, 1)
	}
	lines := strings.SplitAfter(src, "\n")
	if line > len(lines) {
		return max(byteCol+1, 1)
	}
	text := lines[line-1]
	if byteCol >= 0 {
		if byteCol > len(text) {
			return byteCol + 1
		}
		return utf8.RuneCountInString(text[:byteCol]) + 1
	}
	at := -1
	for _, needle := range namedIn(msg) {
		// Prefer the name inside an action, where the parser met it.
		from := max(strings.Index(text, "{{"), 0)
		if i := strings.Index(text[from:], needle); i >= 0 {
			at = from + i
			break
		}
		if i := strings.Index(text, needle); i >= 0 {
			at = i
			break
		}
	}
	if at < 0 {
		at = strings.Index(text, "{{")
	}
	if at < 0 {
		return 1
	}
	return utf8.RuneCountInString(text[:at]) + 1
}

// quotedInMessage finds what a template parse error names: "name",
// <keyword>, or a bad character U+003C '<'.
var quotedInMessage = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|<[^<>\s]+>|U\+[0-9A-F]{4,6} '[^']+'`)

// namedIn returns the pieces of source a parse error message names, in
// the order the message names them.
func namedIn(msg string) []string {
	var out []string
	for _, m := range quotedInMessage.FindAllString(msg, -1) {
		switch {
		case strings.HasPrefix(m, `"`):
			if u, err := strconv.Unquote(m); err == nil && u != "" {
				out = append(out, strings.TrimSuffix(u, "..."))
			}
		case strings.HasPrefix(m, "<"):
			out = append(out, strings.Trim(m, "<>"))
		default: // U+003C '<'
			out = append(out, m[strings.IndexByte(m, '\'')+1:len(m)-1])
		}
	}
	return out
}
