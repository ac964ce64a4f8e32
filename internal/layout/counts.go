package layout

import (
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strings"
	"text/template/parse"
)

// An article page's term links carry their terms' article counts, for
// themes that show them ("Cần Thơ (123 bài)"). A count grows with every
// new article of its term, and the page's fingerprint with it: when no
// template of the page can read a count, carrying one only makes the
// build render again pages whose HTML stays the same. readsCounts decides,
// at load time, whether the templates an article page executes can read
// one, by following the types of the values they handle from *Page. It
// is conservative: whatever it cannot follow counts as reading.

// types is what a template value may be: a set of Go types, where a nil
// entry stands for a type the analysis does not know.
type types []reflect.Type

// unknown is a value of a type the analysis does not know.
func unknown() types { return types{nil} }

func typeOf[T any]() types { return types{reflect.TypeFor[T]()} }

// union is a ∪ b, without repeats.
func (a types) union(b types) types {
	out := append(types(nil), a...)
	for _, t := range b {
		if !out.has(t) {
			out = append(out, t)
		}
	}
	return out
}

func (a types) has(t reflect.Type) bool {
	for _, u := range a {
		if u == t {
			return true
		}
	}
	return false
}

// countReader walks the templates an entry executes.
type countReader struct {
	pages    *template.Template // the page's templates, for {{template}}
	partials *template.Template // partialCached's templates
	funcs    map[string]reflect.Type
	visited  map[visit][]types // the types of dot each template was walked with
	holds    map[reflect.Type]bool
	// why is the first way a count may be read, where it is written;
	// empty while none is found.
	why string
}

// visit is a template of a set.
type visit struct {
	set  *template.Template
	name string
}

// readsCounts reports whether executing entry of pages, with a *Page as
// dot, can read the Count of a TermLink: a field chain that ends there, or
// a value holding a TermLink that is printed, compared or handed to a
// function. The reason is the first such place, for tests and debugging.
// funcs are the layouts' functions besides the builtins; the first map
// that names a function gives its type.
func readsCounts(pages, partials *template.Template, entry string, funcs ...template.FuncMap) (bool, string) {
	r := &countReader{pages: pages, partials: partials, funcs: map[string]reflect.Type{},
		visited: map[visit][]types{}, holds: map[reflect.Type]bool{}}
	for _, m := range funcs {
		for name, fn := range m {
			if _, ok := r.funcs[name]; !ok {
				r.funcs[name] = reflect.TypeOf(fn)
			}
		}
	}
	r.template(pages, entry, typeOf[*Page](), nil, nil)
	return r.why != "", r.why
}

// found records a way a count may be read, at node n of tree.
func (r *countReader) found(tree *parse.Tree, n parse.Node, format string, args ...any) {
	if r.why != "" {
		return
	}
	loc := "?"
	if tree != nil && n != nil {
		loc, _ = tree.ErrorContext(n)
	}
	r.why = loc + ": " + fmt.Sprintf(format, args...)
}

// template walks template name of set with dot, once per type of dot.
func (r *countReader) template(set *template.Template, name string, dot types, tree *parse.Tree, at parse.Node) {
	t := set.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		r.found(tree, at, "template %q is not known", name)
		return
	}
	key := visit{set, name}
	for _, seen := range r.visited[key] {
		if slices.Equal(seen, dot) {
			return
		}
	}
	r.visited[key] = append(r.visited[key], dot)
	// Template variables are untyped: one may be assigned values of other
	// types than its first, also before a use in an earlier loop pass. Each
	// name's assigned types are collected over passes until none is new.
	assigned := map[string]types{}
	for pass := 0; ; pass++ {
		w := &walker{r: r, set: set, tree: t.Tree, assigned: assigned, scopes: []map[string]types{{"$": dot}}}
		w.list(t.Tree.Root, dot)
		if !w.changed {
			return
		}
		if pass == 8 {
			r.found(t.Tree, t.Tree.Root, "variables of too many types")
			return
		}
	}
}

// walker walks one template's tree.
type walker struct {
	r        *countReader
	set      *template.Template
	tree     *parse.Tree
	scopes   []map[string]types
	assigned map[string]types
	changed  bool
}

func (w *walker) found(n parse.Node, format string, args ...any) {
	w.r.found(w.tree, n, format, args...)
}

func (w *walker) list(l *parse.ListNode, dot types) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, dot)
	}
}

func (w *walker) node(n parse.Node, dot types) {
	switch n := n.(type) {
	case *parse.ActionNode:
		v := w.pipe(n.Pipe, dot)
		if len(n.Pipe.Decl) == 0 {
			w.printed(n, v)
		}
	case *parse.IfNode:
		w.push()
		w.pipe(n.Pipe, dot)
		w.list(n.List, dot)
		w.list(n.ElseList, dot)
		w.pop()
	case *parse.WithNode:
		w.push()
		v := w.pipe(n.Pipe, dot)
		w.list(n.List, v)
		w.list(n.ElseList, dot)
		w.pop()
	case *parse.RangeNode:
		w.push()
		key, elem := w.elements(n, w.commands(n.Pipe, dot))
		switch len(n.Pipe.Decl) {
		case 1:
			w.bind(n.Pipe, n.Pipe.Decl[0], elem)
		case 2:
			w.bind(n.Pipe, n.Pipe.Decl[0], key)
			w.bind(n.Pipe, n.Pipe.Decl[1], elem)
		}
		w.list(n.List, elem)
		w.list(n.ElseList, dot)
		w.pop()
	case *parse.TemplateNode:
		arg := types{}
		if n.Pipe != nil {
			arg = w.pipe(n.Pipe, dot)
		}
		w.r.template(w.set, n.Name, arg, w.tree, n)
	case *parse.ListNode:
		w.list(n, dot)
	}
}

func (w *walker) push() { w.scopes = append(w.scopes, map[string]types{}) }
func (w *walker) pop()  { w.scopes = w.scopes[:len(w.scopes)-1] }

// pipe is the types of pipeline p's value, after binding its variables.
func (w *walker) pipe(p *parse.PipeNode, dot types) types {
	v := w.commands(p, dot)
	for _, d := range p.Decl {
		w.bind(p, d, v)
	}
	return v
}

// bind declares or assigns variable d of pipeline p.
func (w *walker) bind(p *parse.PipeNode, d *parse.VariableNode, v types) {
	name := d.Ident[0]
	if !p.IsAssign {
		w.scopes[len(w.scopes)-1][name] = v
		return
	}
	old := w.assigned[name]
	if grown := old.union(v); len(grown) > len(old) {
		w.assigned[name], w.changed = grown, true
	}
}

// variable is the types variable name may hold.
func (w *walker) variable(name string) types {
	for i := len(w.scopes) - 1; i >= 0; i-- {
		if v, ok := w.scopes[i][name]; ok {
			return v.union(w.assigned[name])
		}
	}
	return unknown()
}

// commands is the types of p's value, each command's result passed on as
// the last argument of the next.
func (w *walker) commands(p *parse.PipeNode, dot types) types {
	var v types
	for i, c := range p.Cmds {
		var final *types
		if i > 0 {
			final = &v
		}
		v = w.command(c, dot, final)
	}
	return v
}

// elements are the types of the keys and elements ranging over v gives.
func (w *walker) elements(n parse.Node, v types) (key, elem types) {
	for _, t := range v {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t == nil:
			key, elem = key.union(unknown()), elem.union(unknown())
		case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
			key, elem = key.union(typeOf[int]()), elem.union(types{t.Elem()})
		case t.Kind() == reflect.Map:
			key, elem = key.union(types{t.Key()}), elem.union(types{t.Elem()})
		case t.Kind() == reflect.Chan:
			elem = elem.union(types{t.Elem()})
		case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uintptr:
			key, elem = key.union(types{t}), elem.union(types{t})
		default:
			// Iterator functions and what else range may learn to take.
			key, elem = key.union(unknown()), elem.union(unknown())
		}
	}
	return key, elem
}

// command is the types of command c's value; final is the value piped in.
func (w *walker) command(c *parse.CommandNode, dot types, final *types) types {
	switch first := c.Args[0].(type) {
	case *parse.IdentifierNode:
		return w.call(c, first.Ident, dot, final)
	case *parse.FieldNode, *parse.ChainNode, *parse.VariableNode:
		v := w.term(first, dot)
		// More arguments go to a method, which may do anything with them.
		args := w.args(c.Args[1:], dot, final)
		for _, a := range args {
			if w.holdsLink(a) {
				w.found(c, "a term link passed to a method")
			}
		}
		return v
	}
	return w.term(c.Args[0], dot)
}

// args is the types of argument nodes, then of the piped value, if any.
func (w *walker) args(nodes []parse.Node, dot types, final *types) []types {
	var out []types
	for _, n := range nodes {
		out = append(out, w.term(n, dot))
	}
	if final != nil {
		out = append(out, *final)
	}
	return out
}

// term is the types of an operand.
func (w *walker) term(n parse.Node, dot types) types {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return w.fields(n, dot, n.Ident)
	case *parse.VariableNode:
		return w.fields(n, w.variable(n.Ident[0]), n.Ident[1:])
	case *parse.ChainNode:
		return w.fields(n, w.term(n.Node, dot), n.Field)
	case *parse.PipeNode:
		return w.pipe(n, dot)
	case *parse.StringNode:
		return typeOf[string]()
	case *parse.BoolNode:
		return typeOf[bool]()
	case *parse.NumberNode:
		switch {
		case n.IsInt:
			return typeOf[int]()
		case n.IsFloat:
			return typeOf[float64]()
		}
		return typeOf[complex128]()
	case *parse.NilNode:
		return types{}
	case *parse.IdentifierNode:
		return w.call(&parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos, Args: []parse.Node{n}}, n.Ident, dot, nil)
	}
	w.found(n, "an operand of unknown type")
	return unknown()
}

// fields follows a chain of field, method and map key names from v.
func (w *walker) fields(n parse.Node, v types, names []string) types {
	for _, name := range names {
		var next types
		for _, t := range v {
			next = next.union(w.field(n, t, name))
		}
		v = next
	}
	return v
}

// field is the types of .name on a value of type t.
func (w *walker) field(n parse.Node, t reflect.Type, name string) types {
	if t == nil {
		w.found(n, ".%s of a value of unknown type", name)
		return unknown()
	}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	// text/template tries methods first, on the pointer when it can.
	if m, ok := reflect.PointerTo(base).MethodByName(name); ok {
		if w.holdsLink(types{base}) && !countFree(base, name) {
			w.found(n, "method %s.%s may read a count", base, name)
		}
		if m.Type.NumOut() == 0 {
			return types{}
		}
		return types{m.Type.Out(0)}
	}
	switch base.Kind() {
	case reflect.Struct:
		f, ok := base.FieldByName(name)
		if !ok {
			break
		}
		owner := base
		for _, i := range f.Index[:len(f.Index)-1] {
			owner = owner.Field(i).Type
			for owner.Kind() == reflect.Pointer {
				owner = owner.Elem()
			}
		}
		if owner == reflect.TypeFor[TermLink]() && name == "Count" {
			w.found(n, "reads a term link's Count")
		}
		return types{f.Type}
	case reflect.Map:
		return types{base.Elem()}
	}
	w.found(n, ".%s of a %s", name, t)
	return unknown()
}

// countFree reports whether method name of recv, whose value holds term
// links, reads none of their counts. A method not listed counts as reading.
func countFree(recv reflect.Type, name string) bool {
	// Header and Trail read the site and the breadcrumbs; HasStatus the
	// links' Status only.
	return recv == reflect.TypeFor[Page]() && (name == "Header" || name == "Trail" || name == "HasStatus")
}

// call is the types of a function call's value.
func (w *walker) call(c *parse.CommandNode, name string, dot types, final *types) types {
	args := w.args(c.Args[1:], dot, final)
	anyHolds := func() bool {
		for _, a := range args {
			if w.holdsLink(a) {
				return true
			}
		}
		return false
	}
	switch name {
	case "partialCached", fusedPartial:
		// Its variant arguments only key the cache of fragments: the
		// output is the partial's for the context.
		if len(c.Args) < 2 {
			w.found(c, "partialCached with a name from a pipeline")
			return unknown()
		}
		partial, ok := c.Args[1].(*parse.StringNode)
		if !ok {
			w.found(c, "partialCached with a name that is not a constant")
			return unknown()
		}
		context := types{}
		if len(args) > 1 {
			context = args[1]
		}
		w.r.template(w.r.partials, partial.Text, context, w.tree, c)
		return typeOf[template.HTML]()
	case "and", "or":
		// They test truth, which does not depend on a count that is not
		// itself the argument, and return one of their arguments.
		var v types
		for _, a := range args {
			v = v.union(a)
		}
		return v
	case "not":
		return typeOf[bool]()
	case "len":
		return typeOf[int]()
	case "slice":
		if len(args) > 0 {
			return args[0]
		}
		return unknown()
	case "index":
		if len(args) == 0 {
			return unknown()
		}
		v := args[0]
		for range args[1:] {
			var next types
			for _, t := range v {
				next = next.union(indexed(t))
			}
			v = next
		}
		return v
	case "eq", "ne", "lt", "le", "gt", "ge":
		if anyHolds() {
			w.found(c, "%s compares a value holding term links", name)
		}
		return typeOf[bool]()
	case "print", "printf", "println", "html", "js", "urlquery":
		for _, a := range args {
			w.printed(c, a)
		}
		return typeOf[string]()
	}
	fn, ok := w.r.funcs[name]
	if !ok || fn.Kind() != reflect.Func {
		// call, html/template's escapers (fused or not, see escapers.go)
		// and what else the analysis does not know: they may print their
		// arguments.
		for _, a := range args {
			w.printed(c, a)
		}
		if strings.HasPrefix(name, "_html_template_") || strings.HasPrefix(name, fusedPrefix) {
			return typeOf[string]() // an escaper's output, printed
		}
		return unknown()
	}
	if anyHolds() {
		w.found(c, "a term link passed to %s", name)
	}
	if fn.NumOut() == 0 {
		return types{}
	}
	return types{fn.Out(0)}
}

// indexed is the types of an element of a t, as index gives it.
func indexed(t reflect.Type) types {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == nil:
		return unknown()
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map:
		return types{t.Elem()}
	case t.Kind() == reflect.String:
		return typeOf[byte]()
	}
	return unknown()
}

// printed records a value that reaches the output whole: through fmt,
// a term link in it shows its count.
func (w *walker) printed(n parse.Node, v types) {
	if w.holdsLink(v) {
		w.found(n, "prints a value that may hold a term link (%s)", strings.Trim(fmt.Sprint([]reflect.Type(v)), "[]"))
	}
}

// holdsLink reports whether a value of types v may hold a TermLink.
func (w *walker) holdsLink(v types) bool {
	for _, t := range v {
		if t == nil || w.r.holdsType(t) {
			return true
		}
	}
	return false
}

// holdsType reports whether a value of type t may hold a TermLink:
// interfaces may hold anything.
func (r *countReader) holdsType(t reflect.Type) bool {
	if h, ok := r.holds[t]; ok {
		return h
	}
	r.holds[t] = false // a type that refers to itself holds what its other parts hold
	h := false
	switch t.Kind() {
	case reflect.Interface:
		h = true
	case reflect.Struct:
		h = t == reflect.TypeFor[TermLink]()
		for i := 0; i < t.NumField() && !h; i++ {
			h = r.holdsType(t.Field(i).Type)
		}
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
		h = r.holdsType(t.Elem())
	case reflect.Map:
		h = r.holdsType(t.Key()) || r.holdsType(t.Elem())
	}
	r.holds[t] = h
	return h
}
