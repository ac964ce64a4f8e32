package cli_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bantin/bantin/internal/images/imagestest"
)

// savedPage is a portal page saved by a browser, with its photo in the
// "_files" folder beside it.
const savedPage = `<html><head><meta charset="utf-8"><title>Chi tiết tin - Cổng TTĐT tỉnh Hậu Giang</title></head><body>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li></ul>
<div class="news-detail"><h1>Phụng Hiệp phát động thi đua “Nông thôn mới kiểu mẫu”</h1>
<div class="date">Thứ Hai, 04/03/2024 09:15</div>
<div class="content">
<p>(HG) - Huyện Phụng Hiệp vừa phát động phong trào thi đua “Nông thôn mới kiểu mẫu” giai đoạn 2024-2025 trong toàn huyện.</p>
<p><img src="tin_files/anh%201.jpg" alt="Phụng Hiệp - Ảnh 1."></p>
<p style="text-align:center;font-style:italic">Quang cảnh lễ phát động.</p>
<p>Các xã đăng ký công trình chào mừng, tập trung vào giao thông nông thôn, nước sạch và cảnh quan môi trường, phấn đấu đạt chuẩn trong năm.</p>
</div></div>
<div class="footer">Cổng thông tin điện tử tỉnh Hậu Giang</div></body></html>`

func docxBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string]string{
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Vị Thanh sơ kết phong trào thi đua năm 2023</w:t></w:r></w:p>
<w:p><w:r><w:t>Ngày 05/12/2023</w:t></w:r></w:p>
<w:p><w:r><w:t>(HG) - UBND thành phố Vị Thanh vừa sơ kết phong trào thi đua yêu nước năm 2023, biểu dương 25 tập thể và cá nhân tiêu biểu trong các lĩnh vực.</w:t></w:r></w:p>
<w:p><w:r><w:drawing><a:blip r:embed="rId9"/></w:drawing></w:r></w:p>
<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:i/></w:rPr><w:t>Trao giấy khen cho các tập thể.</w:t></w:r></w:p>
</w:body></w:document>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="image" Target="media/image1.png"/></Relationships>`,
		"word/media/image1.png":        string(imagestest.TransparentPNG(t, 120, 80)), // the build processes it
	}
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The reference bulletins, a saved page and a Word file import into a new
// site, which then builds with its drafts and passes check; a second
// import recognizes every article; bad inputs are reported and the rest
// still imported.
func TestImportIntoANewSiteThatBuilds(t *testing.T) {
	t.Parallel()
	site := filepath.Join(t.TempDir(), "site")
	if code, _, errOut := run("init", site); code != 0 {
		t.Fatal(errOut)
	}
	in := t.TempDir()
	photo := imagestest.JPEG(t, imagestest.Photo(160, 120, 0), 85) // the build processes it
	writeFiles(t, in, map[string][]byte{
		"trang/tin.html":            []byte(savedPage),
		"trang/tin_files/anh 1.jpg": photo,
		"trang/tin_files/style.css": []byte("body{}"),
		"word/bao-cao.docx":         docxBytes(t),
	})
	seeds, _ := filepath.Abs("../importer/testdata/seeds")
	// A WordPress export with two posts and a draft.
	wxr, err := txtar.ParseFile("../importer/testdata/fixtures/w01-wordpress-export.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range wxr.Files {
		if f.Name == "export.xml" {
			writeFiles(t, in, map[string][]byte{"wp/export.xml": f.Data})
		}
	}

	code, out, errOut := run("import", "--source", site, seeds, in)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	arrow := regexp.MustCompile(`^(\S+) -> (content/\d{4}/[a-z0-9-]+\.md)$`)
	var written []string
	for _, l := range lines {
		if m := arrow.FindStringSubmatch(l); m != nil {
			written = append(written, m[2])
		}
	}
	if len(written) != 10 {
		t.Fatalf("want 10 articles written:\n%s", out)
	}
	if !strings.Contains(out, "  review: date: ") || !strings.HasSuffix(strings.TrimSpace(out), "fields to review") ||
		!strings.Contains(lines[len(lines)-1], "imported 10, skipped 0, failed 0") ||
		!strings.Contains(out, "export.xml#post-103 -> content/2024/chau-thanh-a-ra-quan-chien-dich-mua-he-xanh-nam-2024.md\n") {
		t.Errorf("report:\n%s", out)
	}
	page := readFile(t, site, "content/2024/phung-hiep-phat-dong-thi-dua-nong-thon-moi-kieu-mau.md")
	for _, want := range []string{
		`title: "Phụng Hiệp phát động thi đua “Nông thôn mới kiểu mẫu”"`, `date: "2024-03-04 09:15"`,
		`slogan: "Nông thôn mới kiểu mẫu"`, `period: "2024-2025"`, "draft: true",
		"![Quang cảnh lễ phát động.](/images/2024/phung-hiep-phat-dong-thi-dua-nong-thon-moi-kieu-mau/anh-1.jpg)\n*Quang cảnh lễ phát động.*",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("saved page: no %q in\n%s", want, page)
		}
	}
	if got := readFile(t, site, "static/images/2024/phung-hiep-phat-dong-thi-dua-nong-thon-moi-kieu-mau/anh-1.jpg"); got != string(photo) {
		t.Errorf("image not copied: %d bytes", len(got))
	}
	if !strings.Contains(page, `region: "Phụng Hiệp"`) {
		t.Errorf("saved page: region not from the headline:\n%s", page)
	}
	// The headline is long: its file name is the slug cut at 80 bytes with
	// a hash of the whole.
	seedFiles, _ := filepath.Glob(filepath.Join(site, "content", "2023", "thanh-pho-nga-bay-phat-dong-cac-cuoc-van-dong-*.md"))
	if len(seedFiles) != 1 || len(filepath.Base(seedFiles[0])) > 83 {
		t.Fatalf("seed 000's file: %v", seedFiles)
	}
	seed := readFile(t, site, strings.TrimPrefix(filepath.ToSlash(seedFiles[0]), filepath.ToSlash(site)+"/"))
	if !strings.Contains(seed, `region: "Ngã Bảy"`) {
		t.Errorf("seed 000: region not through the gazetteer:\n%s", seed)
	}
	word := readFile(t, site, "content/2023/vi-thanh-so-ket-phong-trao-thi-dua-nam-2023.md")
	if !strings.Contains(word, "(/images/2023/vi-thanh-so-ket-phong-trao-thi-dua-nam-2023/image1.png)\n*Trao giấy khen cho các tập thể.*") {
		t.Errorf("Word file:\n%s", word)
	}

	dest := filepath.Join(t.TempDir(), "public")
	if code, out, errOut := run("build", "--source", site, "--drafts", "--dest", dest); code != 0 || !strings.Contains(out, "built 11 articles") {
		t.Fatalf("imported site does not build: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := run("check", "--source", site, "--drafts"); code != 0 {
		t.Errorf("imported site fails check: %s", errOut)
	}

	// Again: every article is recognized, nothing is written.
	before := snapshot(t, site)
	code, out, _ = run("import", "--source", site, seeds, in)
	if code != 0 || strings.Count(out, "-> skipped: already imported as content/") != 10 || !strings.Contains(out, "imported 0, skipped 10, failed 0") {
		t.Errorf("second import: %d\n%s", code, out)
	}
	if len(snapshot(t, site)) != len(before) {
		t.Error("a second import wrote files")
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	site := writeSite(t, map[string]string{})
	in := t.TempDir()
	writeFiles(t, in, map[string][]byte{"tin.html": []byte(savedPage), "tin_files/anh 1.jpg": []byte("x")})
	before := snapshot(t, site)
	code, out, errOut := run("import", "--dry-run", "--source", site, filepath.Join(in, "tin.html"))
	if code != 0 || !strings.Contains(out, "tin.html -> content/2024/phung-hiep-phat-dong-thi-dua-nong-thon-moi-kieu-mau.md\n") ||
		!strings.Contains(out, "would import 1, skipped 0, failed 0") || !strings.Contains(out, "dry run: nothing written") {
		t.Fatalf("%d\n%s\n%s", code, out, errOut)
	}
	if after := snapshot(t, site); len(after) != len(before) {
		t.Errorf("dry run wrote files: %v", after)
	}
}

// The summary counts the fields to review in the singular when there is
// one ("1 field to review", not "1 fields").
func TestImportSummaryCountsOneFieldInTheSingular(t *testing.T) {
	t.Parallel()
	site := writeSite(t, map[string]string{})
	in := t.TempDir()
	// The date is only the lead's day: exactly one field to review.
	writeFiles(t, in, map[string][]byte{"a.txt": []byte("Vị Thanh tuyên dương điển hình tiên tiến\n\n" +
		"Ngày 12-3-2024, UBND thành phố Vị Thanh tổ chức hội nghị tuyên dương 30 tập thể và cá nhân tiêu biểu " +
		"trong phong trào thi đua yêu nước năm 2023, với nhiều cách làm hay, sáng tạo.\n\n" +
		"Hội nghị cũng phát động thi đua năm 2024 tại thành phố Vị Thanh.\n")})
	code, out, errOut := run("import", "--dry-run", "--source", site, in)
	if code != 0 || strings.Count(out, "  review: ") != 1 ||
		!strings.HasSuffix(out, "would import 1, skipped 0, failed 0; 1 field to review (dry run: nothing written)\n") {
		t.Errorf("%d\n%s\n%s", code, out, errOut)
	}
}

// Bad inputs get a message each and exit status 1; good ones beside them
// are imported all the same, and flags may follow the paths.
func TestImportReportsBadInputsAndGoesOn(t *testing.T) {
	t.Parallel()
	site := writeSite(t, map[string]string{})
	in := t.TempDir()
	writeFiles(t, in, map[string][]byte{
		"a-empty.txt":            nil,
		"b-binary.txt":           []byte("GIF89a\x00\x00\x01\x02binary"),
		"c-menu.html":            []byte(`<html><body><ul class="menu"><li><a href="/">Trang chủ</a></li></ul></body></html>`),
		"d-koi8.txt":             []byte("\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2 \xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2 \xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2 \xf0\xd2\xc9\xd7"),
		"e-fake.docx":            []byte("PK\x03\x04 not a zip"),
		"f-good.html":            []byte(savedPage),
		"f-good_files/anh 1.jpg": []byte("x"),
	})
	code, out, _ := run("import", "--source", site, in, "--publish")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"a-empty.txt -> failed: empty file; nothing to import",
		"b-binary.txt -> failed: a binary file, not text",
		"c-menu.html -> failed: no article text found",
		"d-koi8.txt -> failed: cannot tell the encoding",
		"e-fake.docx -> failed: not a Word file (.docx)",
		"f-good.html -> content/2024/",
		"imported 1, skipped 0, failed 5",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	files, _ := filepath.Glob(filepath.Join(site, "content", "2024", "*.md"))
	if len(files) != 1 || !strings.Contains(readFile(t, site, "content/2024/"+filepath.Base(files[0])), "draft: false") {
		t.Errorf("--publish after the paths: %v", files)
	}
	if code, _, errOut := run("import", "--source", site, "--encoding", "latin9", in); code != 2 || !strings.Contains(errOut, `unknown encoding "latin9"`) {
		t.Errorf("bad --encoding: %d %s", code, errOut)
	}
	if code, _, errOut := run("import", "--source", site); code != 2 || !strings.Contains(errOut, "usage: bantin import") {
		t.Errorf("no paths: %d %s", code, errOut)
	}
}

// A site's data/regions.toml adds places the importer then finds; a broken
// one stops the import with its position.
func TestImportUsesTheSitesRegions(t *testing.T) {
	t.Parallel()
	site := writeSite(t, map[string]string{
		"data/regions.toml": "[xa-dai-thanh]\nname = \"Đại Thành\"\nkind = \"xã\"\nparent = \"nga-bay\"\nvalid_to = 2025-06-30\n",
	})
	in := t.TempDir()
	writeFiles(t, in, map[string][]byte{"tin.txt": []byte("Xã Đại Thành ra quân xây dựng nông thôn mới\n\nNgày 12-03-2024\n\n(HG) - Sáng 12-3, xã tổ chức lễ ra quân làm đường giao thông nông thôn, nạo vét kênh mương và trồng hoa trên các tuyến đường ấp.\n")})
	code, out, errOut := run("import", "--source", site, in)
	if code != 0 {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	if got := readFile(t, site, "content/2024/xa-dai-thanh-ra-quan-xay-dung-nong-thon-moi.md"); !strings.Contains(got, `region: "Đại Thành"`) {
		t.Errorf("the site's own place was not used:\n%s", got)
	}
	bad := writeSite(t, map[string]string{"data/regions.toml": "[x]\nname = \"X\"\nkind = \"làng\"\n"})
	code, _, errOut = run("import", "--source", bad, in)
	if code != 1 || !strings.Contains(errOut, "data/regions.toml:3:") {
		t.Errorf("bad regions file: %d %s", code, errOut)
	}
}
