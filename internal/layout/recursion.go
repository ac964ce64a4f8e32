package layout

import (
	"errors"
	"fmt"
	"html/template"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/bantin/bantin/internal/diag"
)

// A layout that calls itself, directly or through others, recurses until
// the goroutine's stack overflows, which kills the whole process: the
// build and the preview server with it. bantin's page data holds lists,
// never trees to recurse over, so any cycle of {{template}} or
// partialCached calls is an error, found when the layouts are parsed.

// call is one {{template "name"}} or {{partialCached "name" ...}} in a
// template, and where it is written.
type call struct {
	to  string
	pos diag.Pos
}

// calls lists the calls each template of t makes to templates named by
// a constant string.
func (s *Set) calls(t *template.Template) map[string][]call {
	out := map[string][]call{}
	for _, tmpl := range t.Templates() {
		if tmpl.Tree == nil || tmpl.Tree.Root == nil {
			continue
		}
		tree := tmpl.Tree
		var walk func(n parse.Node)
		add := func(to string, n parse.Node) {
			out[tmpl.Name()] = append(out[tmpl.Name()], call{to: to, pos: s.nodePos(tree, n)})
		}
		walk = func(n parse.Node) {
			switch n := n.(type) {
			case *parse.ListNode:
				if n == nil {
					return
				}
				for _, c := range n.Nodes {
					walk(c)
				}
			case *parse.TemplateNode:
				add(n.Name, n)
				walk(n.Pipe)
			case *parse.ActionNode:
				walk(n.Pipe)
			case *parse.PipeNode:
				if n == nil {
					return
				}
				for _, c := range n.Cmds {
					walk(c)
				}
			case *parse.CommandNode:
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "partialCached" {
					if name, ok := partialName(n); ok {
						add(name, n)
					} else {
						s.dynamicPartials = true
					}
				}
				for _, a := range n.Args {
					walk(a)
				}
			case *parse.IfNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.RangeNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.WithNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			}
		}
		walk(tree.Root)
	}
	return out
}

// partialName is the name of the partial a partialCached command calls,
// when it is a constant string; a name that comes from a value, or from
// the pipeline (as in {{"a" | partialCached}}), is not known at load time.
func partialName(cmd *parse.CommandNode) (string, bool) {
	if len(cmd.Args) < 2 {
		return "", false
	}
	name, ok := cmd.Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return name.Text, true
}

// nodePos is where node n of tree is written, as a layout file position.
func (s *Set) nodePos(tree *parse.Tree, n parse.Node) diag.Pos {
	loc, _ := tree.ErrorContext(n) // "partials/a.html:3:7"
	parts := strings.Split(loc, ":")
	pos := diag.Pos{File: Dir + "/" + tree.ParseName, Line: 1, Col: 1}
	if len(parts) >= 3 {
		pos.File = Dir + "/" + strings.Join(parts[:len(parts)-2], ":")
		pos.Line, _ = strconv.Atoi(parts[len(parts)-2])
		pos.Col, _ = strconv.Atoi(parts[len(parts)-1])
	}
	return pos
}

// checkRecursion reports each cycle of calls among t's templates once, at
// the call that closes it.
func (s *Set) checkRecursion(t *template.Template) diag.List {
	graph := s.calls(t)
	var errs diag.List
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(name string)
	visit = func(name string) {
		state[name] = active
		path = append(path, name)
		for _, c := range graph[name] {
			switch state[c.to] {
			case active:
				i := len(path) - 1
				for path[i] != c.to {
					i--
				}
				errs = append(errs, s.cycleError(graph, path[i:]))
			case unseen:
				visit(c.to)
			}
		}
		path = path[:len(path)-1]
		state[name] = done
	}
	var names []string
	for _, tmpl := range t.Templates() {
		names = append(names, tmpl.Name())
	}
	slices.Sort(names)
	for _, name := range names {
		if state[name] == unseen {
			visit(name)
		}
	}
	return errs
}

// cycleError reports a cycle of calls the same way however it was found:
// from its first template by name, at the call that comes back to it.
func (s *Set) cycleError(graph map[string][]call, cycle []string) *diag.Error {
	first := slices.Index(cycle, slices.Min(cycle))
	cycle = append(append([]string(nil), cycle[first:]...), cycle[:first]...)
	last := cycle[len(cycle)-1]
	var back call
	for _, c := range graph[last] {
		if c.to == cycle[0] {
			back = c
			break
		}
	}
	msg := fmt.Sprintf("%q calls itself (%s → %s) and would never end; a layout may not call itself, directly or through others",
		cycle[0], strings.Join(cycle, " → "), cycle[0])
	if s.fromTheme[strings.TrimPrefix(back.pos.File, Dir+"/")] {
		msg += " (in the embedded default theme; override it with your own " + back.pos.File + ")"
	}
	return &diag.Error{Pos: back.pos, Err: errors.New(msg)}
}

// maxPartialDepth bounds partialCached calls inside one another, for the
// cycles the check at load time cannot see: a partial named by a value.
// Layouts that name every partial by a constant string cannot nest deeper
// than their count without a cycle, which loading rejects; only layouts
// with a named-by-value call pay for counting (Set.dynamicPartials).
const maxPartialDepth = 32

// partialDepth counts the partialCached calls under way on this
// goroutine's stack.
func partialDepth() int {
	pcs := make([]uintptr, 4096)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	n := 0
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, ".(*Set).partialCached") {
			n++
		}
		if !more {
			return n
		}
	}
}
