package importer

import (
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// place is a place an article can be filed under.
type place struct {
	id   string // stable id, for containment
	name string // canonical name, the region field's value
	// depth is 1 for a province, 2 for a district or city in it, and so
	// on: deeper is more specific.
	depth int
}

// mention is a place named in a text.
type mention struct {
	place      place
	start, end int // byte offsets in the text
}

// placeFinder finds and names places; the gazetteer provides it.
type placeFinder interface {
	// find lists the places named in text, in order.
	find(text string, at time.Time) []mention
	// resolve names a place given by name (a source tag's province).
	resolve(name string, at time.Time) (place, bool)
	// within reports whether a lies inside b or is b.
	within(a, b place) bool
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

// DeclaredFields lists the front-matter fields a site declares in its
// site.toml [[taxonomies]] tables beyond the built-in ones, read leniently
// (by "key", "field" or "name") so that import fills them whatever shape
// the taxonomy settings take.
func DeclaredFields(siteTOML []byte) []string {
	var doc struct {
		Taxonomies []map[string]any `toml:"taxonomies"`
	}
	if _, err := toml.Decode(string(siteTOML), &doc); err != nil {
		return nil
	}
	var out []string
	for _, t := range doc.Taxonomies {
		for _, k := range []string{"key", "field", "name"} {
			if v, ok := t[k].(string); ok && v != "" {
				out = append(out, v)
				break
			}
		}
	}
	return out
}
