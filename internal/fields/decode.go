package fields

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/goccy/go-yaml/ast"
	yamlparser "github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

// Origin locates a decoded block in its file: the block's first line is line
// Line of File. Parsers count lines from the block; adding the origin gives
// the line an editor sees.
type Origin struct {
	File string
	Line int
	// Lang is the site's language, for the messages that explain common
	// YAML mistakes ("vi" or "en"; English when empty).
	Lang vi.Language
}

func (o Origin) pos(line, col int) diag.Pos {
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return diag.Pos{File: o.File, Line: o.Line + line - 1, Col: col}
}

// maxDepth bounds the nesting of maps and lists in a block: front matter
// needs two levels, site.toml three; deeper input is hostile or a mistake.
const maxDepth = 32

// DecodeYAML decodes a YAML 1.2 mapping (so yes/no/on stay strings).
func DecodeYAML(src []byte, o Origin) (*Node, error) {
	if n, ok := decodeSimpleYAML(src, o); ok {
		return n, nil
	}
	return decodeFullYAML(src, o)
}

// decodeFullYAML decodes any YAML with goccy/go-yaml.
func decodeFullYAML(src []byte, o Origin) (*Node, error) {
	if at := yamlDepth(src); at >= 0 {
		return nil, depthError(src, at, o)
	}
	file, err := yamlparser.ParseBytes(src, 0)
	if err != nil {
		perr := yamlError(err, o)
		if hint := yamlHint(src, o, false); hint != nil && hint.Pos.Line <= perr.Pos.Line {
			return nil, hint
		}
		return nil, perr
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return &Node{Kind: Map, Pos: o.pos(1, 1)}, nil
	}
	if len(file.Docs) > 1 {
		return nil, diag.Errorf(o.pos(1, 1), "front matter holds more than one YAML document")
	}
	n, err := fromYAML(file.Docs[0].Body, o, 0)
	if err != nil {
		return nil, err
	}
	if n.Kind == Null {
		return &Node{Kind: Map, Pos: n.Pos}, nil
	}
	if n.Kind != Map {
		if hint := yamlHint(src, o, false); hint != nil {
			return nil, hint
		}
		return nil, diag.Errorf(n.Pos, "front matter must be a set of key: value fields, not %s", n.Describe())
	}
	// A quote left open can swallow the fields after it into one string
	// the parser accepts; the fields then seem to be missing.
	if hint := yamlHint(src, o, true); hint != nil {
		return nil, hint
	}
	return n, nil
}

// yamlError places a YAML syntax error at its token.
func yamlError(err error, o Origin) *diag.Error {
	var withToken interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &withToken) && withToken.GetToken() != nil {
		p := withToken.GetToken().Position
		return diag.Errorf(o.pos(p.Line, p.Column), "invalid YAML: %s", yamlMessage(withToken.GetMessage(), o))
	}
	return diag.Errorf(o.pos(1, 1), "invalid YAML: %v", err)
}

var yamlAt = regexp.MustCompile(`at \[(\d+):(\d+)\]`)

// yamlMessage rewrites the parser's block-relative positions ("already
// defined at [1:1]") as file lines, and names invisible characters.
func yamlMessage(msg string, o Origin) string {
	msg = yamlAt.ReplaceAllStringFunc(msg, func(m string) string {
		sub := yamlAt.FindStringSubmatch(m)
		line, _ := strconv.Atoi(sub[1])
		return fmt.Sprintf("on line %d", o.pos(line, 1).Line)
	})
	return strings.ReplaceAll(msg, "'\t'", "a tab (indent with spaces)")
}

func yamlPos(n ast.Node, o Origin) diag.Pos {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return o.pos(1, 1)
	}
	return o.pos(tk.Position.Line, tk.Position.Column)
}

func fromYAML(y ast.Node, o Origin, depth int) (*Node, error) {
	pos := yamlPos(y, o)
	if _, scalar := y.(ast.ScalarNode); !scalar && depth+1 > maxDepth {
		return nil, diag.Errorf(pos, "values nested more than %d levels deep; nest maps and lists a few levels at most", maxDepth)
	}
	n := &Node{Pos: pos}
	switch t := y.(type) {
	case *ast.NullNode:
		n.Kind = Null
	case *ast.StringNode:
		n.Kind, n.Text = String, t.Value
	case *ast.LiteralNode:
		n.Kind, n.Text = String, t.Value.Value
	case *ast.IntegerNode:
		n.Kind, n.Text = Int, fmt.Sprint(t.Value)
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		n.Kind, n.Text = Float, t.GetToken().Value
	case *ast.BoolNode:
		n.Kind, n.Text = Bool, strconv.FormatBool(t.Value)
	case *ast.TagNode:
		return fromYAML(t.Value, o, depth+1)
	case *ast.AnchorNode:
		return fromYAML(t.Value, o, depth+1)
	case *ast.AliasNode:
		return nil, diag.Errorf(pos, "YAML aliases (*name) are not supported in front matter; write the value out")
	case *ast.SequenceNode:
		n.Kind = List
		for _, v := range t.Values {
			item, err := fromYAML(v, o, depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, item)
		}
	case *ast.MappingNode:
		n.Kind = Map
		for _, mv := range t.Values {
			if err := addYAMLPair(n, mv, o, depth); err != nil {
				return nil, err
			}
		}
	case *ast.MappingValueNode:
		n.Kind = Map
		n.Pos = yamlPos(t.Key, o)
		if err := addYAMLPair(n, t, o, depth); err != nil {
			return nil, err
		}
	default:
		return nil, diag.Errorf(pos, "unsupported YAML value (%s)", y.Type())
	}
	return n, nil
}

func addYAMLPair(m *Node, mv *ast.MappingValueNode, o Origin, depth int) error {
	keyPos := yamlPos(mv.Key, o)
	var key string
	switch k := mv.Key.(type) {
	case *ast.StringNode:
		key = k.Value
	case *ast.MappingKeyNode:
		return diag.Errorf(keyPos, "complex YAML keys (?) are not supported; write key: value")
	case *ast.MergeKeyNode:
		return diag.Errorf(keyPos, "YAML merge keys (<<) are not supported in front matter")
	default:
		key = mv.Key.GetToken().Value
	}
	if prev := m.Get(key); prev != nil {
		return diag.Errorf(keyPos, "duplicate key %q (first set at line %d)", key, prev.KeyPos.Line)
	}
	val, err := fromYAML(mv.Value, o, depth+1)
	if err != nil {
		return err
	}
	val.KeyPos = keyPos
	m.Keys = append(m.Keys, key)
	m.Values = append(m.Values, val)
	return nil
}

// DecodeJSON decodes a JSON object.
func DecodeJSON(src []byte, o Origin) (*Node, error) {
	d := &jsonDecoder{src: src, dec: json.NewDecoder(bytes.NewReader(src)), o: o, cur: newCursor(src)}
	d.dec.UseNumber()
	n, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, diag.Errorf(d.posAt(d.dec.InputOffset()), "invalid JSON: unexpected data after the closing }")
	}
	if n.Kind != Map {
		return nil, diag.Errorf(n.Pos, "front matter must be a JSON object, not %s", n.Describe())
	}
	return n, nil
}

type jsonDecoder struct {
	src []byte
	dec *json.Decoder
	o   Origin
	cur *cursor // positions are asked in increasing order
}

// posAt returns the position of the first non-space byte at or after offset.
func (d *jsonDecoder) posAt(offset int64) diag.Pos {
	i := int(offset)
	for i < len(d.src) && (d.src[i] == ' ' || d.src[i] == '\t' || d.src[i] == '\n' || d.src[i] == '\r' || d.src[i] == ',' || d.src[i] == ':') {
		i++
	}
	line, col := d.cur.at(i)
	return d.o.pos(line, col)
}

func (d *jsonDecoder) token() (json.Token, diag.Pos, error) {
	pos := d.posAt(d.dec.InputOffset())
	tok, err := d.dec.Token()
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// The offending byte is the last one read, or the first
			// after the blanks read last.
			i := int(syn.Offset) - 1
			for i >= 0 && i < len(d.src)-1 && (d.src[i] == ' ' || d.src[i] == '\t' || d.src[i] == '\n' || d.src[i] == '\r') {
				i++
			}
			line, col := d.cur.at(i)
			pos = d.o.pos(line, col)
			return nil, pos, &diag.Error{Pos: pos, Err: fmt.Errorf("invalid JSON: %s", syn.Error())}
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, pos, &diag.Error{Pos: pos, Err: fmt.Errorf("invalid JSON: %w", err)}
	}
	return tok, pos, nil
}

func (d *jsonDecoder) value(depth int) (*Node, error) {
	tok, pos, err := d.token()
	if err != nil {
		return nil, err
	}
	if _, open := tok.(json.Delim); open && depth+1 > maxDepth {
		return nil, diag.Errorf(pos, "values nested more than %d levels deep; nest maps and lists a few levels at most", maxDepth)
	}
	n := &Node{Pos: pos}
	switch t := tok.(type) {
	case nil:
		n.Kind = Null
	case bool:
		n.Kind, n.Text = Bool, strconv.FormatBool(t)
	case json.Number:
		n.Text = t.String()
		n.Kind = Float
		if _, err := t.Int64(); err == nil {
			n.Kind = Int
		}
	case string:
		n.Kind, n.Text = String, t
	case json.Delim:
		switch t {
		case '[':
			n.Kind = List
			for d.dec.More() {
				item, err := d.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, item)
			}
		case '{':
			n.Kind = Map
			for d.dec.More() {
				ktok, kpos, err := d.token()
				if err != nil {
					return nil, err
				}
				key, _ := ktok.(string)
				if prev := n.Get(key); prev != nil {
					return nil, diag.Errorf(kpos, "duplicate key %q (first set at line %d)", key, prev.KeyPos.Line)
				}
				val, err := d.value(depth + 1)
				if err != nil {
					return nil, err
				}
				val.KeyPos = kpos
				n.Keys = append(n.Keys, key)
				n.Values = append(n.Values, val)
			}
		}
		if _, _, err := d.token(); err != nil { // closing delimiter
			return nil, err
		}
	}
	return n, nil
}

// DecodeTOML decodes a TOML document. The TOML decoder reports no position
// per key, so keys and values are located by a scan of the source
// (scanTOML), which also bounds the document's nesting before it is
// decoded.
func DecodeTOML(src []byte, o Origin) (*Node, error) {
	layout := scanTOML(src)
	if layout.deep >= 0 {
		return nil, depthError(src, layout.deep, o)
	}
	var data map[string]any
	md, err := toml.Decode(string(src), &data)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.Usage != "" {
				msg += " (" + strings.TrimSpace(strings.SplitN(pe.Usage, "\n", 2)[0]) + ")"
			}
			// The error's byte offset is exact; its line is not always
			// (a line break is counted before the error at it is), and
			// its column counts bytes, not characters.
			line, col := pe.Position.Line, pe.Position.Col
			if pe.Position.Start >= 0 && pe.Position.Start <= len(src) {
				line, col = newCursor(src).at(pe.Position.Start)
			}
			return nil, diag.Errorf(o.pos(line, col), "invalid TOML: %s", msg)
		}
		return nil, diag.Errorf(o.pos(1, 1), "invalid TOML: %v", err)
	}
	order := map[string]int{}
	for i, k := range md.Keys() {
		order[k.String()] = i
	}
	t := &tomlTree{layout: layout, order: order, o: o}
	return t.node(data, "", o.pos(1, 1), 0)
}

type tomlTree struct {
	layout tomlLayout
	order  map[string]int
	o      Origin
}

func (t *tomlTree) node(v any, path string, pos diag.Pos, depth int) (*Node, error) {
	if depth > maxDepth { // scalars included: TOML nesting was bounded before
		return nil, diag.Errorf(pos, "values nested more than %d levels deep; nest maps and lists a few levels at most", maxDepth)
	}
	n := &Node{Pos: pos}
	switch v := v.(type) {
	case string:
		n.Kind, n.Text = String, v
	case bool:
		n.Kind, n.Text = Bool, strconv.FormatBool(v)
	case int64:
		n.Kind, n.Text = Int, strconv.FormatInt(v, 10)
	case float64:
		n.Kind, n.Text = Float, strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		n.Kind = Time
		// The decoder marks zone-less values with these location names.
		switch v.Location().String() {
		case "date-local":
			n.Text = v.Format("2006-01-02")
		case "datetime-local":
			n.Text = v.Format("2006-01-02 15:04:05")
		case "time-local":
			n.Text = v.Format("15:04:05")
		default:
			n.Text = v.Format(time.RFC3339Nano)
		}
	case []any:
		n.Kind = List
		items := t.layout.items[path]
		for i, item := range v {
			itemPos := pos
			if i < len(items) {
				itemPos = t.o.pos(items[i].Line, items[i].Col)
			}
			c, err := t.node(item, path, itemPos, depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, c)
		}
	case []map[string]any: // an array of tables: a list of maps, each placed at its [[header]]
		n.Kind = List
		heads := t.layout.items[path]
		for i, item := range v {
			itemPos := pos
			if i < len(heads) {
				itemPos = t.o.pos(heads[i].Line, heads[i].Col)
			}
			// Keys of the second [[taxonomies]] are "taxonomies[1].key".
			c, err := t.node(item, fmt.Sprintf("%s[%d]", path, i), itemPos, depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, c)
		}
	case map[string]any:
		n.Kind = Map
		names := make([]string, 0, len(v))
		for k := range v {
			names = append(names, k)
		}
		full := func(k string) string { return strings.TrimPrefix(path+"."+quoteTOMLKey(k), ".") }
		// MetaData.Keys names keys of arrays of tables without their index.
		ordered := func(k string) string { return arrayIndex.ReplaceAllString(full(k), "") }
		sort.Slice(names, func(i, j int) bool {
			oi, iok := t.order[ordered(names[i])]
			oj, jok := t.order[ordered(names[j])]
			if iok && jok && oi != oj {
				return oi < oj
			}
			return names[i] < names[j]
		})
		for _, k := range names {
			keyAt, valueAt := pos, pos
			if kp, ok := t.layout.keys[full(k)]; ok {
				keyAt, valueAt = t.o.pos(kp.key.Line, kp.key.Col), t.o.pos(kp.value.Line, kp.value.Col)
			}
			c, err := t.node(v[k], full(k), valueAt, depth+1)
			if err != nil {
				return nil, err
			}
			c.KeyPos = keyAt
			n.Keys = append(n.Keys, k)
			n.Values = append(n.Values, c)
		}
	default:
		return nil, diag.Errorf(pos, "unsupported TOML value")
	}
	return n, nil
}

// quoteTOMLKey spells a key the way toml.Key.String does, so that paths
// built here match MetaData.Keys.
func quoteTOMLKey(k string) string {
	return toml.Key{k}.String()
}

type keyPos struct{ key, value diag.Pos }

// arrayIndex matches the index of a table in an array of tables within a
// key path ("taxonomies[1].key").
var arrayIndex = regexp.MustCompile(`\[\d+\]`)
