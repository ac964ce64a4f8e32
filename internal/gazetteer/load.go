package gazetteer

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/vi"
)

// maxDataBytes bounds a regions file; the built-in one is about 25 kB.
const maxDataBytes = 4 << 20

// spec is one entry as a data file declares it, with where each part is
// written, so that problems found after merging point at the right file.
type spec struct {
	id    string
	pos   diag.Pos        // where the entry is declared
	set   map[string]bool // the keys it gives
	bad   map[string]bool // the keys given with a value of the wrong type
	place Place           // the values of those keys
	// valuePos holds the position of each key's value; elemPos that of
	// each element of successors and aliases.
	valuePos map[string]diag.Pos
	elemPos  map[string][]diag.Pos
}

func (s *spec) at(key string) diag.Pos {
	if p, ok := s.valuePos[key]; ok {
		return p
	}
	return s.pos
}

func (s *spec) elemAt(key string, i int) diag.Pos {
	if ps := s.elemPos[key]; i < len(ps) {
		return ps[i]
	}
	return s.at(key)
}

// dayFormat is how dates are written and compared: as strings, in order.
const dayFormat = "2006-01-02"

var (
	idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	entryKeys = []string{"name", "kind", "parent", "valid_from", "valid_to", "successors", "aliases", "needs_kind"}
)

// parseSpecs decodes a regions file into its entries, in file order.
func parseSpecs(src []byte, file string) ([]*spec, error) {
	li := newLineIndex(file, src)
	if len(src) > maxDataBytes {
		return nil, diag.Errorf(diag.Pos{File: file}, "is %d bytes, more than the %d a regions file may have", len(src), maxDataBytes)
	}
	text := strings.TrimPrefix(string(src), "\uFEFF")
	offset := len(src) - len(text)
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if strings.Contains(msg, "already been defined") {
				msg += " (each id is declared once per file; merge the two entries)"
			}
			pos := li.pos(offset + pe.Position.Start)
			if pe.Position.Start == 0 && pe.Position.Line > 1 {
				pos = diag.Pos{File: file, Line: pe.Position.Line, Col: pe.Position.Col}
			}
			return nil, diag.Errorf(pos, "invalid TOML: %s", msg)
		}
		return nil, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "invalid TOML: %v", err)
	}
	ps := scanPositions(li)
	keyAt := func(path ...string) diag.Pos {
		if p, ok := ps.keys[joinPath(path...)]; ok {
			return p
		}
		return diag.Pos{File: file, Line: 1, Col: 1}
	}
	valueAt := func(path ...string) diag.Pos {
		if p, ok := ps.values[joinPath(path...)]; ok {
			return p
		}
		return keyAt(path...)
	}

	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := keyAt(ids[i]), keyAt(ids[j])
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ids[i] < ids[j]
	})

	var errs diag.List
	var specs []*spec
	for _, id := range ids {
		pos := keyAt(id)
		table, ok := raw[id].(map[string]any)
		if !ok {
			errs.Addf(pos, "%q is not an entry; write [%s] followed by its keys, or %s = { name = \"...\", kind = \"...\" }", id, id, id)
			continue
		}
		if !idPattern.MatchString(id) {
			errs.Addf(pos, "id %q must be lowercase ASCII letters, digits and single hyphens, like \"nga-bay\"; it becomes the region's URL", id)
			continue
		}
		s := &spec{id: id, pos: pos, set: map[string]bool{}, bad: map[string]bool{}, valuePos: map[string]diag.Pos{}, elemPos: map[string][]diag.Pos{}}
		s.place.ID = id
		keys := make([]string, 0, len(table))
		for k := range table {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			v := table[key]
			at := valueAt(id, key)
			s.valuePos[key] = at
			if !slices.Contains(entryKeys, key) {
				msg := fmt.Sprintf("unknown key %q in %q", key, id)
				if near := closest(key, entryKeys); near != "" {
					msg += fmt.Sprintf("; did you mean %q?", near)
				} else {
					msg += "; the keys are " + strings.Join(entryKeys, ", ")
				}
				errs.Add(keyAt(id, key), errors.New(msg))
				continue
			}
			s.set[key] = true
			switch key {
			case "name", "kind", "parent":
				str, ok := v.(string)
				if !ok {
					errs.Addf(at, "%s of %q must be a string", key, id)
					s.bad[key] = true
					continue
				}
				str = vi.NFC(strings.TrimSpace(str))
				switch key {
				case "name":
					s.place.Name = str
				case "kind":
					s.place.Kind = Kind(vi.LowerWord(str))
				case "parent":
					s.place.Parent = str
				}
			case "valid_from", "valid_to":
				day, err := parseDay(v)
				if err != nil {
					errs.Addf(at, "%s of %q %v", key, id, err)
					s.bad[key] = true
					continue
				}
				if key == "valid_from" {
					s.place.ValidFrom = day
				} else {
					s.place.ValidTo = day
				}
			case "successors", "aliases":
				list, ok := v.([]any)
				if !ok {
					errs.Addf(at, "%s of %q must be a list of strings, like [\"%s\"]", key, id, map[string]string{"successors": "can-tho", "aliases": "Tây Đô"}[key])
					continue
				}
				var strs []string
				for i, item := range list {
					elem := valueAt(id, key, fmt.Sprintf("#%d", i))
					s.elemPos[key] = append(s.elemPos[key], elem)
					str, ok := item.(string)
					if !ok {
						errs.Addf(elem, "%s of %q must be strings", key, id)
						continue
					}
					strs = append(strs, vi.NFC(strings.TrimSpace(str)))
				}
				if key == "successors" {
					s.place.Successors = strs
				} else {
					s.place.Aliases = strs
				}
			case "needs_kind":
				b, ok := v.(bool)
				if !ok {
					errs.Addf(at, "needs_kind of %q must be true or false", id)
					continue
				}
				s.place.NeedsKind = b
			}
		}
		specs = append(specs, s)
	}
	return specs, errs.Err()
}

// parseDay accepts a TOML local date (2025-07-01) or a string holding one.
func parseDay(v any) (string, error) {
	const want = "must be a date like 2025-07-01"
	switch t := v.(type) {
	case time.Time:
		if t.Location().String() != "date-local" {
			return "", errors.New(want + ", without a time")
		}
		return t.Format(dayFormat), nil
	case string:
		d, err := time.Parse(dayFormat, strings.TrimSpace(t))
		if err != nil {
			return "", fmt.Errorf("%s, not %q", want, t)
		}
		return d.Format(dayFormat), nil
	}
	return "", errors.New(want)
}

// merge overlays the entries of a later file on earlier ones: a known id
// takes the keys the later entry gives (aliases add to the earlier ones),
// a new id is a new place. Earlier specs are not modified.
func merge(base, over []*spec) []*spec {
	out := make([]*spec, len(base), len(base)+len(over))
	copy(out, base)
	index := make(map[string]int, len(base))
	for i, s := range base {
		index[s.id] = i
	}
	for _, o := range over {
		i, ok := index[o.id]
		if !ok {
			index[o.id] = len(out)
			out = append(out, o)
			continue
		}
		m := *out[i]
		m.pos = o.pos
		m.set = union(m.set, o.set)
		m.bad = union(m.bad, o.bad)
		m.valuePos = union(m.valuePos, o.valuePos)
		m.elemPos = union(m.elemPos, nil)
		for key := range o.set {
			switch key {
			case "name":
				m.place.Name = o.place.Name
			case "kind":
				m.place.Kind = o.place.Kind
			case "parent":
				m.place.Parent = o.place.Parent
			case "valid_from":
				m.place.ValidFrom = o.place.ValidFrom
			case "valid_to":
				m.place.ValidTo = o.place.ValidTo
			case "successors":
				m.place.Successors = o.place.Successors
				m.elemPos[key] = o.elemPos[key]
			case "aliases":
				m.place.Aliases = append(slices.Clip(m.place.Aliases), o.place.Aliases...)
				m.elemPos[key] = append(slices.Clip(m.elemPos[key]), o.elemPos[key]...)
			case "needs_kind":
				m.place.NeedsKind = o.place.NeedsKind
			}
		}
		out[i] = &m
	}
	return out
}

// union returns a new map with the entries of a, then those of b.
func union[V any](a, b map[string]V) map[string]V {
	out := make(map[string]V, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// validate checks the merged entries and returns their places.
func validate(specs []*spec) ([]*Place, error) {
	var errs diag.List
	byID := make(map[string]*spec, len(specs))
	for _, s := range specs {
		byID[s.id] = s
	}
	ids := make([]string, 0, len(specs))
	for _, s := range specs {
		ids = append(ids, s.id)
	}
	places := make([]*Place, 0, len(specs))
	for _, s := range specs {
		p := s.place // a copy: specs stay as declared
		p.Pos = s.pos
		p.Successors = slices.Clone(p.Successors)
		p.Aliases = slices.Clone(p.Aliases)
		// A key given with a wrong type was reported already.
		switch {
		case !s.set["name"]:
			errs.Addf(s.at("name"), "%q needs a name, like name = \"Ngã Bảy\"", s.id)
		case !s.bad["name"] && len(wordsOf(p.Name)) == 0:
			errs.Addf(s.at("name"), "name of %q has no letters or digits, or more than %d words", s.id, maxNameWords)
		}
		switch {
		case !s.set["kind"]:
			errs.Addf(s.at("kind"), "%q needs a kind: %s", s.id, kindList())
		case p.Kind.Level() == 0 && !s.bad["kind"]:
			errs.Addf(s.at("kind"), "unknown kind %q; use one of %s", p.Kind, kindList())
		}
		if p.ValidFrom != "" && p.ValidTo != "" && p.ValidTo < p.ValidFrom {
			errs.Addf(s.at("valid_to"), "valid_to %s of %q is before its valid_from %s", p.ValidTo, s.id, p.ValidFrom)
		}
		if p.Parent != "" {
			parent, ok := byID[p.Parent]
			switch {
			case p.Parent == s.id:
				errs.Addf(s.at("parent"), "%q cannot be its own parent", s.id)
			case !ok:
				errs.Add(s.at("parent"), unknownID("parent", p.Parent, ids))
			case p.Kind.Level() > 0 && parent.place.Kind.Level() > 0 && p.Kind != Area && parent.place.Kind != Area &&
				parent.place.Kind.Level() >= p.Kind.Level():
				errs.Addf(s.at("parent"), "a %s cannot be inside a %s (%q)", p.Kind, parent.place.Kind, p.Parent)
			}
		}
		if len(p.Successors) > 0 && p.ValidTo == "" {
			errs.Addf(s.at("successors"), "%q has successors but no valid_to; give the last day it existed, like valid_to = 2025-06-30", s.id)
		}
		for i, succ := range p.Successors {
			switch _, ok := byID[succ]; {
			case succ == s.id:
				errs.Addf(s.elemAt("successors", i), "%q cannot succeed itself", s.id)
			case !ok:
				errs.Add(s.elemAt("successors", i), unknownID("successor", succ, ids))
			}
		}
		for i, a := range p.Aliases {
			if len(wordsOf(a)) == 0 {
				errs.Addf(s.elemAt("aliases", i), "alias %q of %q has no letters or digits, or more than %d words", a, s.id, maxNameWords)
			}
		}
		places = append(places, &p)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if err := findCycle(specs, byID); err != nil {
		return nil, err
	}
	return places, nil
}

func unknownID(what, id string, ids []string) error {
	msg := fmt.Sprintf("unknown %s %q", what, id)
	if near := closest(id, ids); near != "" {
		return fmt.Errorf("%s; did you mean %q?", msg, near)
	}
	return fmt.Errorf("%s; give the id of an entry here or in the built-in data", msg)
}

func kindList() string {
	names := make([]string, len(allKinds))
	for i, k := range allKinds {
		names[i] = fmt.Sprintf("%q", k)
	}
	return strings.Join(names, ", ")
}

// findCycle reports a place that lies inside itself through parents and
// successors. The error points at the cycle's last-declared entry, which
// is the site's own when a site file closes the cycle.
func findCycle(specs []*spec, byID map[string]*spec) error {
	order := make(map[string]int, len(specs))
	for i, s := range specs {
		order[s.id] = i
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[string]int, len(specs))
	var path []string
	var found []string
	var visit func(id string) bool
	visit = func(id string) bool {
		state[id] = onPath
		path = append(path, id)
		s := byID[id]
		next := append([]string{}, s.place.Successors...)
		if s.place.Parent != "" {
			next = append([]string{s.place.Parent}, next...)
		}
		for _, n := range next {
			switch state[n] {
			case onPath:
				start := slices.Index(path, n)
				found = append(slices.Clone(path[start:]), n)
				return true
			case unseen:
				if visit(n) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		state[id] = done
		return false
	}
	for _, s := range specs {
		if state[s.id] == unseen && visit(s.id) {
			last := found[0]
			for _, id := range found {
				if order[id] > order[last] {
					last = id
				}
			}
			// Start the cycle at the entry it is reported on.
			at := slices.Index(found, last)
			found = append(slices.Clone(found[at:len(found)-1]), found[:at+1]...)
			ls := byID[last]
			pos := ls.pos
			if ls.set["parent"] && slices.Contains(found, ls.place.Parent) {
				pos = ls.at("parent")
			} else if ls.set["successors"] {
				pos = ls.at("successors")
			}
			return diag.Errorf(pos, "%q lies inside itself: %s; break the chain of parents and successors", last, strings.Join(found, " › "))
		}
	}
	return nil
}
