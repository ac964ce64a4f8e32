package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/cli"
	"github.com/bantin/bantin/internal/images/imagestest"
)

const now = "--now=2026-11-21T08:00:00+07:00"

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["site.toml"]; !ok {
		files["site.toml"] = "title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n"
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// buildLeftovers returns what builds left beside public/ in dir, besides
// the previous generation and the manifests that builds keep on purpose.
func buildLeftovers(dir string) ([]string, error) {
	all, err := filepath.Glob(filepath.Join(dir, ".public*"))
	var out []string
	for _, p := range all {
		base := filepath.Base(p)
		if base == ".public.bantin-prev" || strings.HasPrefix(base, ".public.bantin-gen-") {
			continue
		}
		out = append(out, p)
	}
	return out, err
}

func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Main(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

const good = "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\n---\nNội dung.\n"

func TestBuildWritesPublicAndOneSummaryLine(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good})
	code, out, errOut := run("build", "--source", dir, now)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// One article is "1 article", in the singular.
	if !regexp.MustCompile(`^built 1 article, [0-9]+ pages \([0-9]+ rendered\), [0-9]+ terms, [0-9]+ files \([0-9]+ written\) in [0-9]+ ms into \S+\n$`).MatchString(out) {
		t.Errorf("summary line: %q", out)
	}
	if code, out, errOut := run("check", "--source", dir); code != 0 || !strings.HasPrefix(out, "ok: 1 article, ") {
		t.Errorf("check: %d %q %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "bai-viet", "a", "index.html")); err != nil {
		t.Error(err)
	}
	// Nothing temporary is left beside the output.
	leftovers, _ := buildLeftovers(dir)
	if len(leftovers) > 0 {
		t.Errorf("left behind: %v", leftovers)
	}
}

func TestFailedBuildLeavesPreviousPublicUntouched(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good})
	if code, _, errOut := run("build", "--source", dir, now); code != 0 {
		t.Fatal(errOut)
	}
	before := snapshot(t, filepath.Join(dir, "public"))
	// Break one article and add another: nothing of this build may land.
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: Tin A\ndate: hôm qua\nregion: Cần Thơ\n---\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte(strings.Replace(good, "Tin A", "Tin B", 1)), 0o644)
	code, _, errOut := run("build", "--source", dir, now)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, "content/a.md:3:7: date \"hôm qua\" is not a date") || !strings.Contains(errOut, "build failed: 1 problem") {
		t.Errorf("stderr: %s", errOut)
	}
	after := snapshot(t, filepath.Join(dir, "public"))
	if len(after) != len(before) {
		t.Fatalf("public/ has %d files after a failed build, had %d", len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed after a failed build", name)
		}
	}
	if leftovers, _ := buildLeftovers(dir); len(leftovers) > 0 {
		t.Errorf("left behind: %v", leftovers)
	}
}

func TestSuccessfulBuildRemovesStaleFiles(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good, "content/b.md": strings.Replace(good, "Tin A", "Tin B", 1)})
	if code, _, errOut := run("build", "--source", dir, now); code != 0 {
		t.Fatal(errOut)
	}
	os.Remove(filepath.Join(dir, "content", "b.md"))
	if code, _, errOut := run("build", "--source", dir, now); code != 0 {
		t.Fatal(errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "bai-viet", "b")); !os.IsNotExist(err) {
		t.Errorf("stale page of a deleted article survived: %v", err)
	}
}

// The summary's "written" counts the files a build wrote anew, not those
// it linked from the live site: the second build of an unchanged site
// assembles a new folder, linking what it can from the first, and the
// builds after it update the previous generation in place, writing none.
func TestRebuildsCountOnlyTheFilesTheyWrite(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good, "content/b.md": strings.Replace(good, "Tin A", "Tin B", 1)})
	summary := regexp.MustCompile(`, ([0-9]+) files \(([0-9]+) written\)`)
	build := func() (files, written int) {
		t.Helper()
		code, out, errOut := run("build", "--source", dir, now)
		m := summary.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("exit %d: %q %s", code, out, errOut)
		}
		files, _ = strconv.Atoi(m[1])
		written, _ = strconv.Atoi(m[2])
		return files, written
	}
	if files, written := build(); written != files {
		t.Errorf("first build: %d of %d files written, want all", written, files)
	}
	// The files of the new public/ that are not hard links to the
	// previous site's are the ones written.
	_, written := build()
	public, prev := filepath.Join(dir, "public"), filepath.Join(dir, ".public.bantin-prev")
	fresh := 0
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".bantin-output" {
			return err
		}
		rel, _ := filepath.Rel(public, p)
		cur, err1 := os.Stat(p)
		old, err2 := os.Stat(filepath.Join(prev, rel))
		if err1 != nil || err2 != nil || !os.SameFile(cur, old) {
			fresh++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if written != fresh {
		t.Errorf("second build: %d files written, but %d are not links to the first build's", written, fresh)
	}
	if files, written := build(); written != 0 {
		t.Errorf("third build of an unchanged site: %d of %d files written, want 0", written, files)
	}
}

func TestSameInputAndNowGiveByteIdenticalOutput(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good, "content/x/b.md": strings.Replace(good, "Tin A", "Tin B", 1)})
	one, two := filepath.Join(t.TempDir(), "one"), filepath.Join(t.TempDir(), "two")
	for _, dest := range []string{one, two} {
		if code, _, errOut := run("build", "--source", dir, "--dest", dest, now); code != 0 {
			t.Fatal(errOut)
		}
	}
	a, b := snapshot(t, one), snapshot(t, two)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("file counts %d and %d", len(a), len(b))
	}
	for name := range a {
		if a[name] != b[name] {
			t.Errorf("%s differs", name)
		}
	}
}

func TestBaseURLFlagOverridesConfig(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good})
	if code, _, errOut := run("build", "--source", dir, "--base-url", "https://intranet.local/ban-tin/", now); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if !strings.Contains(string(b), `href="/ban-tin/bai-viet/a/"`) {
		t.Errorf("index.html does not link under /ban-tin/:\n%s", b)
	}
}

func TestBuildRefusesDangerousDestinations(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good})
	code, _, errOut := run("build", "--source", dir, "--dest", dir, now)
	if code != 1 || !strings.Contains(errOut, "is the site's own folder") {
		t.Errorf("dest = source: exit %d, %s", code, errOut)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("quan trọng"), 0o644)
	code, _, errOut = run("build", "--source", dir, "--dest", other, now)
	if code != 1 || !strings.Contains(errOut, "is not empty and was not written by bantin") {
		t.Errorf("unrelated dest: exit %d, %s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(b) != "quan trọng" {
		t.Error("an unrelated folder was touched")
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	if code, _, _ := run(); code != 2 {
		t.Errorf("no args: exit %d", code)
	}
	if code, _, errOut := run("publish"); code != 2 || !strings.Contains(errOut, `unknown command "publish"`) {
		t.Errorf("unknown command: %d %s", code, errOut)
	}
	if code, _, errOut := run("build", "--now", "hôm nay"); code != 1 || !strings.Contains(errOut, "RFC 3339") {
		t.Errorf("bad --now: %d %s", code, errOut)
	}
	if code, out, _ := run("version"); code != 0 || !strings.HasPrefix(out, "bantin ") {
		t.Errorf("version: %d %q", code, out)
	}
	code, _, errOut := run("build", "--source", t.TempDir())
	if code != 1 || !strings.Contains(errOut, "site.toml: not found") {
		t.Errorf("missing site.toml: %d %s", code, errOut)
	}
}

func TestNewWritesAValidDraftAndRefusesOverwrites(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{})
	now := "2026-11-21"
	code, out, errOut := run("new", "Ngã Bảy: Phát động thi đua", "--source", dir, "--region", "Ngã Bảy", "--topics", "Thi đua khen thưởng, Chuyển đổi số", "--period", "2026", "--slogan", "Cam kết mạnh mẽ")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := filepath.Join(dir, "content", now[:4], "nga-bay-phat-dong-thi-dua.md")
	wantOut := want + "\npreview: http://127.0.0.1:1313/bai-viet/nga-bay-phat-dong-thi-dua/ (while bantin serve runs)\n"
	if out != wantOut {
		t.Errorf("printed %q, want %q", out, wantOut)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`title: "Ngã Bảy: Phát động thi đua"`, `region: "Ngã Bảy"`, `topics: ["Thi đua khen thưởng", "Chuyển đổi số"]`, `period: "2026"`, "draft: true", "date: 20"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("new article lacks %q:\n%s", w, b)
		}
	}
	// The draft builds with --drafts.
	if code, _, errOut := run("build", "--source", dir, "--drafts", "--future"); code != 0 {
		t.Errorf("the new draft does not build: %s", errOut)
	}
	// Refusals: an existing file, a title with no letters, no region.
	if code, _, errOut := run("new", "Ngã Bảy: Phát động thi đua", "--source", dir, "--region", "Ngã Bảy"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("overwrite: %d %s", code, errOut)
	}
	if code, _, errOut := run("new", "!!! ???", "--source", dir, "--region", "Huế"); code != 1 || !strings.Contains(errOut, "no letters or digits") {
		t.Errorf("empty slug: %d %s", code, errOut)
	}
	if code, _, errOut := run("new", "Tin mới", "--source", dir); code != 2 || !strings.Contains(errOut, "--region is required") {
		t.Errorf("no region: %d %s", code, errOut)
	}
	if code, _, errOut := run("new", "Tin mới", "--source", dir, "--region", "Huế", "--period", "mãi mãi"); code != 2 || !strings.Contains(errOut, "--period") {
		t.Errorf("bad period: %d %s", code, errOut)
	}
	if code, _, _ := run("new", "--source", dir, "--region", "Huế"); code != 2 {
		t.Errorf("no title: %d", code)
	}
	// A value the article would reject is named as given, not at a line of
	// a file that was never written.
	code, _, errOut = run("new", "Tin mới", "--source", dir, "--region", "\u200b")
	wantErr := "bantin new: region has no visible character, only invisible ones (U+200B); write the region in words\nbantin new: nothing written; fix the values above\n"
	if code != 2 || errOut != wantErr {
		t.Errorf("invisible region: %d %q, want %q", code, errOut, wantErr)
	}
	if _, err := os.Stat(filepath.Join(dir, "content", now[:4], "tin-moi.md")); !os.IsNotExist(err) {
		t.Errorf("a refused article was written: %v", err)
	}
}

// A region the gazetteer does not know still gets its draft, with a
// warning at the region's place in the new file, as check would give; a
// known one gets none.
func TestNewWarnsAboutAnUnknownRegion(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{})
	code, out, errOut := run("new", "Tin thử", "--source", dir, "--region", "Hâu Giang")
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "tin-thu.md"))
	if code != 0 || len(files) != 1 || !strings.HasPrefix(out, files[0]+"\n") {
		t.Fatalf("exit %d, files %v\n%s\n%s", code, files, out, errOut)
	}
	want := "warning: " + files[0] + `:4:9: unknown region "Hâu Giang"; did you mean "Hậu Giang" or "Hà Giang"? ` +
		"It gets a page of its own; if it is a real place, add it to data/regions.toml, else correct the region in the file\n"
	if errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if code, _, errOut := run("new", "Tin thử hai", "--source", dir, "--region", "tp can tho"); code != 0 || errOut != "" {
		t.Errorf("known region: %d %q", code, errOut)
	}
}

func TestCheckReportsBrokenLinksAndWritesNothing(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"content/a.md": "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\n---\nXem [khu vực](/khu-vuc/can-tho/) và [trang lạ](/khong-co/).\n\n![ảnh](/anh/khong-co.svg)\n",
	})
	code, _, errOut := run("check", "--source", dir)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{
		"content/a.md:6:37: link /khong-co/ leads to /khong-co/index.html, which the site does not have",
		"content/a.md:8:1: image /anh/khong-co.svg leads to /anh/khong-co.svg, which the site does not have",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("check output lacks %q:\n%s", w, errOut)
		}
	}
	if !strings.HasSuffix(errOut, "\ncheck failed: 2 problems\n") || strings.Contains(errOut, "build failed") {
		t.Errorf("check does not say that the check failed:\n%s", errOut)
	}
	if strings.Contains(errOut, "khu-vuc/can-tho") {
		t.Errorf("a working link was reported:\n%s", errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("check wrote public/")
	}
	// A layout's broken link is reported once, as the layout's.
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(good), 0o644)
	os.MkdirAll(filepath.Join(dir, "layouts", "partials"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts", "partials", "footer.html"), []byte(`<footer><a href="{{url "lien-he/"}}">Liên hệ</a></footer>`), 0o644)
	code, _, errOut = run("check", "--source", dir)
	if code != 1 || strings.Count(errOut, "layouts: link /lien-he/") != 1 {
		t.Errorf("layout link: %d\n%s", code, errOut)
	}
	os.Remove(filepath.Join(dir, "layouts", "partials", "footer.html"))
	if code, out, errOut := run("check", "--source", dir); code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Errorf("clean site: %d %s %s", code, out, errOut)
	}
	// Front-matter problems are reported like a build's.
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte("---\ntitle: B\n---\n"), 0o644)
	if code, _, errOut := run("check", "--source", dir); code != 1 || !strings.Contains(errOut, `content/b.md:1:1: missing required field "date"`) {
		t.Errorf("front matter: %d %s", code, errOut)
	}
}

// A draft's links are checked only with --drafts, so the summary of a check
// without it says how many drafts it left out, as a build's does.
func TestCheckSaysWhichDraftsItLeftOut(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"content/a.md":     good,
		"content/nhap.md":  "---\ntitle: Nháp\ndate: 2024-01-02\nregion: Cần Thơ\ndraft: true\n---\nXem [trang lạ](/khong-co/).\n",
		"content/nhap2.md": "---\ntitle: Nháp 2\ndate: 2024-01-03\nregion: Cần Thơ\ndraft: true\n---\nNội dung.\n",
	})
	code, out, errOut := run("check", "--source", dir)
	if code != 0 || !strings.HasPrefix(out, "ok: 1 article (2 drafts or future left out; --drafts --future checks them too), ") {
		t.Errorf("check: %d %q %s", code, out, errOut)
	}
	code, _, errOut = run("check", "--source", dir, "--drafts")
	if code != 1 || !strings.Contains(errOut, "content/nhap.md:7:5: link /khong-co/ leads to /khong-co/index.html, which the site does not have") {
		t.Errorf("check --drafts: %d %s", code, errOut)
	}
}

func TestInitMakesASiteThatBuildsAndRefusesNonEmptyFolders(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ban-tin")
	code, out, errOut := run("init", dir)
	if code != 0 || !strings.Contains(out, "created a new site") {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	for _, d := range []string{"layouts", "static", "content"} {
		if info, err := os.Stat(filepath.Join(dir, d)); err != nil || !info.IsDir() {
			t.Errorf("no %s/ folder", d)
		}
	}
	ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	for _, line := range []string{"/public/", "/.public.*", "/.bantin/"} {
		if !strings.Contains(string(ignore), "\n"+line+"\n") {
			t.Errorf(".gitignore does not list %s:\n%s", line, ignore)
		}
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "site.toml"))
	if strings.Count(string(cfg), "#") < 10 {
		t.Errorf("site.toml explains too little:\n%s", cfg)
	}
	if code, out, errOut := run("build", "--source", dir); code != 0 || !strings.Contains(out, "built 1 article,") {
		t.Errorf("new site does not build with the embedded theme: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := run("check", "--source", dir); code != 0 {
		t.Errorf("new site does not pass check: %s", errOut)
	}
	if code, _, errOut := run("init", dir); code != 1 || !strings.Contains(errOut, "is not empty") {
		t.Errorf("non-empty: %d %s", code, errOut)
	}
	if code, _, _ := run("init"); code != 2 {
		t.Errorf("no folder: exit %d", code)
	}
}

func TestProfileWritesProfilesAndStageTimes(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good})
	prof := t.TempDir()
	code, out, errOut := run("build", "--source", dir, now, "--profile", prof)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"cpu.pprof", "heap.pprof", "stages.txt"} {
		if info, err := os.Stat(filepath.Join(prof, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	stages, _ := os.ReadFile(filepath.Join(prof, "stages.txt"))
	for _, want := range []string{"CPU/wall", "load content and layouts", "articles: render", "lists, and the search index files alongside", "feeds and sitemap"} {
		if !strings.Contains(string(stages), want) || !strings.Contains(out, want) {
			t.Errorf("stage times lack %q:\n%s", want, stages)
		}
	}
}

func TestManyProblemsPrintTheFirstHundredAndACount(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for i := range 150 {
		files[fmt.Sprintf("content/tin-%03d.md", i)] = "---\ntitle: Tin\nregion: Hậu Giang\n---\nThân bài.\n"
	}
	dir := writeSite(t, files)
	code, _, errOut := run("build", "--source", dir, "--dest", filepath.Join(t.TempDir(), "public"))
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != 1 || len(lines) != 102 {
		t.Fatalf("exit %d, %d lines:\n%s", code, len(lines), errOut)
	}
	if !strings.HasPrefix(lines[0], `content/tin-000.md:1:1: missing required field "date"`) ||
		lines[100] != "... and 50 more; fix the ones above and build again" || lines[101] != "build failed: 150 problems" {
		t.Errorf("first %q, then %q, %q", lines[0], lines[100], lines[101])
	}
}

func TestCheckWarnsAboutHeavyArticlesAndCachesImages(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"site.toml":    "title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n[images]\nbudget_kb = 1\nformats = [\"jpeg\"]\n",
		"content/a.md": "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\nimage: /anh/a.jpg\n---\nMở đầu.\n",
	})
	photo := imagestest.JPEG(t, imagestest.Photo(900, 600, 0), 90)
	if err := os.MkdirAll(filepath.Join(dir, "static", "anh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "static", "anh", "a.jpg"), photo, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run("check", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !regexp.MustCompile(`(?m)^warning: content/a.md:5:8: the article's images weigh \d+ KB at their largest, over the budget of 1 KB`).MatchString(out) || !strings.HasPrefix(out, "warning: ") {
		t.Errorf("check printed:\n%s\n%s", out, errOut)
	}
	// Processed images are cached in the site's folder.
	entries, _ := filepath.Glob(filepath.Join(dir, ".bantin", "cache", "images", "*", "*.bin"))
	if len(entries) != 1 {
		t.Errorf("image cache holds %v, want one entry", entries)
	}
}

// TestNewWithALongTitleWritesAShortFileName: a 400-character title gives a
// file name the file system accepts, and the article builds.
func TestNewWithALongTitleWritesAShortFileName(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{})
	title := strings.Repeat("Đoàn kết sáng tạo thi đua vượt khó ", 12)
	code, out, errOut := run("new", title, "--source", dir, "--region", "Cần Thơ")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	name := filepath.Base(strings.SplitN(out, "\n", 2)[0])
	if len(name) > 83 || !strings.HasPrefix(name, "doan-ket-sang-tao") {
		t.Errorf("file name %q (%d bytes)", name, len(name))
	}
	if code, _, errOut := run("build", "--source", dir, "--drafts", "--future"); code != 0 {
		t.Errorf("the new draft does not build: %s", errOut)
	}
}

const declaringSite = "title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n\n" +
	"[[taxonomies]]\nkey = \"unit\"\nname = \"Đơn vị\"\nrequired = true\n\n" +
	"[[taxonomies]]\nkey = \"linh_vuc\"\nname = \"Lĩnh vực\"\nmultiple = true\n\n" +
	"[[taxonomies]]\nkey = \"slogan\"\nenabled = false\n"

func TestNewSetsDeclaredTaxonomies(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"site.toml": declaringSite})
	code, out, errOut := run("new", "Tin có đơn vị", "--source", dir, "--region", "Cần Thơ",
		"--set", "unit=Sở Khoa học và Công nghệ", "--set", "linh_vuc=Y tế, Giáo dục")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The first line is the new file; the second, its preview URL.
	b, err := os.ReadFile(strings.SplitN(out, "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"unit: \"Sở Khoa học và Công nghệ\"\nlinh_vuc: [\"Y tế\", \"Giáo dục\"]\ndraft: true"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("new article lacks %q:\n%s", w, b)
		}
	}
	if code, _, errOut := run("build", "--source", dir, "--drafts", "--future", now); code != 0 {
		t.Fatalf("the new draft does not build: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "don-vi", "so-khoa-hoc-va-cong-nghe", "index.html")); err == nil {
		t.Error("the unit index is at /don-vi/, which site.toml does not declare")
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "unit", "so-khoa-hoc-va-cong-nghe", "index.html")); err != nil {
		t.Errorf("no unit page for the new article: %v", err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--set", "unit=Sở Y tế", "--set", "don_vi=x"}, `--set don_vi=x: site.toml declares no taxonomy "don_vi"; it declares unit, linh_vuc`},
		{[]string{"--set", "linh_vuc=Y tế"}, `--set unit=... is required: site.toml declares unit with required = true`},
		{[]string{"--set", "unit=Sở Y tế", "--set", "region=Huế"}, `--set region=Huế: region is a built-in field; use --region`},
		{[]string{"--set", "unit=Sở Y tế", "--set", "unit=UBND"}, `--set unit=UBND: unit is set twice`},
		{[]string{"--set", "unit= "}, `--set unit= : give a value`},
		{[]string{"--set", "unit"}, `invalid value "unit" for flag -set: write key=value, such as unit="Sở Y tế"`},
		{[]string{"--set", "unit=Sở Y tế", "--slogan", "Thi đua"}, `--slogan: site.toml turns the slogan taxonomy off; leave --slogan out`},
	} {
		args := append([]string{"new", "Tin khác", "--source", dir, "--region", "Huế"}, tc.args...)
		code, _, errOut := run(args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, %s; want 2 and %s", tc.args, code, errOut, tc.want)
		}
	}
	// A site that declares nothing says so.
	plain := writeSite(t, map[string]string{})
	if code, _, errOut := run("new", "Tin", "--source", plain, "--region", "Huế", "--set", "unit=x"); code != 2 || !strings.Contains(errOut, `site.toml declares no taxonomy; declare "unit" with [[taxonomies]] first`) {
		t.Errorf("plain site: %d %s", code, errOut)
	}
}

func TestCheckHonoursDeclaredTaxonomies(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"site.toml":    declaringSite,
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\nregion: Huế\nunit: Sở Y tế\nlinh_vuc: [Y tế]\n---\nA.\n",
	})
	if code, out, errOut := run("check", "--source", dir); code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Fatalf("check: %d %s %s", code, out, errOut)
	}
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte("---\ntitle: B\ndate: 2024-01-02\nregion: Huế\nunit: [Sở Y tế]\nslogan: Thi đua\n---\nB.\n"), 0o644)
	code, _, errOut := run("check", "--source", dir)
	for _, want := range []string{
		"content/b.md:5:7: unit must be a string, not a list; unit takes one value (site.toml declares it with multiple = false)",
		`content/b.md:6:1: slogan: the "slogan" taxonomy is turned off (enabled = false at site.toml:14:1); remove the field or turn the taxonomy on`,
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("check: exit %d, %s\nwant %s", code, errOut, want)
		}
	}
}

// A command that fails says which one did, not "build failed": serve on a
// taken address, new and import on a site whose site.toml is broken.
func TestFailedCommandsNameThemselves(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	good := writeSite(t, map[string]string{})
	broken := writeSite(t, map[string]string{"site.toml": "title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\nlanguag = \"vi\"\n"})
	seed := filepath.Join(t.TempDir(), "tin.txt")
	os.WriteFile(seed, []byte("Tin\n\nNội dung.\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--source", good, "--addr", ln.Addr().String()}, "\nserve failed\n"},
		{[]string{"new", "Tin mới", "--source", broken, "--region", "Huế"}, "\nnew failed: 1 problem\n"},
		{[]string{"import", "--source", broken, seed}, "\nimport failed: 1 problem\n"},
	} {
		code, _, errOut := run(tc.args...)
		if code != 1 || !strings.HasSuffix(errOut, tc.want) || strings.Contains(errOut, "build failed") {
			t.Errorf("%s: exit %d, stderr %q; want it to end with %q", tc.args[0], code, errOut, tc.want)
		}
	}
}
