package content

import (
	"slices"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/config"
)

// unitSite declares a single-valued "unit" and a multiple "linh_vuc".
func unitSite(t testing.TB, extra string) *config.Site {
	t.Helper()
	cfg, err := config.Parse([]byte(`title = "T"
base_url = "https://example.gov.vn/"
[[taxonomies]]
key = "unit"
name = "Đơn vị"
[[taxonomies]]
key = "linh_vuc"
name = "Lĩnh vực"
multiple = true
` + extra))
	if err != nil {
		t.Fatal(err)
	}
	return &cfg
}

func problems(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestDeclaredTaxonomyValuesAreRead(t *testing.T) {
	t.Parallel()
	cfg := unitSite(t, "")
	src := "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\nunit: \" Sở Khoa học và Công nghệ \"\nlinh_vuc:\n  - Nông nghiệp\n  - Chuyển đổi số\n  - Nông nghiệp\ntopics: [Thi đua]\n---\nThân bài.\n"
	a, err := Parse("content/a.md", []byte(src), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Terms(cfg.Taxonomy("unit")); !slices.Equal(got, []string{"Sở Khoa học và Công nghệ"}) {
		t.Errorf("unit %q", got)
	}
	lv := cfg.Taxonomy("linh_vuc")
	if got := a.Terms(lv); !slices.Equal(got, []string{"Nông nghiệp", "Chuyển đổi số"}) {
		t.Errorf("linh_vuc %q", got)
	}
	if p := a.TermPos(lv, 1).String(); p != "content/a.md:8:5" {
		t.Errorf("second linh_vuc at %s", p)
	}
	if p := a.TermPos(cfg.Taxonomy("unit"), 0).String(); p != "content/a.md:5:7" {
		t.Errorf("unit at %s", p)
	}
	// Built-in taxonomies read their typed fields.
	if got := a.Terms(cfg.Taxonomy(config.Region)); !slices.Equal(got, []string{"Cần Thơ"}) {
		t.Errorf("region %q", got)
	}
	if got := a.Terms(cfg.Taxonomy(config.Year)); !slices.Equal(got, []string{"2024"}) {
		t.Errorf("year %q", got)
	}
	if got := a.Terms(cfg.Taxonomy(config.Slogan)); got != nil {
		t.Errorf("slogan %q", got)
	}
	// A multiple taxonomy takes one string as a list of one.
	b, err := Parse("content/b.md", []byte("---\ntitle: B\ndate: 2024-01-01\nregion: X\nlinh_vuc: Giáo dục\n---\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Terms(lv); !slices.Equal(got, []string{"Giáo dục"}) {
		t.Errorf("single linh_vuc %q", got)
	}
}

func TestDeclaredTaxonomyTypeErrorsNameTheirPlace(t *testing.T) {
	t.Parallel()
	cfg := unitSite(t, "")
	head := "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\n"
	for _, tc := range []struct{ name, fm, want string }{
		{"number", "unit: 12\n", `content/a.md:5:7: unit must be a string, not a number; put the value in quotes`},
		{"list for a single", "unit: [A, B]\n", `content/a.md:5:7: unit must be a string, not a list; unit takes one value (site.toml declares it with multiple = false)`},
		{"map", "unit: {a: b}\n", `content/a.md:5:7: unit must be a string, not a map`},
		{"number in a list", "linh_vuc: [Nông nghiệp, 3]\n", `content/a.md:5:25: linh_vuc[1] must be a string, not a number; put the value in quotes`},
		{"empty item", "linh_vuc: [\"\", B]\n", `content/a.md:5:12: linh_vuc must not contain an empty value`},
		{"no letters", "unit: \"!!!\"\n", `content/a.md:5:7: unit "!!!" has no letters or digits to make a URL from`},
		{"typo", "unti: Sở Y tế\n", `content/a.md:5:1: unknown field "unti" in front matter; did you mean "unit"?`},
	} {
		_, err := Parse("content/a.md", []byte(head+tc.fm+"---\n"), cfg)
		if got := problems(err); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
	}
}

func TestRequiredAndTurnedOffTaxonomies(t *testing.T) {
	t.Parallel()
	cfg := unitSite(t, "[[taxonomies]]\nkey = \"region\"\nenabled = false\n[[taxonomies]]\nkey = \"vung\"\nname = \"Vùng\"\nrequired = true\n")
	// The region is no longer required; the declared vung is.
	_, err := Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-01-01\n---\n"), cfg)
	if got, want := problems(err), `content/a.md:1:1: missing required field "vung"`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	_, err = Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-01-01\nvung: Tây Nam Bộ\nregion: Cần Thơ\n---\n"), cfg)
	if got, want := problems(err), `content/a.md:5:1: region: the "region" taxonomy is turned off (enabled = false at site.toml:10:1); remove the field or turn the taxonomy on`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	a, err := Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-01-01\nvung: Tây Nam Bộ\n---\n"), cfg)
	if err != nil || a.Region != "" {
		t.Fatalf("article without region: %v, %+v", err, a)
	}
}

func TestUnknownFieldWithoutDeclarationsListsBuiltinFields(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	_, err := Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-01-01\nregion: X\nunit: Sở Y tế\n---\n"), &cfg)
	if got := problems(err); !strings.HasPrefix(got, `content/a.md:5:1: unknown field "unit" in front matter; known fields: title, date, region`) {
		t.Errorf("got %s", got)
	}
}

func TestTurnedOffDeclaredTaxonomyIsOneError(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse([]byte("title = \"T\"\nbase_url = \"https://example.gov.vn/\"\n[[taxonomies]]\nkey = \"unit\"\nname = \"Đơn vị\"\nenabled = false\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-01-01\nregion: X\nunit: Sở Y tế\n---\n"), &cfg)
	if got, want := problems(err), `content/a.md:5:1: unit: the "unit" taxonomy is turned off (enabled = false at site.toml:3:1); remove the field or turn the taxonomy on`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
