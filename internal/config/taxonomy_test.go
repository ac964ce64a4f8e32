package config

import (
	"fmt"
	"strings"
	"testing"
)

const head = "title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n"

func keys(ts []Taxonomy) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Key+"="+t.Path)
	}
	return strings.Join(out, " ")
}

func TestNoTaxonomiesMeansTheFiveBuiltins(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte(head))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(cfg.Taxonomies), "region=khu-vuc topic=chu-de slogan=khau-hieu period=dot-thi-dua year=nam"; got != want {
		t.Errorf("taxonomies %s, want %s", got, want)
	}
	if r := cfg.Taxonomy(Region); !r.Required || !r.Facet || !r.Feed || r.Multiple || r.Name != "" {
		t.Errorf("region %+v", *r)
	}
	if y := cfg.Taxonomy(Year); y.Feed || !y.Facet || y.Values != YearValues || y.Field != "" {
		t.Errorf("year %+v", *y)
	}
	if tp := cfg.Taxonomy(Topic); tp.Field != "topics" || !tp.Multiple {
		t.Errorf("topic %+v", *tp)
	}
	if cfg.Taxonomy("unit") != nil || len(cfg.TurnedOff) != 0 {
		t.Errorf("unexpected taxonomies: %+v", cfg.TurnedOff)
	}
}

func TestDeclaredTaxonomiesAddChangeAndTurnOff(t *testing.T) {
	t.Parallel()
	src := head + `
[paths]
topics = "linh-vuc-chinh"

[[taxonomies]]
key = "unit"
name = "Đơn vị"
path = "don-vi"
facet = true
feed = true

[[taxonomies]]
key = "region"
name = "Tỉnh, thành phố"
path = "tinh-thanh"

[[taxonomies]]
key = "slogan"
enabled = false

[[taxonomies]]
key = "linh_vuc"
name = "Lĩnh vực"
multiple = true
required = true
`
	cfg, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(cfg.Taxonomies), "region=tinh-thanh topic=linh-vuc-chinh period=dot-thi-dua year=nam unit=don-vi linh_vuc=linh-vuc"; got != want {
		t.Errorf("taxonomies %s, want %s", got, want)
	}
	if cfg.Paths.Regions != "tinh-thanh" || cfg.Paths.Topics != "linh-vuc-chinh" {
		t.Errorf("paths %+v do not mirror the taxonomies", cfg.Paths)
	}
	u := cfg.Taxonomy("unit")
	if u.Field != "unit" || u.Name != "Đơn vị" || u.Plural != "Đơn vị" || !u.Facet || !u.Feed || u.Multiple || u.Builtin || u.Pos.String() != "site.toml:7:1" {
		t.Errorf("unit %+v", *u)
	}
	if r := cfg.Taxonomy(Region); r.Name != "Tỉnh, thành phố" || !r.Builtin || !r.Required {
		t.Errorf("region %+v", *r)
	}
	if l := cfg.Taxonomy("linh_vuc"); !l.Multiple || !l.Required || l.Facet || l.Feed {
		t.Errorf("linh_vuc %+v", *l)
	}
	if len(cfg.TurnedOff) != 1 || cfg.TurnedOff[0].Key != Slogan || cfg.TurnedOff[0].Pos.String() != "site.toml:19:1" {
		t.Errorf("turned off %+v", cfg.TurnedOff)
	}
}

func TestTaxonomyNamesFollowTheSiteLanguage(t *testing.T) {
	t.Parallel()
	decl := "\n[[taxonomies]]\nkey = \"unit\"\nname = \"Đơn vị\"\nname_en = \"Issuing unit\"\nplural_en = \"Issuing units\"\n"
	for _, tc := range []struct{ lang, name, plural string }{
		{"vi", "Đơn vị", "Đơn vị"},
		{"en", "Issuing unit", "Issuing units"},
	} {
		cfg, err := Parse([]byte(head + fmt.Sprintf("language = %q\n", tc.lang) + decl))
		if err != nil {
			t.Fatal(err)
		}
		if u := cfg.Taxonomy("unit"); u.Name != tc.name || u.Plural != tc.plural {
			t.Errorf("%s: name %q plural %q, want %q %q", tc.lang, u.Name, u.Plural, tc.name, tc.plural)
		}
	}
}

func TestBadTaxonomyDeclarationsNameTheirLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, decl, want string }{
		{"duplicate key", "[[taxonomies]]\nkey = \"unit\"\nname = \"A\"\n[[taxonomies]]\nkey = \"unit\"\nname = \"B\"\n",
			`site.toml:8:7: taxonomy "unit" is declared twice (first at site.toml:5:7); keep one [[taxonomies]] for it`},
		{"duplicate path", "[[taxonomies]]\nkey = \"unit\"\nname = \"A\"\npath = \"chu-de\"\n",
			`site.toml:7:8: taxonomy "unit" has path "chu-de", which paths.topics also uses; give each its own path`},
		{"path with a slash", "[[taxonomies]]\nkey = \"unit\"\nname = \"A\"\npath = \"don/vi\"\n",
			`site.toml:7:8: path "don/vi" must be one URL segment, without "/", like "don-vi"`},
		{"path not ASCII", "[[taxonomies]]\nkey = \"unit\"\nname = \"A\"\npath = \"đơn-vị\"\n",
			`site.toml:7:8: path "đơn-vị" must be one URL segment of lowercase ASCII letters, digits and hyphens, like "don-vi"`},
		{"key of an article field", "[[taxonomies]]\nkey = \"title\"\nname = \"A\"\n",
			`site.toml:5:7: key "title" is an article field bantin already knows; choose another key for the taxonomy, such as "unit"`},
		{"topics", "[[taxonomies]]\nkey = \"topics\"\nname = \"A\"\n",
			`site.toml:5:7: "topics" is the front-matter field of the built-in taxonomy "topic"; write key = "topic" to change that one, or choose another key`},
		{"search parameter", "[[taxonomies]]\nkey = \"q\"\nname = \"A\"\n",
			`site.toml:5:7: key "q" is a search parameter (?q=); choose another key for the taxonomy`},
		{"bad key", "[[taxonomies]]\nkey = \"Đơn vị\"\nname = \"A\"\n",
			`site.toml:5:7: key "Đơn vị" must be lowercase ASCII letters, digits and underscores, starting with a letter, like "unit" or "linh_vuc"`},
		{"unknown field", "[[taxonomies]]\nkey = \"unit\"\nname = \"A\"\nnmae = \"B\"\n",
			`site.toml:7:1: unknown field "nmae" in [[taxonomies]]; did you mean "name"?`},
		{"missing key", "[[taxonomies]]\nname = \"A\"\n",
			`site.toml:4:1: missing required field "key"`},
		{"missing name", "[[taxonomies]]\nkey = \"unit\"\n",
			`site.toml:4:1: taxonomy "unit" needs a name to show in the site, such as name = "Đơn vị"`},
		{"path set twice", "[paths]\nregions = \"tinh\"\n[[taxonomies]]\nkey = \"region\"\npath = \"tinh-thanh\"\n",
			`site.toml:8:8: the path of "region" is set twice: here and by paths.regions at site.toml:5:11; keep one`},
		{"built-in made multiple", "[[taxonomies]]\nkey = \"region\"\nmultiple = true\n",
			`site.toml:6:12: multiple cannot be changed for the built-in taxonomy "region"`},
		{"not a table", "taxonomies = \"unit\"\n",
			`site.toml:4:14: taxonomies must be a list of tables, each written [[taxonomies]] with key, name and path`},
		{"path of a page", "[[taxonomies]]\nkey = \"unit\"\nname = \"A\"\npath = \"trang\"\n",
			`site.toml:7:8: taxonomy "unit" has path "trang", which paths.page also uses; give each its own path`},
		{"derived path", "[[taxonomies]]\nkey = \"nam\"\nname = \"A\"\n",
			`site.toml:4:1: taxonomy "nam" has path "nam", which paths.years also uses; give each its own path`},
		{"unknown value type", "[[taxonomies]]\nkey = \"unit\"\nname = \"A\"\nvalues = \"places\"\n",
			`site.toml:7:10: values must be "text" or "place" (names of places, resolved through the gazetteer), not "places"`},
		{"built-in value type changed", "[[taxonomies]]\nkey = \"topic\"\nvalues = \"place\"\n",
			`site.toml:6:10: values cannot be changed for the built-in taxonomy "topic"`},
		{"region_near of another type", "region_near = 7\n",
			`site.toml:4:15: region_near must be a list of strings, not a number`},
	} {
		_, err := Parse([]byte(head + "\n" + tc.decl))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got  %v\n want %s", tc.name, err, tc.want)
		}
	}
}

func TestTurnedOffTaxonomyFreesItsPath(t *testing.T) {
	t.Parallel()
	src := head + "\n[[taxonomies]]\nkey = \"year\"\nenabled = false\n\n[[taxonomies]]\nkey = \"nam_hoc\"\nname = \"Năm học\"\npath = \"nam\"\n"
	cfg, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Taxonomy(Year) != nil || cfg.Taxonomy("nam_hoc").Path != "nam" {
		t.Errorf("taxonomies %s", keys(cfg.Taxonomies))
	}
}

func TestBuiltinIndexRenamedInEnglishOnly(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte(head + "language = \"en\"\n[[taxonomies]]\nkey = \"region\"\nplural_en = \"Provinces\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := cfg.Taxonomy(Region); r.Name != "" || r.Plural != "Provinces" {
		t.Errorf("region %+v", *r)
	}
}

// TestValueTypesAndRegionNear: the built-in region holds places; a site may
// make it text again, declare another taxonomy of places, and name the
// places it is about.
func TestValueTypesAndRegionNear(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte(head + "region_near = [\"Hậu Giang\", \"soc-trang\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := cfg.Taxonomy(Region); r.Values != PlaceValues {
		t.Errorf("region values %v", r.Values)
	}
	if fmt.Sprint(cfg.RegionNear, cfg.RegionNearPos) != "[Hậu Giang soc-trang] [site.toml:3:16 site.toml:3:29]" {
		t.Errorf("region_near %v at %v", cfg.RegionNear, cfg.RegionNearPos)
	}
	cfg, err = Parse([]byte(head + "region_near = \"Cần Thơ\"\n[[taxonomies]]\nkey = \"region\"\nvalues = \"text\"\n[[taxonomies]]\nkey = \"dia_ban\"\nname = \"Địa bàn\"\nvalues = \"place\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Taxonomy(Region).Values != TextValues || cfg.Taxonomy("dia_ban").Values != PlaceValues || fmt.Sprint(cfg.RegionNear) != "[Cần Thơ]" {
		t.Errorf("values %v %v, region_near %v", cfg.Taxonomy(Region).Values, cfg.Taxonomy("dia_ban").Values, cfg.RegionNear)
	}
}
