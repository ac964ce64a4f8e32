package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckWarnsAboutRegionsAndPasses: check lists a region name the
// gazetteer does not know (with a suggestion) and one it cannot settle as
// warning lines at their file:line:col, and still exits 0; build says the
// same on stderr and writes the site. A regions file that settles the name
// silences its warning.
func TestCheckWarnsAboutRegionsAndPasses(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\nregion: Đà Nẳng\n---\nA.\n",
		"content/b.md": "---\ntitle: B\ndate: 2021-03-08\nregion: Long Mỹ\n---\nB.\n",
	})
	code, out, errOut := run("check", "--source", dir)
	want := `warning: content/a.md:4:9: unknown region "Đà Nẳng"; did you mean "Đà Nẵng"? It gets a page of its own; if it is a real place, add it to data/regions.toml
warning: content/b.md:4:9: region "Long Mỹ" may be huyện Long Mỹ (Hậu Giang; id huyen-long-my) or thị xã Long Mỹ (Hậu Giang; id thi-xa-long-my); write the kind, as in "huyện Long Mỹ", or the id, or settle it for the whole site in data/regions.toml: [huyen-long-my] aliases = ["Long Mỹ"]. Until then it gets a page of its own
ok: 2 articles,`
	if code != 0 || !strings.HasPrefix(out, want) || errOut != "" {
		t.Errorf("check: exit %d\n%s%s\nwant it to start with:\n%s", code, out, errOut, want)
	}
	public := filepath.Join(t.TempDir(), "public")
	code, out, errOut = run("build", "--source", dir, "--dest", public, now)
	if code != 0 || !strings.HasPrefix(out, "built 2 articles") || strings.Count(errOut, "warning: ") != 2 || !strings.Contains(errOut, "content/b.md:4:9: region \"Long Mỹ\"") {
		t.Errorf("build: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(public, "khu-vuc", "long-my", "index.html")); err != nil {
		t.Errorf("the unsettled name has no page: %v", err)
	}

	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "regions.toml"), []byte("[thi-xa-long-my]\naliases = [\"Long Mỹ\"]\n"), 0o644)
	code, out, _ = run("check", "--source", dir)
	if code != 0 || strings.Count(out, "warning: ") != 1 || strings.Contains(out, "Long Mỹ") {
		t.Errorf("check with a regions file: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(dir, "data", "regions.toml"), []byte("[thi-xa-long-my]\naliases = \"Long Mỹ\"\n"), 0o644)
	code, _, errOut = run("check", "--source", dir)
	if code != 1 || !strings.Contains(errOut, "data/regions.toml:2:11: ") {
		t.Errorf("check with a bad regions file: exit %d\n%s", code, errOut)
	}
}

// TestServeFollowsTheRegionsFile: the preview reads data/regions.toml, and
// rebuilds when it is created, edited (its problems shown at their line)
// and fixed.
func TestServeFollowsTheRegionsFile(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"content/a.md": "---\ntitle: Đại Thành\ndate: 2024-01-01\nregion: Đại Thành\n---\nA.\n",
	})
	base, _ := startServe(t, dir)
	ev := listen(t, base)
	if status, _ := get(t, base+"khu-vuc/dai-thanh/"); status != 200 {
		t.Fatalf("an unknown place has no page of its own: %d", status)
	}
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	regions := filepath.Join(dir, "data", "regions.toml")
	os.WriteFile(regions, []byte("[xa-dai-thanh]\nname = \"Đại Thành\"\nkind = \"xã\"\nparent = \"nga-bay\"\n"), 0o644)
	eventually(t, "the new place's page", func() bool {
		s, body := get(t, base+"khu-vuc/xa-dai-thanh/")
		return s == 200 && strings.Contains(body, `<a href="/khu-vuc/nga-bay/">Ngã Bảy</a>`)
	})
	os.WriteFile(regions, []byte("[xa-dai-thanh]\nname = \"Đại Thành\"\nkind = \"xóm\"\n"), 0o644)
	eventually(t, "the regions file's problem", func() bool { return ev.has(`problems ["data/regions.toml:3:8: unknown kind \"xóm\"`) })
}

// TestNewWarnsAboutARegionNoProvinceSettles: bantin new warns about a name
// two places of one province share, with the text and position check
// gives the same file, and about one region_near does not settle; it
// stays quiet about a name the site's own province would settle.
func TestNewWarnsAboutARegionNoProvinceSettles(t *testing.T) {
	t.Parallel()
	regions := "[xa-tan-hoa-ct]\nname = \"Tân Hòa\"\nkind = \"xã\"\nparent = \"can-tho\"\n" +
		"[phuong-tan-hoa-ct]\nname = \"Tân Hòa\"\nkind = \"phường\"\nparent = \"can-tho\"\n" +
		"[xa-tan-loc-ct]\nname = \"Tân Lộc\"\nkind = \"xã\"\nparent = \"can-tho\"\n" +
		"[xa-tan-loc-cm]\nname = \"Tân Lộc\"\nkind = \"xã\"\nparent = \"ca-mau\"\n"
	dir := writeSite(t, map[string]string{"data/regions.toml": regions})
	code, out, errOut := run("new", "Tin Tân Hòa", "--source", dir, "--region", "Tân Hòa")
	file := strings.SplitN(out, "\n", 2)[0]
	if code != 0 || !strings.HasSuffix(file, "tin-tan-hoa.md") {
		t.Fatalf("new: exit %d\n%s%s", code, out, errOut)
	}
	want := `:4:9: region "Tân Hòa" may be phường Tân Hòa (Cần Thơ; id phuong-tan-hoa-ct) or xã Tân Hòa (Cần Thơ; id xa-tan-hoa-ct); write the kind, as in "phường Tân Hòa", or the id, or settle it for the whole site in data/regions.toml: [phuong-tan-hoa-ct] aliases = ["Tân Hòa"]. Until then it gets a page of its own`
	if errOut != "warning: "+file+want+"\n" {
		t.Errorf("new's warning:\n%q\nwant\n%q", errOut, "warning: "+file+want+"\n")
	}
	rel, _ := filepath.Rel(dir, file)
	if code, out, _ := run("check", "--source", dir, "--drafts"); code != 0 || !strings.HasPrefix(out, "warning: "+filepath.ToSlash(rel)+want+"\n") {
		t.Errorf("check says otherwise: exit %d\n%s", code, out)
	}

	// Two provinces' Tân Lộc: the site's own area settles it, so new,
	// which sees one article, says nothing; region_near elsewhere does not.
	if code, out, errOut := run("new", "Tin Tân Lộc", "--source", dir, "--region", "Tân Lộc"); code != 0 || errOut != "" {
		t.Errorf("new with a name a province settles: exit %d\n%s%s", code, out, errOut)
	}
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\nregion_near = [\"Hà Nội\"]\n"), 0o644)
	code, _, errOut = run("new", "Tin Tân Lộc hai", "--source", dir, "--region", "Tân Lộc")
	if code != 0 || !strings.Contains(errOut, `tin-tan-loc-hai.md:4:9: region "Tân Lộc" may be xã Tân Lộc (Cà Mau; id xa-tan-loc-cm) or xã Tân Lộc (Cần Thơ; id xa-tan-loc-ct); write the id`) {
		t.Errorf("new with region_near elsewhere: exit %d\n%s", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\nregion_near = [\"Cà Mau\"]\n"), 0o644)
	if code, _, errOut := run("new", "Tin Tân Lộc ba", "--source", dir, "--region", "Tân Lộc"); code != 0 || errOut != "" {
		t.Errorf("new with region_near settling it: exit %d\n%s", code, errOut)
	}
}
