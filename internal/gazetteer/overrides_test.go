package gazetteer

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/diag"
)

const regionsFile = "data/regions.toml"

func TestOverridesAddPlaces(t *testing.T) {
	t.Parallel()
	src := `# communes and areas a Ngã Bảy site writes about
khu-cong-nghiep = { name = "Khu công nghiệp Tân Phú Thạnh", kind = "khu vực", parent = "chau-thanh-a" }

[xa-dai-thanh]
name = "Đại Thành"
kind = "xã"
parent = "nga-bay"
valid_to = "2025-06-30"
aliases = ["Đại Thành A"]
`
	g, err := Default().WithOverrides([]byte(src), regionsFile)
	if err != nil {
		t.Fatal(err)
	}
	p := g.Place("xa-dai-thanh")
	if p == nil || p.Name != "Đại Thành" || p.Kind != Commune || p.ValidTo != "2025-06-30" {
		t.Fatalf("xa-dai-thanh = %+v", p)
	}
	if p.Pos != (diag.Pos{File: regionsFile, Line: 4, Col: 1}) {
		t.Errorf("Pos = %v", p.Pos)
	}
	if got, err := g.Resolve("xã Đại Thành A", day("2024-01-01")); err != nil || got != p {
		t.Errorf("Resolve(xã Đại Thành A) = %v, %v", got, err)
	}
	if got := breadcrumb(g, p, day("2024-01-01")); got != "Đại Thành › Ngã Bảy › Hậu Giang › Cần Thơ (từ 01/07/2025)" {
		t.Errorf("breadcrumb = %q", got)
	}
	if !slices.Contains(g.Descendants(g.Place("can-tho")), g.Place("khu-cong-nghiep")) {
		t.Error("Cần Thơ does not contain the site's area")
	}
	// Found in free text with the other names.
	if got := mentions(g.Find("Khu công nghiệp Tân Phú Thạnh, huyện Châu Thành A")); got != "Khu công nghiệp Tân Phú Thạnh=khu-cong-nghiep; huyện Châu Thành A=chau-thanh-a" {
		t.Errorf("Find = %s", got)
	}
	// The default gazetteer is unchanged.
	if Default().Place("xa-dai-thanh") != nil || len(Default().Lookup("Đại Thành")) != 1 {
		t.Error("WithOverrides changed the default gazetteer")
	}
}

func TestOverridesSettleAnAmbiguousName(t *testing.T) {
	t.Parallel()
	// The site's "Long Mỹ" is the town: a hand-written alias wins over the
	// names both units have.
	g, err := Default().WithOverrides([]byte("[thi-xa-long-my]\naliases = [\"Long Mỹ\", \"Long Mỹ town\"]\n"), regionsFile)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := g.Resolve("Long Mỹ", day("2021-03-08")); err != nil || p.ID != "thi-xa-long-my" {
		t.Errorf("Resolve(Long Mỹ) = %v, %v", p, err)
	}
	if p, err := g.Resolve("huyện Long Mỹ", day("2021-03-08")); err != nil || p.ID != "huyen-long-my" {
		t.Errorf("Resolve(huyện Long Mỹ) = %v, %v", p, err)
	}
	p := g.Place("thi-xa-long-my")
	if p.Name != "Long Mỹ" || p.Kind != Town || p.Parent != "hau-giang" || p.Pos.File != regionsFile {
		t.Errorf("overridden entry = %+v", p)
	}
	// Keys not given keep their built-in values; aliases add up.
	g2, err := g.WithOverrides([]byte(`can-tho = { name = "Thành phố Cần Thơ", aliases = ["Tây Đô"] }`), "b.toml")
	if err != nil {
		t.Fatal(err)
	}
	ct := g2.Place("can-tho")
	if ct.Name != "Thành phố Cần Thơ" || ct.Kind != CentralCity || ct.FullName() != "Thành phố Cần Thơ" {
		t.Errorf("can-tho = %+v", ct)
	}
	for _, name := range []string{"Tây Đô", "Cần Thơ", "TP Cần Thơ"} {
		if got, err := g2.Resolve(name, day("2024-01-01")); err != nil || got != ct {
			t.Errorf("Resolve(%q) = %v, %v", name, got, err)
		}
	}
	if got := g2.Place("thi-xa-long-my").Aliases; !slices.Equal(got, []string{"Long Mỹ", "Long Mỹ town"}) {
		t.Errorf("aliases = %q", got)
	}
}

func TestOverrideErrorsPointAtTheProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"unknown key", "[nga-bay]\nname = \"Ngã Bảy\"\nvaild_to = 2025-06-30\n",
			[]string{`data/regions.toml:3:1: unknown key "vaild_to" in "nga-bay"; did you mean "valid_to"?`}},
		{"unknown key inline", `x = { name = "X", kind = "xã", colour = "red" }`,
			[]string{`data/regions.toml:1:32: unknown key "colour" in "x"; the keys are name, kind, parent, valid_from, valid_to, successors, aliases, needs_kind`}},
		{"unknown parent", "[xa-moi]\nname = \"Xã Mới\"\nkind = \"xã\"\nparent =   \"hau-gaing\"\n",
			[]string{`data/regions.toml:4:12: unknown parent "hau-gaing"; did you mean "hau-giang"?`}},
		{"unknown successor", "[a]\nname = \"A\"\nkind = \"xã\"\nvalid_to = 2025-06-30\nsuccessors = [\n  \"can-tho\",\n  \"nowhere-at-all\",\n]\n",
			[]string{`data/regions.toml:7:3: unknown successor "nowhere-at-all"; give the id of an entry here or in the built-in data`}},
		{"duplicate id", "[a]\nname = \"A\"\nkind = \"xã\"\n\n[a]\nname = \"B\"\n",
			[]string{`data/regions.toml:5:2: invalid TOML: Key 'a' has already been defined. (each id is declared once per file; merge the two entries)`}},
		{"duplicate key", "[a]\nname = \"A\"\nname = \"B\"\n",
			[]string{`data/regions.toml:3:1: invalid TOML: Key 'a.name' has already been defined. (each id is declared once per file; merge the two entries)`}},
		{"bad date", "[a]\nname = \"Ấp Mới\"\nkind = \"xã\"\nvalid_from = \"2025-13-01\"\n",
			[]string{`data/regions.toml:4:14: valid_from of "a" must be a date like 2025-07-01, not "2025-13-01"`}},
		{"date with time", "[a]\nname = \"A\"\nkind = \"xã\"\nvalid_from = 2025-07-01T08:00:00\n",
			[]string{`data/regions.toml:4:14: valid_from of "a" must be a date like 2025-07-01, without a time`}},
		{"dates reversed", "[a]\nname = \"A\"\nkind = \"xã\"\nvalid_from = 2025-07-01\nvalid_to = 2025-06-30\n",
			[]string{`data/regions.toml:5:12: valid_to 2025-06-30 of "a" is before its valid_from 2025-07-01`}},
		{"invalid TOML", "[a]\nname = \"A\nkind = \"xã\"\n",
			[]string{`data/regions.toml:2:`}},
		{"missing name and kind", "[ap-moi]\nparent = \"nga-bay\"\n",
			[]string{`data/regions.toml:1:1: "ap-moi" needs a kind: "tỉnh", "thành phố trực thuộc trung ương", "thành phố", "thị xã", "quận", "huyện", "xã", "phường", "đặc khu", "khu vực"`,
				`data/regions.toml:1:1: "ap-moi" needs a name, like name = "Ngã Bảy"`}},
		{"unknown kind", "[a]\nname = \"A\"\nkind = \"ấp\"\n",
			[]string{`data/regions.toml:3:8: unknown kind "ấp"; use one of "tỉnh", "thành phố trực thuộc trung ương", "thành phố", "thị xã", "quận", "huyện", "xã", "phường", "đặc khu", "khu vực"`}},
		{"province inside a commune", "[a]\nname = \"A\"\nkind = \"tỉnh\"\nparent = \"phuong-nga-bay\"\n",
			[]string{`data/regions.toml:4:10: a tỉnh cannot be inside a phường ("phuong-nga-bay")`}},
		{"bad id", "[\"Ấp Một\"]\nname = \"Ấp Một\"\nkind = \"xã\"\n",
			[]string{`data/regions.toml:1:1: id "Ấp Một" must be lowercase ASCII letters, digits and single hyphens, like "nga-bay"; it becomes the region's URL`}},
		{"not a table", "name = \"Ngã Bảy\"\n",
			[]string{`data/regions.toml:1:1: "name" is not an entry; write [name] followed by its keys, or name = { name = "...", kind = "..." }`}},
		{"wrong type", "[a]\nname = 5\nkind = \"xã\"\naliases = \"A\"\n",
			[]string{`data/regions.toml:2:8: name of "a" must be a string`,
				`data/regions.toml:4:11: aliases of "a" must be a list of strings, like ["Tây Đô"]`}},
		{"successors without end", "[a]\nname = \"A\"\nkind = \"xã\"\nsuccessors = [\"phuong-nga-bay\"]\n",
			[]string{`data/regions.toml:4:14: "a" has successors but no valid_to; give the last day it existed, like valid_to = 2025-06-30`}},
		{"own parent", "[a]\nname = \"A\"\nkind = \"xã\"\nparent = \"a\"\n",
			[]string{`data/regions.toml:4:10: "a" cannot be its own parent`}},
		{"cycle through a built-in entry", "[hau-giang]\nparent = \"khu-a\"\n\n[khu-a]\nname = \"Khu A\"\nkind = \"khu vực\"\nparent = \"nga-bay\"\n",
			[]string{`data/regions.toml:7:10: "khu-a" lies inside itself: khu-a › nga-bay › hau-giang › khu-a; break the chain of parents and successors`}},
		{"cycle of successors", "[a]\nname = \"A\"\nkind = \"xã\"\nvalid_to = 2020-01-01\nsuccessors = [\"b\"]\n[b]\nname = \"B\"\nkind = \"xã\"\nvalid_to = 2021-01-01\nsuccessors = [\"a\"]\n",
			[]string{`data/regions.toml:10:14: "b" lies inside itself: b › a › b; break the chain of parents and successors`}},
		{"empty alias", "[a]\nname = \"A\"\nkind = \"xã\"\naliases = [\"B\", \"--\"]\n",
			[]string{`data/regions.toml:4:17: alias "--" of "a" has no letters or digits, or more than 16 words`}},
		{"several problems at once", "[a]\nname = \"A\"\nkind = \"xã\"\nparent = \"x\"\n[b]\nnme = \"B\"\n",
			[]string{`data/regions.toml:4:10: unknown parent "x"; give the id of an entry here or in the built-in data`,
				`data/regions.toml:5:1: "b" needs a kind: "tỉnh", "thành phố trực thuộc trung ương", "thành phố", "thị xã", "quận", "huyện", "xã", "phường", "đặc khu", "khu vực"`,
				`data/regions.toml:5:1: "b" needs a name, like name = "Ngã Bảy"`,
				`data/regions.toml:6:1: unknown key "nme" in "b"; did you mean "name"?`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := Default().WithOverrides([]byte(tc.src), regionsFile)
			if err == nil {
				t.Fatalf("no error; got a gazetteer of %d places", len(g.places))
			}
			var list diag.List
			var one *diag.Error
			var got []string
			switch {
			case errors.As(err, &list):
				for _, e := range list {
					got = append(got, e.Error())
				}
			case errors.As(err, &one):
				got = []string{one.Error()}
			default:
				t.Fatalf("error %v has no position", err)
			}
			if strings.HasSuffix(tc.want[0], ":") { // only the position is stable
				if len(got) != 1 || !strings.HasPrefix(got[0], tc.want[0]) {
					t.Errorf("got %q, want a message at %s", got, tc.want[0])
				}
				return
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestOverridesRejectHugeFiles(t *testing.T) {
	t.Parallel()
	_, err := Default().WithOverrides(make([]byte, maxDataBytes+1), regionsFile)
	if err == nil || !strings.HasPrefix(err.Error(), "data/regions.toml: is 4194305 bytes") {
		t.Errorf("error = %v", err)
	}
}

func TestPositionsOfTheBuiltInData(t *testing.T) {
	t.Parallel()
	// Declarations are found where the file has them.
	p := Default().Place("nga-bay")
	line := strings.Split(string(builtinData), "\n")[p.Pos.Line-1]
	if p.Pos.File != builtinFile || !strings.HasPrefix(line, "nga-bay = {") || p.Pos.Col != 1 {
		t.Errorf("Pos of nga-bay = %v, line %q", p.Pos, line)
	}
}

func TestREADMEExampleIsValid(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Regions")
	if !ok {
		t.Fatal("README has no Regions section")
	}
	_, block, ok := strings.Cut(rest, "```toml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("the Regions section has no TOML example")
	}
	g, err := Default().WithOverrides([]byte(block), regionsFile)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := g.Resolve("Long Mỹ", day("2021-03-08")); err != nil || p.ID != "thi-xa-long-my" {
		t.Errorf("Resolve(Long Mỹ) = %v, %v", p, err)
	}
	if p, err := g.Resolve("Tây Đô", day("2021-03-08")); err != nil || p.ID != "can-tho" {
		t.Errorf("Resolve(Tây Đô) = %v, %v", p, err)
	}
	if p := g.Place("xa-dai-thanh"); p == nil || p.Parent != "nga-bay" {
		t.Errorf("xa-dai-thanh = %+v", p)
	}
}
