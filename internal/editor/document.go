package editor

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/bantin/bantin/internal/fields"
	"github.com/bantin/bantin/internal/vi"
)

// Values are front-matter fields as the form shows them: a string, a
// []string for lists, a bool for checkboxes.
type Values map[string]any

// document is an article file taken apart for editing, so that writing it
// back changes only what the form changed: untouched fields keep their
// bytes (quoting, comments, layout), and an unchanged form writes the file
// exactly as it was.
type document struct {
	src []byte // the file as read
	// root is the decoded front matter; nil when it could not be decoded
	// (the editor then offers the raw text).
	root *fields.Node
	// inPlace is set for "---" YAML front matter laid out one key per
	// line at the margin, which is edited key by key; other front matter
	// (TOML, JSON, unusual YAML) is written anew as YAML once changed.
	inPlace  bool
	preamble []byte // comment lines before the first key
	chunks   []chunk
	// lead is the blank lines between the front matter and the body.
	lead []byte
	body string
}

// chunk is the lines of one top-level key.
type chunk struct {
	key  string
	text []byte // the key and its value's lines
	gap  []byte // blank and comment lines after them
}

// errNoFrontMatter is returned for files the editor cannot take apart.
var errNoFrontMatter = errors.New("no front matter the editor can read")

// parseDocument takes an article file apart. The error, when the front
// matter cannot be decoded, is the decoder's, positioned in file.
func parseDocument(file string, src []byte) (*document, error) {
	original := src
	clean := !bytes.HasPrefix(src, []byte("\uFEFF")) && bytes.IndexByte(src, '\r') < 0
	if !clean {
		src = bytes.TrimPrefix(src, []byte("\uFEFF"))
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	// Blank lines may precede the opening delimiter.
	offset := 0
	for offset < len(src) && (src[offset] == '\n' || src[offset] == ' ' || src[offset] == '\t') {
		offset++
	}
	line := 1 + bytes.Count(src[:offset], []byte("\n"))
	rest := src[offset:]
	d := &document{src: original}
	var block, after []byte
	var decode func([]byte, fields.Origin) (*fields.Node, error)
	origin := fields.Origin{File: file, Line: line + 1}
	switch {
	case bytes.HasPrefix(rest, []byte("---\n")) || bytes.HasPrefix(rest, []byte("+++\n")):
		delim := rest[:3]
		block, after = splitAtLine(rest[4:], delim)
		if after == nil {
			return nil, errNoFrontMatter
		}
		decode = fields.DecodeYAML
		if delim[0] == '+' {
			decode = fields.DecodeTOML
		}
		d.inPlace = clean && offset == 0 && delim[0] == '-'
	case bytes.HasPrefix(rest, []byte("{")):
		dec := json.NewDecoder(bytes.NewReader(rest))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errNoFrontMatter
		}
		end := int(dec.InputOffset())
		block, after = rest[:end], rest[end:]
		if nl := bytes.IndexByte(after, '\n'); nl >= 0 && len(bytes.TrimSpace(after[:nl])) == 0 {
			after = after[nl+1:]
		}
		decode, origin.Line = fields.DecodeJSON, line
	default:
		return nil, errNoFrontMatter
	}
	root, err := decode(block, origin)
	if err != nil {
		return nil, err
	}
	d.root = root
	lead := 0
	for lead < len(after) && after[lead] == '\n' {
		lead++
	}
	d.lead, d.body = after[:lead], string(after[lead:])
	if d.inPlace {
		d.inPlace = d.split(block, origin.Line)
	}
	return d, nil
}

// splitAtLine splits src before the first line that is exactly delim, and
// returns what precedes it and what follows that line; after is nil when
// there is no such line.
func splitAtLine(src, delim []byte) (before, after []byte) {
	for off := 0; off <= len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		lineEnd, next := off+end, off+end+1
		if end < 0 {
			lineEnd, next = len(src), len(src)
		}
		if bytes.Equal(src[off:lineEnd], delim) {
			return src[:off], append([]byte{}, src[next:]...)
		}
		if end < 0 {
			break
		}
		off = next
	}
	return nil, nil
}

// split cuts a YAML block into the lines of each top-level key, which it
// can when every key starts a line at the margin.
func (d *document) split(block []byte, firstLine int) bool {
	lines := bytes.SplitAfter(block, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	starts := make([]int, len(d.root.Keys))
	for i, v := range d.root.Values {
		starts[i] = v.KeyPos.Line - firstLine
		if v.KeyPos.Col != 1 || starts[i] < 0 || starts[i] >= len(lines) || (i > 0 && starts[i] <= starts[i-1]) {
			return false
		}
	}
	preamble := len(lines)
	if len(starts) > 0 {
		preamble = starts[0]
	}
	// Only blank lines and comments may come before the first key: anything
	// else (a bare tag, a directive) would swallow a key written after it.
	for _, l := range lines[:preamble] {
		if t := bytes.TrimSpace(l); len(t) != 0 && t[0] != '#' {
			return false
		}
	}
	d.preamble = bytes.Join(lines[:preamble], nil)
	if len(starts) == 0 {
		return true
	}
	for i, key := range d.root.Keys {
		end := len(lines)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		// Trailing blank lines and comments at the margin belong to what
		// follows, and stay when the value is rewritten.
		last := end
		for last > starts[i]+1 {
			t := bytes.TrimSpace(lines[last-1])
			if len(t) != 0 && !(lines[last-1][0] == '#') {
				break
			}
			last--
		}
		d.chunks = append(d.chunks, chunk{key: key, text: bytes.Join(lines[starts[i]:last], nil), gap: bytes.Join(lines[last:end], nil)})
	}
	return true
}

// values returns the form's view of the fields in specs.
func (d *document) values(specs []fieldSpec) Values {
	out := Values{}
	if d.root == nil {
		return out
	}
	for _, f := range specs {
		if n := d.root.Get(f.Key); n != nil {
			out[f.Key] = nodeValue(n, f.Kind)
		}
	}
	return out
}

// nodeValue is a decoded value as the form shows a field of kind.
func nodeValue(n *fields.Node, kind Kind) any {
	switch kind {
	case KindBool:
		return n.Kind == fields.Bool && n.Text == "true"
	case KindList:
		if n.Kind == fields.List {
			out := make([]string, 0, len(n.Items))
			for _, it := range n.Items {
				out = append(out, it.Text)
			}
			return out
		}
		if n.Kind == fields.Null {
			return []string{}
		}
		return []string{n.Text}
	case KindPeriod:
		if n.Kind == fields.Map {
			start, end := n.Get("start"), n.Get("end")
			if start != nil && end != nil {
				return start.Text + "/" + end.Text
			}
		}
	}
	if n.Kind == fields.List {
		var parts []string
		for _, it := range n.Items {
			parts = append(parts, it.Text)
		}
		return strings.Join(parts, ", ")
	}
	if n.Kind == fields.Map {
		return nodeJSON(n)
	}
	return n.Text
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	}
	return false
}

// render writes the document with the fields in set changed (keys absent
// from set keep their value) and body, when not nil, as the new body.
// Untouched fields keep their bytes; an empty optional field is removed;
// new fields go where specs order them.
func (d *document) render(specs []fieldSpec, set Values, body *string) []byte {
	if d.root != nil && !d.changes(specs, set, body) {
		return d.src
	}
	type entry struct {
		key       string
		text, gap string
	}
	var entries []entry
	present := map[string]bool{}
	emitSet := func(f fieldSpec) string { return emitField(f, set[f.Key]) }
	var b strings.Builder
	b.WriteString("---\n")
	switch {
	case d.root == nil:
	case d.inPlace:
		b.Write(d.preamble)
		for _, c := range d.chunks {
			present[c.key] = true
			f, managed := field(specs, c.key)
			v, changed := set[c.key]
			if !managed || !changed || sameValue(v, nodeValue(d.root.Get(c.key), f.Kind)) {
				entries = append(entries, entry{c.key, string(c.text), string(c.gap)})
				continue
			}
			entries = append(entries, entry{c.key, emitSet(f), string(c.gap)})
		}
	default:
		for i, key := range d.root.Keys {
			present[key] = true
			n := d.root.Values[i]
			f, managed := field(specs, key)
			if !managed {
				var s strings.Builder
				yamlNode(&s, key, n, 0)
				entries = append(entries, entry{key, s.String(), ""})
				continue
			}
			v, changed := set[key]
			if !changed || sameValue(v, nodeValue(n, f.Kind)) {
				// Unchanged values are carried over exactly.
				var s strings.Builder
				yamlNode(&s, key, n, 0)
				entries = append(entries, entry{key, s.String(), ""})
				continue
			}
			entries = append(entries, entry{key, emitField(f, v), ""})
		}
	}
	order := func(key string) int {
		for i, f := range specs {
			if f.Key == key {
				return i
			}
		}
		return -1
	}
	for _, f := range specs {
		if _, ok := set[f.Key]; !ok || present[f.Key] {
			continue
		}
		text := emitSet(f)
		if text == "" {
			continue
		}
		at := 0
		for i, e := range entries {
			if order(e.key) < order(f.Key) {
				at = i + 1
			}
		}
		// The comments before the next key stay before it.
		e := entry{f.Key, text, ""}
		if at > 0 {
			e.gap, entries[at-1].gap = entries[at-1].gap, ""
		}
		entries = slices.Insert(entries, at, e)
	}
	for _, e := range entries {
		b.WriteString(e.text)
		b.WriteString(e.gap)
	}
	b.WriteString("---\n")
	lead, text := string(d.lead), d.body
	if d.root == nil {
		lead = "\n"
	}
	if body != nil && *body != text {
		text = strings.TrimLeft(*body, "\n")
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		if lead == "" {
			lead = "\n"
		}
	}
	b.WriteString(lead)
	b.WriteString(text)
	return []byte(b.String())
}

// changes reports whether set or body differ from what the file holds.
func (d *document) changes(specs []fieldSpec, set Values, body *string) bool {
	if body != nil && *body != d.body {
		return true
	}
	for key, v := range set {
		f, ok := field(specs, key)
		if !ok {
			return true
		}
		if n := d.root.Get(key); n != nil {
			if !sameValue(v, nodeValue(n, f.Kind)) {
				return true
			}
		} else if emitField(f, v) != "" {
			return true
		}
	}
	return false
}

// emitField writes one field as YAML lines, or "" to leave an empty
// optional field out. Required fields are written even when empty, so
// that the build's error points at their line.
func emitField(f fieldSpec, v any) string {
	key := f.Key + ":"
	switch f.Kind {
	case KindBool:
		on, _ := v.(bool)
		return key + " " + strconv.FormatBool(on) + "\n"
	case KindList:
		items, _ := v.([]string)
		var clean []string
		for _, it := range items {
			if it = vi.NFC(strings.TrimSpace(it)); it != "" {
				clean = append(clean, it)
			}
		}
		if len(clean) == 0 {
			return ""
		}
		return key + " " + yamlFlowList(clean) + "\n"
	}
	s, _ := v.(string)
	if f.Kind == KindLongText {
		s = vi.NFC(strings.TrimSpace(s))
	} else {
		s = vi.NFC(strings.TrimSpace(strings.Join(strings.Fields(s), " ")))
	}
	if s == "" && !f.Required {
		return ""
	}
	switch f.Kind {
	case KindDate:
		return key + " " + yamlDate(s) + "\n"
	case KindPeriod:
		if start, end, ok := strings.Cut(s, "/"); ok {
			bound := func(x string) string {
				if x = strings.TrimSpace(x); plainMonth.MatchString(x) {
					return x
				}
				return strconv.Quote(x)
			}
			return key + "\n  start: " + bound(start) + "\n  end: " + bound(end) + "\n"
		}
		return key + " " + strconv.Quote(s) + "\n"
	}
	return key + " " + yamlString(s) + "\n"
}
