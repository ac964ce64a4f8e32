package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/fields"
	"github.com/bantin/bantin/internal/vi"
)

// Taxonomy is one index of the site's articles: a front-matter field whose
// values ("terms") get pages of their own, a place in the navigation, and
// optionally a search filter and an Atom feed per term. The five built-in
// taxonomies exist unless site.toml turns them off; [[taxonomies]] in
// site.toml adds more, or changes a built-in one by its key.
type Taxonomy struct {
	// Key names the taxonomy: in [[taxonomies]], in navigation entries, as
	// the search filter and its URL query parameter (?unit=...), and in the
	// window.bantin.search options. Lowercase ASCII ("region", "unit").
	Key string
	// Field is the front-matter key articles write its values in: Key for
	// declared taxonomies, "topics" for the built-in topic, and empty for
	// year, which is derived from the date.
	Field string
	// Name and Plural are the UI labels in the site's language: Name for
	// one term's kind ("Đơn vị: Sở Khoa học"), Plural for the index page
	// and the navigation. For a built-in taxonomy, either is empty unless
	// the site renames it: the theme's translations name it then.
	Name   string
	Plural string
	// Path is the first URL segment of its pages ("khu-vuc").
	Path string
	// Multiple: an article may give a list of values, not just one.
	Multiple bool
	// Facet makes it a search filter with counts.
	Facet bool
	// Feed gives every term an Atom feed.
	Feed bool
	// Required: every article must give a value.
	Required bool
	// Values says how values are written, named in URLs and sorted.
	Values ValueType
	// Builtin marks the five taxonomies bantin knows; their values live in
	// typed article fields, and some stages give them a role of their own
	// (the region on cards and in breadcrumbs, periods and slogans in
	// ongoing campaigns).
	Builtin bool
	// Pos is where site.toml declares it; zero for a built-in taxonomy
	// that site.toml does not mention.
	Pos diag.Pos
}

// ValueType is how a taxonomy's values are written, named in URLs and
// sorted.
type ValueType int

const (
	// TextValues are free text: slugged for URLs ("Hậu Giang" ->
	// hau-giang), sorted in Vietnamese alphabetical order.
	TextValues ValueType = iota
	// PeriodValues are campaign periods ("2024", "2022-2023", or a map
	// with start and end), sorted chronologically.
	PeriodValues
	// YearValues are the year of the article's date, never written.
	YearValues
	// PlaceValues are place names, resolved through the gazetteer (the
	// built-in map of Vietnam and the site's data/regions.toml) at the
	// article's date: every spelling of a place lands on one term named
	// and slugged by the place ("TP Cần Thơ" -> Cần Thơ, can-tho), and a
	// place's term lists the articles of every place inside it. A name
	// the gazetteer does not know is a text value, with a warning.
	PlaceValues
)

// valueTypes are the value types site.toml may give a taxonomy, by name.
var valueTypes = map[string]ValueType{"text": TextValues, "place": PlaceValues}

// The keys of the built-in taxonomies.
const (
	Region = "region"
	Topic  = "topic"
	Slogan = "slogan"
	Period = "period"
	Year   = "year"
)

// Builtins returns the built-in taxonomies, in navigation order, as a site
// that declares no [[taxonomies]] has them.
func Builtins() []Taxonomy {
	return []Taxonomy{
		{Key: Region, Field: "region", Path: "khu-vuc", Facet: true, Feed: true, Required: true, Values: PlaceValues, Builtin: true},
		{Key: Topic, Field: "topics", Path: "chu-de", Multiple: true, Facet: true, Feed: true, Builtin: true},
		{Key: Slogan, Field: "slogan", Path: "khau-hieu", Feed: true, Builtin: true},
		{Key: Period, Field: "period", Path: "dot-thi-dua", Facet: true, Feed: true, Values: PeriodValues, Builtin: true},
		{Key: Year, Path: "nam", Facet: true, Values: YearValues, Builtin: true},
	}
}

// Taxonomy returns the site's taxonomy of key, or nil when it has none
// (an unknown key, or a taxonomy site.toml turns off).
func (s *Site) Taxonomy(key string) *Taxonomy {
	for i := range s.Taxonomies {
		if s.Taxonomies[i].Key == key {
			return &s.Taxonomies[i]
		}
	}
	return nil
}

// ArticleFields are the front-matter keys of articles besides the
// taxonomies' fields: a taxonomy cannot be keyed by one of them.
var ArticleFields = []string{"title", "date", "author", "source", "summary", "image", "draft", "slug"}

// searchOptions are the names window.bantin.search and the search page's
// query string use besides taxonomy keys.
var searchOptions = []string{"q", "limit", "offset", "facets"}

var (
	taxonomyKeys = fields.Schema{
		Keys: []string{"key", "name", "name_en", "plural", "plural_en", "path", "multiple", "facet", "feed", "required", "enabled", "values"},
		Aliases: map[string]string{
			"title": "name", "label": "name", "slug": "path", "url": "path", "list": "multiple",
			"feeds": "feed", "rss": "feed", "filter": "facet", "search": "facet", "type": "values",
		},
	}
	taxonomyKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
)

// pathSetting is where [paths] set a built-in taxonomy's path.
type pathSetting struct {
	name string // "paths.regions"
	pos  diag.Pos
}

// parseTaxonomies reads [[taxonomies]] over the built-in taxonomies, whose
// paths [paths] may have set already (fromPaths, by key).
// It returns where each declaration sets a path, by key.
func parseTaxonomies(r *fields.Reader, cfg *Site, fromPaths map[string]pathSetting, errs *diag.List) map[string]diag.Pos {
	pathPos := map[string]diag.Pos{}
	n := r.Map.Get("taxonomies")
	if n == nil || n.Kind == fields.Null {
		return pathPos
	}
	if n.Kind != fields.List {
		errs.Addf(n.Pos, "taxonomies must be a list of tables, each written [[taxonomies]] with key, name and path")
		return pathPos
	}
	declared := map[string]diag.Pos{}
	var added []Taxonomy
	off := map[string]bool{}
	for _, item := range n.Items {
		if item.Kind != fields.Map {
			errs.Addf(item.Pos, "each taxonomy must be a table with key, name and path, not %s; write [[taxonomies]] and its fields on the lines below", item.Describe())
			continue
		}
		taxonomyKeys.CheckKeys(item, "[[taxonomies]]", errs)
		d := &fields.Reader{Map: item, Errs: errs, Where: item.Pos}
		key, keyPos, ok := d.String("key", true)
		if !ok {
			continue
		}
		if first, dup := declared[key]; dup {
			errs.Addf(keyPos, "taxonomy %q is declared twice (first at %s); keep one [[taxonomies]] for it", key, first)
			continue
		}
		declared[key] = keyPos
		t := cfg.Taxonomy(key)
		switch {
		case t != nil:
			// A built-in one, changed.
		case slices.Contains(ArticleFields, key):
			errs.Addf(keyPos, "key %q is an article field bantin already knows; choose another key for the taxonomy, such as \"unit\"", key)
			continue
		case key == "topics":
			errs.Addf(keyPos, "\"topics\" is the front-matter field of the built-in taxonomy \"topic\"; write key = \"topic\" to change that one, or choose another key")
			continue
		case slices.Contains(searchOptions, key):
			errs.Addf(keyPos, "key %q is a search parameter (?%s=); choose another key for the taxonomy", key, key)
			continue
		case !taxonomyKey.MatchString(key):
			errs.Addf(keyPos, "key %q must be lowercase ASCII letters, digits and underscores, starting with a letter, like \"unit\" or \"linh_vuc\"", key)
			continue
		default:
			added = append(added, Taxonomy{Key: key, Field: key, Path: strings.ReplaceAll(key, "_", "-")})
			t = &added[len(added)-1]
		}
		t.Pos = item.Pos
		if pos, ok := declareTaxonomy(d, t, cfg.Language, fromPaths, errs); ok {
			pathPos[key] = pos
		}
		if !d.Bool("enabled", true) {
			off[key] = true
		}
	}
	all := append(cfg.Taxonomies, added...)
	cfg.Taxonomies = nil
	for _, t := range all {
		if off[t.Key] {
			cfg.TurnedOff = append(cfg.TurnedOff, t)
		} else {
			cfg.Taxonomies = append(cfg.Taxonomies, t)
		}
	}
	return pathPos
}

// declareTaxonomy reads a declaration's settings into t, and returns where
// it sets the path, if it does.
func declareTaxonomy(d *fields.Reader, t *Taxonomy, lang vi.Language, fromPaths map[string]pathSetting, errs *diag.List) (pathPos diag.Pos, setsPath bool) {
	text := func(key string) string {
		v, _, _ := d.String(key, false)
		return vi.NFC(strings.TrimSpace(v))
	}
	name, nameEn := text("name"), text("name_en")
	plural, pluralEn := text("plural"), text("plural_en")
	if !t.Builtin && name == "" && nameEn == "" {
		errs.Addf(d.Where, "taxonomy %q needs a name to show in the site, such as name = \"Đơn vị\"", t.Key)
	}
	if lang == vi.English && nameEn != "" {
		name, plural = nameEn, pluralEn
	} else if lang == vi.English && pluralEn != "" {
		plural = pluralEn
	}
	if name == "" && nameEn != "" {
		name = nameEn
	}
	if name != "" {
		t.Name, t.Plural = name, cmp(plural, name)
	} else if plural != "" {
		t.Plural = plural // a built-in one's index renamed, its terms not
	}

	if v, pos, ok := d.String("path", false); ok {
		v = strings.Trim(strings.TrimSpace(v), "/")
		switch {
		case strings.Contains(v, "/"):
			errs.Addf(pos, "path %q must be one URL segment, without \"/\", like \"don-vi\"", v)
		case !segment.MatchString(v):
			errs.Addf(pos, "path %q must be one URL segment of lowercase ASCII letters, digits and hyphens, like \"don-vi\"", v)
		default:
			if set, ok := fromPaths[t.Key]; ok {
				errs.Addf(pos, "the path of %q is set twice: here and by %s at %s; keep one", t.Key, set.name, set.pos)
			}
			t.Path, pathPos, setsPath = v, pos, true
		}
	}
	if n := d.Map.Get("multiple"); n != nil && t.Builtin {
		if m := d.Bool("multiple", t.Multiple); m != t.Multiple {
			errs.Addf(n.Pos, "multiple cannot be changed for the built-in taxonomy %q", t.Key)
		}
	} else {
		t.Multiple = d.Bool("multiple", t.Multiple)
	}
	if v, pos, ok := d.String("values", false); ok {
		vt, known := valueTypes[strings.TrimSpace(v)]
		switch {
		case !known:
			errs.Addf(pos, "values must be \"text\" or \"place\" (names of places, resolved through the gazetteer), not %q", v)
		case t.Builtin && t.Key != Region && vt != t.Values:
			errs.Addf(pos, "values cannot be changed for the built-in taxonomy %q", t.Key)
		default:
			t.Values = vt
		}
	}
	t.Facet = d.Bool("facet", t.Facet)
	t.Feed = d.Bool("feed", t.Feed)
	t.Required = d.Bool("required", t.Required)
	return pathPos, setsPath
}

func cmp(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// checkPaths reports two indexes or pages given the same first URL segment.
// pathPos holds where [[taxonomies]] set a path, by key; inPaths is the
// [paths] table, if site.toml has one.
func checkPaths(cfg *Site, pathPos map[string]diag.Pos, inPaths *fields.Reader, errs *diag.List) {
	type owner struct {
		name     string   // "paths.regions", or `taxonomy "unit"`
		declared diag.Pos // where [[taxonomies]] gives the path; zero for [paths]
	}
	inTable := map[string]string{Region: "regions", Topic: "topics", Slogan: "slogans", Period: "periods", Year: "years"}
	var owners []owner
	var values []string
	add := func(o owner, v string) { owners, values = append(owners, o), append(values, v) }
	add(owner{name: "paths.articles"}, cfg.Paths.Articles)
	for _, t := range cfg.Taxonomies {
		switch pos, declared := pathPos[t.Key]; {
		case declared:
			add(owner{fmt.Sprintf("taxonomy %q", t.Key), pos}, t.Path)
		case t.Builtin:
			add(owner{name: "paths." + inTable[t.Key]}, t.Path)
		default: // a path derived from the key
			add(owner{fmt.Sprintf("taxonomy %q", t.Key), t.Pos}, t.Path)
		}
	}
	add(owner{name: "paths.page"}, cfg.Paths.Page)
	add(owner{name: "paths.search"}, cfg.Paths.Search)
	seen := map[string]int{}
	for i, v := range values {
		first, dup := seen[v]
		if !dup {
			seen[v] = i
			continue
		}
		a, b := owners[first], owners[i]
		switch {
		case b.declared.File != "":
			errs.Addf(b.declared, "%s has path %q, which %s also uses; give each its own path", b.name, v, a.name)
		case a.declared.File != "":
			errs.Addf(a.declared, "%s has path %q, which %s also uses; give each its own path", a.name, v, b.name)
		case inPaths != nil:
			errs.Addf(inPaths.Where, "%s and %s are both %q; give each index its own path", a.name, b.name, v)
		}
	}
}
