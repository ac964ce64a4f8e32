package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
)

var hcm = time.FixedZone("ICT", 7*3600)

// Every date shape portals print, as a line of its own.
func TestDateLineShapes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line string
		want string // the front-matter spelling
	}{
		{"16/02/2023 | 06:26 GMT+7", "2023-02-16T06:26:00+07:00"},
		{"Ngày 23-06-2020", "2020-06-23"},
		{"18/01/2023 - 20:43", "2023-01-18 20:43"},
		{"Thứ Năm, 16/2/2023", "2023-02-16"},
		{"16/02/2023 06:26", "2023-02-16 06:26"},
		{"2023-02-16", "2023-02-16"},
		{"2023-02-16T06:26:00+07:00", "2023-02-16T06:26:00+07:00"},
		{"ngày 16 tháng 2 năm 2023", "2023-02-16"},
		{"Cập nhật: 16/02/2023 06:26", "2023-02-16 06:26"},
		{"Cập nhật lúc 06:26, Thứ Năm, 16/02/2023", "2023-02-16 06:26"},
		{"08:30 | 21/11/2024", "2024-11-21 08:30"},
		{"Thứ năm, 16/02/2023, 06:26 (GMT+07:00)", "2023-02-16T06:26:00+07:00"},
		{"Ngày đăng: 16-02-2023 06:26:45 PM", "2023-02-16 18:26"},
		{"Thứ 5, 16.02.2023 - 06h26", "2023-02-16 06:26"},
		{"Chủ nhật, 05/03/2023 10:15 (UTC+7)", "2023-03-05T10:15:00+07:00"},
		{"Cần Thơ, ngày 3 tháng 4 năm 2024", "2024-04-03"},
		{"Nguyễn Lê - 16/02/2023 06:26", "2023-02-16 06:26"},
		{"Thứ Năm, 16/02/2023 - 06:26 | Lượt xem: 1.250", "2023-02-16 06:26"},
		{"16/02/2023 | TRƯỜNG SƠN", "2023-02-16"},
	} {
		st, ok := dateLine(c.line, hcm)
		if !ok {
			t.Errorf("%q: not read as a date line", c.line)
			continue
		}
		if got := st.frontMatter(); got != c.want {
			t.Errorf("%q = %s, want %s", c.line, got, c.want)
		}
	}
	for _, line := range []string{
		"Ngày 23-06-2020, UBND tỉnh ban hành kế hoạch phát động thi đua trong toàn tỉnh.",
		"31/02/2023",
		"Kế hoạch số 97/KH-UBND",
		"16/02/2023 - Hội nghị tổng kết thi đua",
	} {
		if st, ok := dateLine(line, hcm); ok {
			t.Errorf("%q read as a date line: %s", line, st.frontMatter())
		}
	}
}

// Every period shape, with the front matter it becomes.
func TestPeriodShapes(t *testing.T) {
	t.Parallel()
	published := content.Day{Year: 2023, Month: 1, Day: 18}
	for _, c := range []struct {
		text string
		want string
	}{
		{"thực hiện chuyên đề năm 2022-2023 về học tập", "2022-2023"},
		{"Đợt thi đua được thực hiện từ tháng 7-2024 đến hết ngày 30-6-2025.", `{start: "2024-07", end: "2025-06-30"}`},
		{"kỷ niệm 20 năm TP Cần Thơ trực thuộc Trung ương (2/1/2004-2/1/2024).", `{start: "2004-01-02", end: "2024-01-02"}`},
		{"các chỉ tiêu giai đoạn 2021-2025 của thành phố", "2021-2025"},
		{"phong trào thi đua năm 2024", "2024"},
		{"Thời gian thi đua từ nay đến hết ngày 30-11-2023;", `{start: "2023-01-18", end: "2023-11-30"}`},
		{"Thời gian thực hiện từ ngày 15/5/2023 đến ngày 30/9/2023.", `{start: "2023-05-15", end: "2023-09-30"}`},
		{"Phong trào diễn ra từ ngày 15/5 đến ngày 30/9/2023.", `{start: "2023-05-15", end: "2023-09-30"}`},
		{"Đợt thi đua kéo dài từ tháng 8-2024 đến tháng 12-2024.", `{start: "2024-08", end: "2024-12"}`},
		{"được triển khai từ tháng 3 đến tháng 9 năm 2024", `{start: "2024-03", end: "2024-09"}`},
		{"thi đua từ năm 2021 đến năm 2025", "2021-2025"},
		{"Kế hoạch thi đua giai đoạn 2022 – 2025", "2022-2025"},
		{"Thời gian thi đua từ nay đến hết năm 2025.", `{start: "2023-01-18", end: "2025-12-31"}`},
	} {
		cands := findPeriods(c.text, published)
		if len(cands) == 0 {
			t.Errorf("%q: no period found", c.text)
			continue
		}
		best := cands[0]
		for _, p := range cands[1:] {
			if p.score > best.score {
				best = p
			}
		}
		if got, _ := best.span.frontMatter(); got != c.want {
			t.Errorf("%q = %s, want %s", c.text, got, c.want)
		}
	}
}

// The stated campaign time outweighs terms of office and anniversaries.
func TestPeriodPrefersTheCampaignsOwnTime(t *testing.T) {
	t.Parallel()
	a := &article{title: "Thi đua chào mừng đại hội đảng bộ các cấp", date: stamp{t: time.Date(2024, 7, 10, 8, 15, 0, 0, hcm)}}
	blocks := readText("UBND tỉnh phát động đợt thi đua chào mừng đại hội đảng bộ các cấp nhiệm kỳ 2025-2030.\n\n" +
		"Đợt thi đua phấn đấu hoàn thành các chỉ tiêu nhiệm kỳ 2020-2025 và kế hoạch 5 năm 2021-2025.\n\n" +
		"Đợt thi đua đặc biệt chào mừng đại hội đảng bộ các cấp nhiệm kỳ 2025-2030 được thực hiện từ tháng 7-2024 đến hết ngày 30-6-2025.")
	a.findPeriod(blocks, 0)
	if a.period == nil {
		t.Fatal("no period")
	}
	if got, _ := a.period.frontMatter(); got != `{start: "2024-07", end: "2025-06-30"}` {
		t.Fatalf("period = %s", got)
	}
	if len(a.reviews) != 0 {
		t.Fatalf("a stated period needs no review: %v", a.reviews)
	}
}

func TestSloganPicksTheLaunchedCampaign(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		title, text string
		want        string
	}{
		{"Phát động thi đua", "Đợt thi đua với khẩu hiệu: “Đoàn kết, sáng tạo, về đích sớm”. Ông A nói “chúng tôi sẽ cố gắng hết sức để hoàn thành nhiệm vụ”, ông nói.", "Đoàn kết, sáng tạo, về đích sớm"},
		{"Phát động phong trào “Chung sức xây dựng nông thôn mới”", "Tổ chức các hoạt động “Uống nước nhớ nguồn” trong tháng 7.", "Chung sức xây dựng nông thôn mới"},
		{"Hội nghị", "Tổ chức hoạt động “Uống nước nhớ nguồn”; tiếp tục các phong trào thi đua “Doanh nghiệp hội nhập và phát triển”.", "Doanh nghiệp hội nhập và phát triển"},
		{"Tuyên dương", "Trao danh hiệu “Chiến sĩ thi đua cơ sở” cho 12 cá nhân; hưởng ứng cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam”.", "Người Việt Nam ưu tiên dùng hàng Việt Nam"},
		{"Hội nghị", "Ông B cho biết: “Tôi đề nghị mỗi cơ quan, đơn vị, địa phương chủ động phát hiện và biểu dương kịp thời các tập thể tiêu biểu”, Chủ tịch UBND tỉnh yêu cầu.", ""},
	} {
		a := &article{title: c.title}
		a.findSlogan(readText(c.text), 0)
		if a.slogan != c.want {
			t.Errorf("%q: slogan %q, want %q", c.text, a.slogan, c.want)
		}
	}
}

func TestBylines(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ line, want string }{
		{"NGUYỄN LÊ", "Nguyễn Lê"},
		{"Văn Tải", "Văn Tải"},
		{"Bài, ảnh: Thạch Hoàng", "Thạch Hoàng"},
		{"TIN, ẢNH: THU HIỀN", "Thu Hiền"},
		{"Tác giả: Minh Tâm", "Minh Tâm"},
		{"Hoàng Nam (tổng hợp)", "Hoàng Nam"},
		{"MINH TÂM - THU HÀ", "Minh Tâm - Thu Hà"},
	} {
		if got, ok := byline(c.line); !ok || got != c.want {
			t.Errorf("%q = %q, %v; want %q", c.line, got, ok, c.want)
		}
	}
	for _, line := range []string{"Quang cảnh hội nghị.", "Theo Báo Hậu Giang", "Viết bình luận mới", "Các đại biểu dự hội nghị tổng kết năm 2023"} {
		if got, ok := byline(line); ok {
			t.Errorf("%q read as the byline %q", line, got)
		}
	}
	rest, name, ok := gluedByline("các cơ quan tổ chức phát động vào quý I-2023.HÁI")
	if !ok || name != "Hái" || rest != "các cơ quan tổ chức phát động vào quý I-2023." {
		t.Errorf("glued byline: %q %q %v", rest, name, ok)
	}
}

func TestSiteNamesAreStrippedFromTitles(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"Hậu Giang phát động thi đua - Báo Hậu Giang", "Hậu Giang phát động thi đua"},
		{"Ngã Bảy tuyên dương điển hình | Cổng thông tin điện tử tỉnh Hậu Giang", "Ngã Bảy tuyên dương điển hình"},
		{"Cần Thơ: Thi đua 20 năm - Kinh tế - xã hội", "Cần Thơ: Thi đua 20 năm - Kinh tế - xã hội"},
		{"Chi tiết tin: Sóc Trăng phát động thi đua", "Sóc Trăng phát động thi đua"},
	} {
		if got := stripSiteName(c.in); got != c.want {
			t.Errorf("%q = %q, want %q", c.in, got, c.want)
		}
	}
	if !isPageTitle("Chi tiet tin tức - Sở Khoa học công nghệ") {
		t.Error("a page title was not recognized")
	}
}

func TestIssuingBody(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lead, want string }{
		{"UBND tỉnh vừa ban hành Kế hoạch phát động đợt thi đua.", "UBND tỉnh"},
		{"Nhằm thực hiện tốt chuyên đề “Về phát huy nội lực”, Ban Thường vụ Thành ủy Ngã Bảy vừa phát động các cuộc vận động.", "Ban Thường vụ Thành ủy Ngã Bảy"},
		{"Sáng 5-3, Hội nghị tổng kết được tổ chức tại hội trường; Hội Nông dân tỉnh đã phát động phong trào.", "Hội Nông dân tỉnh"},
	} {
		if got := issuingBody(c.lead); got != c.want {
			t.Errorf("%q = %q, want %q", c.lead, got, c.want)
		}
	}
}

func TestMarkdownEscapesTextAndNeverEmitsHTML(t *testing.T) {
	t.Parallel()
	got := renderBody([]block{
		{kind: blockPara, text: "1. Điều *quan trọng* là <b>thi đua</b> & [link]"},
		{kind: blockPara, text: "# không phải tiêu đề"},
		{kind: blockCaption, text: "Quang cảnh Hội nghị."},
		{kind: blockImage, image: "a.jpg", caption: "Ảnh hội nghị"},
	}, func(s string) string { return "/images/" + s })
	want := "1\\. Điều \\*quan trọng\\* là \\<b\\>thi đua\\</b\\> & \\[link\\]\n\n\\# không phải tiêu đề\n\n*Quang cảnh Hội nghị.*\n\n![Ảnh hội nghị](/images/a.jpg)\n*Ảnh hội nghị*\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(got, "<b>") {
		t.Fatal("raw HTML in the body")
	}
}

// The headline is found among chrome in every arrangement exports use.
func TestHeadlineAmongChrome(t *testing.T) {
	t.Parallel()
	const title = "Hậu Giang phát động thi đua chào mừng đại hội"
	const lead = "(HG) - UBND tỉnh vừa ban hành kế hoạch phát động thi đua chào mừng đại hội đảng bộ các cấp, với nhiều nội dung thiết thực, hướng về cơ sở."
	for _, text := range []string{
		title + "\n\n16/02/2023\n\n" + lead,
		"16/02/2023\n\n" + title + "\n\n" + lead,
		"Chi tiết tin - Cổng TTĐT tỉnh Hậu Giang\n\nTrang chủ > Tin tức > Thi đua\n\n" + title + "\n\nNgày 16-02-2023\n\n" + lead,
		"Thi đua - Khen thưởng\n\n" + title + "\n\n" + lead,
		"Thi đua - Khen thưởng\n\nThứ Năm, 16/2/2023\n\n" + title + "\n\n" + lead,
	} {
		a, err := extract(&document{blocks: readText(text)}, &env{loc: hcm, tags: sourceTags{"HG": "Hậu Giang"}})
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if a.title != title {
			t.Errorf("%q: title %q", text, a.title)
		}
		if len(a.body) != 1 || !strings.HasPrefix(a.body[0].text, "UBND tỉnh") {
			t.Errorf("%q: body %v", text, a.body)
		}
	}
}

// A site that declares a unit taxonomy gets the issuing body filled in.
func TestDeclaredUnitIsFilled(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse([]byte("title = \"T\"\nbase_url = \"https://example.gov.vn/\"\n[[taxonomies]]\nkey = \"unit\"\nname = \"Đơn vị\"\npath = \"don-vi\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	fields := DeclaredFields(&cfg)
	if len(fields) != 1 || fields[0] != "unit" {
		t.Fatalf("declared fields: %v", fields)
	}
	text := "Thi đua chào mừng đại hội\n\n10/07/2024 | 08:15 GMT+7\n\nUBND tỉnh vừa ban hành Kế hoạch phát động đợt thi đua đặc biệt lập thành tích chào mừng đại hội đảng bộ các cấp nhiệm kỳ 2025-2030."
	for _, unit := range []bool{true, false} {
		a, err := extract(&document{blocks: readText(text)}, &env{loc: hcm, unit: unit})
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if unit {
			want = "UBND tỉnh"
		}
		if a.unit != want {
			t.Errorf("unit declared %v: %q", unit, a.unit)
		}
		if fm := frontMatter(a, unit, true); strings.Contains(fm, "unit:") != unit {
			t.Errorf("front matter with unit declared %v:\n%s", unit, fm)
		}
	}
}
