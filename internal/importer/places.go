package importer

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/gazetteer"
)

// place is a place an article can be filed under.
type place struct {
	id   string // stable id, for containment
	name string // canonical name, the region field's value
	// field is what the region field says: the name, or where the name
	// alone is ambiguous on the article's date, a spelling that is not
	// ("thị xã Long Mỹ").
	field string
	// depth is 1 for a province, 2 for a district or city in it, and so
	// on: deeper is more specific.
	depth int
}

// mention is a place named in a text.
type mention struct {
	place      place
	start, end int // byte offsets in the text
	// others are the other places the name can mean on the date, when
	// the text alone does not tell.
	others []place
}

// placeFinder finds and names places; the gazetteer provides it.
type placeFinder interface {
	// find lists the places named in text, in order; a name several
	// places share is read as the one inside near (a place id), if any.
	find(text string, at time.Time, near *place) []mention
	// resolve names a place given by name (a source tag's province).
	resolve(name string, at time.Time) (place, bool)
	// within reports whether a lies inside b or is b.
	within(a, b place, at time.Time) bool
}

//go:embed tags.toml
var defaultTagsTOML string

// sourceTags maps source-tag letters, upper-cased, to a place name.
type sourceTags map[string]string

// loadTags reads the built-in tag table, then extra (a site's own,
// which wins), named file in errors.
func loadTags(extra []byte, file string) (sourceTags, error) {
	tags := sourceTags{}
	for _, src := range []struct {
		text string
		file string
	}{{defaultTagsTOML, "tags.toml"}, {string(extra), file}} {
		if src.text == "" {
			continue
		}
		var doc struct {
			Tags map[string]string `toml:"tags"`
		}
		md, err := toml.Decode(src.text, &doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.file, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			return nil, fmt.Errorf("%s: unknown key %q; write tags under [tags] as HG = \"Hậu Giang\"", src.file, und[0].String())
		}
		for k, v := range doc.Tags {
			tags[strings.ToUpper(k)] = v
		}
	}
	return tags, nil
}

// DeclaredFields lists the front-matter fields of the taxonomies a site
// declares beyond the built-in ones ("unit"), which the importer fills
// when it finds them.
func DeclaredFields(cfg *config.Site) []string {
	var out []string
	for _, t := range cfg.Taxonomies {
		if !t.Builtin {
			out = append(out, t.Field)
		}
	}
	return out
}

// gazetteerPlaces finds places with the site's gazetteer.
type gazetteerPlaces struct {
	g *gazetteer.Gazetteer
}

func (gp gazetteerPlaces) place(p *gazetteer.Place, at time.Time) place {
	field := p.Name
	// The region field is resolved again by name: write one that names
	// this place and no other on the article's date.
	for _, name := range []string{p.Name, p.FullName(), p.ID} {
		if q, err := gp.g.Resolve(name, at); err == nil && q == p {
			field = name
			break
		}
	}
	return place{id: p.ID, name: p.Name, field: field, depth: p.Kind.Level()}
}

func (gp gazetteerPlaces) find(text string, at time.Time, near *place) []mention {
	var nearIDs []string
	if near != nil {
		nearIDs = []string{near.id}
	}
	var out []mention
	for _, m := range gp.g.Find(text) {
		p, err := gp.g.ResolveNear(m.Text, at, nearIDs...)
		var others []place
		var amb *gazetteer.AmbiguousError
		if errors.As(err, &amb) && len(amb.Candidates) > 0 {
			p, err = amb.Candidates[0], nil // the first, as the gazetteer orders them
			for _, c := range amb.Candidates[1:] {
				others = append(others, gp.place(c, at))
			}
		}
		if err != nil || p == nil {
			continue
		}
		out = append(out, mention{place: gp.place(p, at), start: m.Start, end: m.End, others: others})
	}
	return out
}

func (gp gazetteerPlaces) resolve(name string, at time.Time) (place, bool) {
	p, err := gp.g.Resolve(name, at)
	if err != nil {
		return place{}, false
	}
	return gp.place(p, at), true
}

func (gp gazetteerPlaces) within(a, b place, at time.Time) bool {
	if a.id == b.id {
		return true
	}
	pa := gp.g.Place(a.id)
	if pa == nil {
		return false
	}
	for _, st := range gp.g.Ancestors(pa, at) {
		if st.Place.ID == b.id {
			return true
		}
	}
	return false
}
