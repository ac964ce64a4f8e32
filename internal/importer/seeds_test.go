package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The five reference bulletins (testdata/seeds, plain text exports of
// provincial portals), with the fields each states, read by hand:
//
//   - 000: headline "Thành phố Ngã Bảy: ...", date line "16/02/2023 | 06:26
//     GMT+7", tag (HG); the campaigns launched are the Cuộc vận động “Cam
//     kết mạnh mẽ, hành động quyết liệt” (first) and the phong trào “Sáng
//     kiến, đổi mới, sáng tạo”; "chuyên đề năm 2022-2023"; byline NGUYỄN LÊ.
//   - 001: no tag; the province is named in the last paragraph (tỉnh Hậu
//     Giang); "khẩu hiệu: “...”"; "được thực hiện từ tháng 7-2024 đến hết
//     ngày 30-6-2025" beside several "nhiệm kỳ" spans; byline TRƯỜNG SƠN.
//   - 002: a page title first ("Chi tiet tin tức - Sở ..."), "Ngày
//     23-06-2020"; the chuyên đề's theme in straight quotes; "năm 2020".
//   - 003: no date at all; duplicated photo captions; quotes name models,
//     not a campaign: the guess is flagged for review.
//   - 004: date line before the headline, tag (CT), several phong trào
//     quoted (the first is the slogan), "Thời gian thi đua từ nay đến hết
//     ngày 30-11-2023" (from the article's date), a name run into the last
//     sentence ("...quý I-2023.HÁI").
var seedWants = []struct {
	file                        string
	title, date, region, slogan string
	period, author              string
	reviewed                    []string // fields that must be flagged
}{
	{"000_210af27f32719a38.txt", "Thành phố Ngã Bảy: Phát động các cuộc vận động, phong trào thực hiện học tập, làm theo Bác",
		"2023-02-16T06:26:00+07:00", "Ngã Bảy", "Cam kết mạnh mẽ, hành động quyết liệt", "2022-01-01..2023-12-31", "Nguyễn Lê", nil},
	{"001_5be87f2476ea8e79.txt", "Thi đua lập thành tích chào mừng đại hội đảng bộ các cấp",
		"2024-07-10T08:15:00+07:00", "Hậu Giang", "Thi đua đoàn kết, đổi mới, sáng tạo thực hiện hoàn thành toàn diện và vượt mức mục tiêu, chỉ tiêu, nhiệm vụ nghị quyết đại hội đảng bộ các cấp",
		"2024-07-01..2025-06-30", "Trường Sơn", []string{"region"}},
	{"002_6b6d3b070183c063.txt", "Hậu Giang phát động phong trào thi đua làm theo gương Bác năm 2020",
		"2020-06-23", "Hậu Giang", "Tăng cường khối đại đoàn kết toàn dân tộc, xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
		"2020-01-01..2020-12-31", "Văn Tải", nil},
	{"003_957e5ca7d7cdd4ef.txt", "Hậu Giang: Hội nghị tổng kết Chuyên đề học tập và làm theo Bác năm 2022-2023",
		"", "Hậu Giang", "Ngày thứ sáu tuần cuối tháng nghe dân nói, nói dân hiểu, làm dân tin", "2022-01-01..2023-12-31", "-", []string{"date", "slogan"}},
	{"004_af93200ff5164a5c.txt", "Phát động đợt thi đua lập thành tích chào mừng kỷ niệm 20 năm TP Cần Thơ trực thuộc Trung ương",
		"2023-01-18 20:43", "Cần Thơ", "Cần Thơ chung sức xây dựng nông thôn mới", "2023-01-18..2023-11-30", "Hái", []string{"period", "author"}},
}

func TestSeedsImportWithTheirFields(t *testing.T) {
	t.Parallel()
	_, root, cfg := newTestSite(t, "")
	results := map[string]Result{}
	var inputs []string
	for _, w := range seedWants {
		inputs = append(inputs, filepath.Join("testdata", "seeds", w.file))
	}
	opts := Options{Site: cfg, Root: root, Gazetteer: testPlaces(), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := Import(context.Background(), opts, inputs, func(r Result) { results[filepath.Base(r.Input)] = r }); err != nil {
		t.Fatal(err)
	}
	for _, w := range seedWants {
		r := results[w.file]
		if r.Err != nil || r.File == "" {
			t.Errorf("%s: %v %s", w.file, r.Err, r.Skipped)
			continue
		}
		got := importedFields(t, root, cfg, r.File)
		src, _ := root.ReadFile(r.File)
		check := func(field, want, got string) {
			if want != got {
				t.Errorf("%s %s = %q, want %q", w.file, field, got, want)
			}
		}
		check("title", w.title, got["title"])
		if w.date != "" {
			check("date", "date: \""+w.date+"\"", frontMatterLine(string(src), "date"))
		}
		check("region", w.region, got["region"])
		check("slogan", w.slogan, got["slogan"])
		check("period", w.period, got["period"])
		check("author", w.author, got["author"])
		for _, field := range w.reviewed {
			found := false
			for _, rv := range r.Review {
				found = found || rv.Field == field
			}
			if !found {
				t.Errorf("%s: %s is not flagged for review: %v", w.file, field, r.Review)
			}
		}
		// No field is repeated in the body, and no chrome is left.
		body := string(src[strings.Index(string(src[4:]), "\n---\n")+9:])
		for _, unwanted := range []string{w.title + "\n", "GMT+7", "Viết bình luận", "Tin cùng chuyên mục", "Xem thêm", "Chia sẻ", "Đang online", "portlet", "Ảnh 1", "Chi tiet tin", "(HG) -", "(CT) -", "NGUYỄN LÊ", "TRƯỜNG SƠN", "\nVăn Tải"} {
			if strings.Contains(body, unwanted) {
				t.Errorf("%s: body still has %q", w.file, unwanted)
			}
		}
	}
	// The photo caption saved twice in 003 is one figure caption.
	src, _ := root.ReadFile(results[seedWants[3].file].File)
	if n := strings.Count(string(src), "Quang cảnh Hội nghị."); n != 1 || !strings.Contains(string(src), "\n*Quang cảnh Hội nghị.*\n") {
		t.Errorf("003: the duplicated caption appears %d times:\n%s", n, src)
	}
}

func frontMatterLine(src, key string) string {
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, key+":") {
			return line
		}
	}
	return ""
}

// Two bulletins with one headline on different days get two files; the
// second never replaces the first, and an existing file is never touched.
func TestSameHeadlineNeverOverwrites(t *testing.T) {
	t.Parallel()
	dir, root, cfg := newTestSite(t, "")
	existing := filepath.Join(dir, "content", "2023", "tong-ket-thi-dua-nam-2023.md")
	if err := os.MkdirAll(filepath.Dir(existing), 0o755); err != nil {
		t.Fatal(err)
	}
	const mine = "not front matter: the editor's own file\n"
	if err := os.WriteFile(existing, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	body := "\n\n(HG) - UBND tỉnh tổ chức hội nghị tổng kết phong trào thi đua yêu nước năm 2023, biểu dương các tập thể và cá nhân tiêu biểu trong toàn tỉnh.\n"
	for i, day := range []string{"05/12/2023", "20/12/2023"} {
		name := filepath.Join(in, string(rune('a'+i))+".txt")
		if err := os.WriteFile(name, []byte("Tổng kết thi đua năm 2023\n\n"+day+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var files []string
	_, err := Import(context.Background(), Options{Site: cfg, Root: root, Gazetteer: testPlaces()}, []string{in}, func(r Result) {
		if r.Err != nil {
			t.Error(r.Err)
		}
		files = append(files, r.File)
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(files, " ") != "content/2023/tong-ket-thi-dua-nam-2023-2.md content/2023/tong-ket-thi-dua-nam-2023-3.md" {
		t.Errorf("files: %v", files)
	}
	if b, _ := os.ReadFile(existing); string(b) != mine {
		t.Errorf("the existing file changed: %q", b)
	}
}
