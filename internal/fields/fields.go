// Package fields decodes YAML, TOML and JSON documents (front matter and
// site.toml) into one tree of nodes that remember where they were written,
// and reads typed values out of it with errors that name file:line:col.
//
// Decoding into Go structs directly would lose positions, ignore unknown keys
// and turn wrong types into errors with no location; a positioned tree lets
// one validator serve all three formats with precise messages.
package fields

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

// Kind is the type of a node's value.
type Kind int

// Node kinds. Time is an unquoted date or date-time (YAML timestamp, TOML
// datetime): its text is kept, for the reader to parse.
const (
	Null Kind = iota
	String
	Int
	Float
	Bool
	Time
	List
	Map
)

var kindNames = [...]string{"null", "string", "integer", "number", "boolean", "date", "list", "map"}

func (k Kind) String() string { return kindNames[k] }

// Node is a decoded value and where it was written.
type Node struct {
	Kind   Kind
	Pos    diag.Pos // where the value starts
	KeyPos diag.Pos // where its key starts, for values in a map
	Text   string   // the scalar's text; "true"/"false" for booleans
	Items  []*Node  // list items
	Keys   []string // map keys in document order
	Values []*Node  // map values, parallel to Keys
}

// Get returns the value of key in a map node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil {
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Values[i]
		}
	}
	return nil
}

// Describe names the node's kind for error messages ("a number").
func (n *Node) Describe() string {
	switch n.Kind {
	case Int, Float:
		return "a number"
	case Bool:
		return "a boolean"
	case List:
		return "a list"
	case Map:
		return "a map"
	case Null:
		return "empty"
	case Time:
		return "a date"
	}
	return "a string"
}

// Int returns an integer node's value.
func (n *Node) Int() (int64, error) {
	return strconv.ParseInt(strings.ReplaceAll(n.Text, "_", ""), 0, 64)
}

// Schema lists the keys a map may have, to reject the others with a
// suggestion of the nearest known key.
type Schema struct {
	Keys []string
	// Aliases map names other tools use to ours ("tags" -> "topics"), for
	// suggestions that a spelling distance would not find.
	Aliases map[string]string
}

// CheckKeys reports every key of m that is not in the schema. where names
// the map in messages ("front matter", "[paths]").
func (s Schema) CheckKeys(m *Node, where string, errs *diag.List) {
	if m == nil || m.Kind != Map {
		return
	}
	for i, k := range m.Keys {
		if contains(s.Keys, k) {
			continue
		}
		pos := m.Values[i].KeyPos
		near, ok := s.Aliases[strings.ToLower(k)]
		if !ok {
			near = Suggest(k, s.Keys)
		}
		if near != "" {
			errs.Addf(pos, "unknown field %q in %s; did you mean %q?", k, where, near)
		} else {
			errs.Addf(pos, "unknown field %q in %s; known fields: %s", k, where, strings.Join(s.Keys, ", "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Suggest returns the candidate nearest to name by edit distance, or "" when
// none is close enough to be a plausible typo.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", 1<<30
	lower := strings.ToLower(name)
	for _, c := range candidates {
		d := editDistance(lower, c)
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, len(name)/3)
	if bestDist <= limit || (bestDist <= 2 && len(name) >= 4) {
		return best
	}
	return ""
}

// editDistance is the Damerau-Levenshtein distance (adjacent transpositions
// count once), so "regoin" is one edit away from "region".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Reader reads typed values out of a map node, collecting one error per bad
// field so that a single run reports them all.
type Reader struct {
	Map  *Node
	Errs *diag.List
	// Where is the map's position, for errors about missing keys.
	Where diag.Pos
	// Lang is the site's language, for the messages that explain common
	// YAML mistakes (English when empty).
	Lang vi.Language
}

func (r *Reader) typeError(key string, n *Node, want string) {
	hint := ""
	if want == "a string" && (n.Kind == Int || n.Kind == Float || n.Kind == Bool || n.Kind == Time) {
		hint = "; put the value in quotes"
	}
	if want == "a list of strings" && n.Kind == String {
		hint = fmt.Sprintf("; write [%q]", n.Text)
	}
	r.Errs.Addf(n.Pos, "%s must be %s, not %s%s", key, want, n.Describe(), hint)
}

// String returns the string at key and whether it was present. A missing
// required key, a wrong type or (when required) an empty string is an error.
func (r *Reader) String(key string, required bool) (string, diag.Pos, bool) {
	n := r.Map.Get(key)
	if n == nil || n.Kind == Null {
		if required {
			pos := r.Where
			if n != nil {
				pos = n.Pos
			}
			r.Errs.Addf(pos, "missing required field %q", key)
		}
		return "", diag.Pos{}, false
	}
	if n.Kind != String {
		r.typeError(key, n, "a string")
		return "", n.Pos, false
	}
	if required && strings.TrimSpace(n.Text) == "" {
		r.Errs.Addf(n.Pos, "%s must not be empty", key)
		return "", n.Pos, false
	}
	return n.Text, n.Pos, true
}

// Bool returns the boolean at key; absent means def.
func (r *Reader) Bool(key string, def bool) bool {
	n := r.Map.Get(key)
	if n == nil || n.Kind == Null {
		return def
	}
	if n.Kind != Bool {
		r.typeError(key, n, "true or false")
		return def
	}
	return n.Text == "true"
}

// Int returns the integer at key, between lo and hi; absent means def.
func (r *Reader) Int(key string, def, lo, hi int) int {
	n := r.Map.Get(key)
	if n == nil || n.Kind == Null {
		return def
	}
	if n.Kind != Int {
		r.typeError(key, n, "a whole number")
		return def
	}
	v, err := n.Int()
	if err != nil || v < int64(lo) || v > int64(hi) {
		r.Errs.Addf(n.Pos, "%s must be a whole number from %d to %d", key, lo, hi)
		return def
	}
	return int(v)
}

// StringList returns the list of strings at key with each item's position.
func (r *Reader) StringList(key string) ([]string, []diag.Pos) {
	n := r.Map.Get(key)
	if n == nil || n.Kind == Null {
		return nil, nil
	}
	if n.Kind != List {
		if n.Kind == String && n.Pos.Line > n.KeyPos.Line && n.KeyPos.Line > 0 {
			// YAML items written under the key without "- " read as one
			// string over several lines.
			o := Origin{Lang: r.Lang}
			r.Errs.Addf(n.Pos, "%s", o.say(
				"các mục của danh sách %s phải bắt đầu bằng \"- \": viết mỗi mục trên một dòng riêng, sau \"- \"",
				"each item of the list %s must start with \"- \": write each item on a line of its own, after \"- \"", key))
			return nil, nil
		}
		r.typeError(key, n, "a list of strings")
		return nil, nil
	}
	var out []string
	var pos []diag.Pos
	for i, item := range n.Items {
		if item.Kind != String {
			r.typeError(fmt.Sprintf("%s[%d]", key, i), item, "a string")
			continue
		}
		out = append(out, item.Text)
		pos = append(pos, item.Pos)
	}
	return out, pos
}

// Sub returns a reader for the map at key, or nil when the key is absent or
// not a map (a wrong type is reported).
func (r *Reader) Sub(key string) *Reader {
	n := r.Map.Get(key)
	if n == nil || n.Kind == Null {
		return nil
	}
	if n.Kind != Map {
		r.typeError(key, n, "a table")
		return nil
	}
	return &Reader{Map: n, Errs: r.Errs, Where: n.Pos, Lang: r.Lang}
}
