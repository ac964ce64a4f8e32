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
)

// Origin locates a decoded block in its file: the block's first line is line
// Line of File. Parsers count lines from the block; adding the origin gives
// the line an editor sees.
type Origin struct {
	File string
	Line int
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

// maxDepth bounds nesting, so hostile input cannot exhaust the stack.
const maxDepth = 64

// DecodeYAML decodes a YAML 1.2 mapping (so yes/no/on stay strings).
func DecodeYAML(src []byte, o Origin) (*Node, error) {
	if n, ok := decodeSimpleYAML(src, o); ok {
		return n, nil
	}
	return decodeFullYAML(src, o)
}

// decodeFullYAML decodes any YAML with goccy/go-yaml.
func decodeFullYAML(src []byte, o Origin) (*Node, error) {
	file, err := yamlparser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlError(err, o)
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
		return nil, diag.Errorf(n.Pos, "front matter must be a set of key: value fields, not %s", n.Describe())
	}
	return n, nil
}

// yamlError places a YAML syntax error at its token.
func yamlError(err error, o Origin) error {
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
	if depth > maxDepth {
		return nil, diag.Errorf(pos, "values nested more than %d levels deep", maxDepth)
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
	d := &jsonDecoder{src: src, dec: json.NewDecoder(bytes.NewReader(src)), o: o}
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
}

// posAt returns the position of the first non-space byte at or after offset.
func (d *jsonDecoder) posAt(offset int64) diag.Pos {
	i := int(offset)
	for i < len(d.src) && (d.src[i] == ' ' || d.src[i] == '\t' || d.src[i] == '\n' || d.src[i] == '\r' || d.src[i] == ',' || d.src[i] == ':') {
		i++
	}
	p := diag.PosOf("", d.src, i)
	return d.o.pos(p.Line, p.Col)
}

func (d *jsonDecoder) token() (json.Token, diag.Pos, error) {
	pos := d.posAt(d.dec.InputOffset())
	tok, err := d.dec.Token()
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			pos = d.posAt(syn.Offset - 1)
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
	if depth > maxDepth {
		return nil, diag.Errorf(pos, "values nested more than %d levels deep", maxDepth)
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
// per key, so keys are located by a scan of the source (tomlKeyPositions).
func DecodeTOML(src []byte, o Origin) (*Node, error) {
	var data map[string]any
	md, err := toml.Decode(string(src), &data)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.Usage != "" {
				msg += " (" + strings.TrimSpace(strings.SplitN(pe.Usage, "\n", 2)[0]) + ")"
			}
			return nil, diag.Errorf(o.pos(pe.Position.Line, pe.Position.Col), "invalid TOML: %s", msg)
		}
		return nil, diag.Errorf(o.pos(1, 1), "invalid TOML: %v", err)
	}
	keys := tomlKeyPositions(src)
	order := map[string]int{}
	for i, k := range md.Keys() {
		order[k.String()] = i
	}
	return fromTOML(data, "", keys, order, o, o.pos(1, 1), 0)
}

func fromTOML(v any, path string, keys map[string]keyPos, order map[string]int, o Origin, pos diag.Pos, depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, diag.Errorf(pos, "values nested more than %d levels deep", maxDepth)
	}
	n := &Node{Pos: pos}
	switch t := v.(type) {
	case string:
		n.Kind, n.Text = String, t
	case bool:
		n.Kind, n.Text = Bool, strconv.FormatBool(t)
	case int64:
		n.Kind, n.Text = Int, strconv.FormatInt(t, 10)
	case float64:
		n.Kind, n.Text = Float, strconv.FormatFloat(t, 'g', -1, 64)
	case time.Time:
		n.Kind = Time
		// The decoder marks zone-less values with these location names.
		switch t.Location().String() {
		case "date-local":
			n.Text = t.Format("2006-01-02")
		case "datetime-local":
			n.Text = t.Format("2006-01-02 15:04:05")
		case "time-local":
			n.Text = t.Format("15:04:05")
		default:
			n.Text = t.Format(time.RFC3339Nano)
		}
	case []any:
		n.Kind = List
		for _, item := range t {
			c, err := fromTOML(item, path, keys, order, o, pos, depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, c)
		}
	case []map[string]any: // an array of tables: a list of maps, each placed at its [[header]]
		n.Kind = List
		for i, item := range t {
			itemPath := fmt.Sprintf("%s[%d]", path, i)
			itemPos := pos
			if kp, ok := keys[itemPath]; ok {
				itemPos = o.pos(kp.key.Line, kp.key.Col)
			}
			c, err := fromTOML(item, itemPath, keys, order, o, itemPos, depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, c)
		}
	case map[string]any:
		n.Kind = Map
		names := make([]string, 0, len(t))
		for k := range t {
			names = append(names, k)
		}
		full := func(k string) string { return strings.TrimPrefix(path+"."+quoteTOMLKey(k), ".") }
		// MetaData.Keys names keys of arrays of tables without their index.
		ordered := func(k string) string { return arrayIndex.ReplaceAllString(full(k), "") }
		sort.Slice(names, func(i, j int) bool {
			oi, iok := order[ordered(names[i])]
			oj, jok := order[ordered(names[j])]
			if iok && jok && oi != oj {
				return oi < oj
			}
			return names[i] < names[j]
		})
		for _, k := range names {
			kp, ok := keys[full(k)]
			if !ok {
				kp = keyPos{key: pos, value: pos}
			}
			c, err := fromTOML(t[k], full(k), keys, order, o, o.pos(kp.value.Line, kp.value.Col), depth+1)
			if err != nil {
				return nil, err
			}
			c.KeyPos = o.pos(kp.key.Line, kp.key.Col)
			n.Keys = append(n.Keys, k)
			n.Values = append(n.Values, c)
		}
	default:
		return nil, diag.Errorf(pos, "unsupported TOML value")
	}
	return n, nil
}

// arrayIndex matches the index of a table in an array of tables within a
// key path ("taxonomies[1].key").
var arrayIndex = regexp.MustCompile(`\[\d+\]`)

// quoteTOMLKey spells a key the way toml.Key.String does, so that paths
// built here match MetaData.Keys.
func quoteTOMLKey(k string) string {
	return toml.Key{k}.String()
}

type keyPos struct{ key, value diag.Pos }

// tomlKeyPositions finds where each key is written, by dotted path, with
// positions relative to src. It understands table headers, dotted and
// quoted keys and one-line inline tables, which covers front matter and
// site.toml; a key it cannot place is reported at its table's position.
func tomlKeyPositions(src []byte) map[string]keyPos {
	out := map[string]keyPos{}
	table := ""
	// tables counts the tables of each array of tables met so far, by
	// path: keys of the second [[taxonomies]] are "taxonomies[1].key".
	tables := map[string]int{}
	lines := strings.Split(string(src), "\n")
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		if trimmed[0] == '[' {
			header := strings.Trim(strings.SplitN(trimmed, "]", 2)[0], "[ ")
			table = tablePath(header, strings.HasPrefix(trimmed, "[["), tables)
			if _, ok := out[table]; !ok {
				p := diag.Pos{Line: i + 1, Col: indent + 1}
				out[table] = keyPos{key: p, value: p}
			}
			continue
		}
		eq := strings.IndexByte(trimmed, '=')
		if eq <= 0 {
			continue
		}
		path := strings.TrimPrefix(table+"."+normalizeTOMLPath(trimmed[:eq]), ".")
		valueCol := indent + eq + 2 + len(trimmed[eq+1:]) - len(strings.TrimLeft(trimmed[eq+1:], " \t"))
		kp := keyPos{
			key:   diag.Pos{Line: i + 1, Col: runeCol(line, indent)},
			value: diag.Pos{Line: i + 1, Col: runeCol(line, valueCol-1)},
		}
		if _, ok := out[path]; !ok {
			out[path] = kp
		}
		// Keys of a one-line inline table point at their own text.
		rest := strings.TrimSpace(trimmed[eq+1:])
		if strings.HasPrefix(rest, "{") {
			for _, part := range strings.Split(strings.Trim(rest, "{} "), ",") {
				k, _, ok := strings.Cut(part, "=")
				if !ok {
					continue
				}
				name := strings.TrimSpace(k)
				col := strings.Index(line, name+" ")
				if col < 0 {
					col = strings.Index(line, name)
				}
				p := diag.Pos{Line: i + 1, Col: runeCol(line, max(col, 0))}
				out[path+"."+normalizeTOMLPath(name)] = keyPos{key: p, value: p}
			}
		}
	}
	return out
}

// tablePath is the key path of a table header as written ("a.b"), with
// the index of the current table of every array of tables on the way
// ("a[2].b"); an array-of-tables header starts a new table of its array.
func tablePath(header string, isArray bool, tables map[string]int) string {
	parts := strings.Split(normalizeTOMLPath(header), ".")
	path := ""
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		// A quoted part may hold dots: join it back until its quote closes.
		for part != "" && part[0] == '"' && (len(part) == 1 || !strings.HasSuffix(part, `"`)) && i+1 < len(parts) {
			i++
			part += "." + parts[i]
		}
		path = strings.TrimPrefix(path+"."+part, ".")
		if isArray && i == len(parts)-1 {
			tables[path]++
		}
		if n := tables[path]; n > 0 {
			path += fmt.Sprintf("[%d]", n-1)
		}
	}
	return path
}

// runeCol converts a byte offset in line to a 1-based character column.
func runeCol(line string, offset int) int {
	if offset > len(line) {
		offset = len(line)
	}
	return len([]rune(line[:offset])) + 1
}

// normalizeTOMLPath rewrites a written key path (`a . "b"`) the way
// toml.Key.String spells it.
func normalizeTOMLPath(written string) string {
	var parts toml.Key
	for _, p := range strings.Split(written, ".") {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && (p[0] == '"' || p[0] == '\'') {
			p = p[1 : len(p)-1]
		}
		parts = append(parts, p)
	}
	return parts.String()
}
