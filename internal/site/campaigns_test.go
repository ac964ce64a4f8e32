package site_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/sitetest"
)

// campaignsSite has campaigns that ended long ago, ended recently, are
// ongoing and are upcoming as of sitetest.Now (21 November 2026), under a
// sub-path, with a declared unit.
const campaignsSite = `
-- site.toml --
title = "Bản tin"
base_url = "https://example.gov.vn/ban-tin/"
[[taxonomies]]
key = "unit"
name = "Đơn vị"
-- content/a.md --
---
title: Đợt thi đua năm 2024
date: 2024-03-01
region: Hậu Giang
slogan: Khẩu hiệu một
period: "2024"
unit: Sở Nội vụ
---
-- content/b.md --
---
title: Đợt thi đua nửa đầu năm 2026
date: 2026-02-01
region: Cần Thơ
slogan: Khẩu hiệu hai
period: {start: 2026-01, end: 2026-06}
---
-- content/c.md --
---
title: Đợt thi đua năm 2026 ở Cần Thơ
date: 2026-03-01
region: Cần Thơ
slogan: Khẩu hiệu ba
period: "2026"
unit: UBND thành phố
---
-- content/d.md --
---
title: Kế hoạch thi đua năm 2027
date: 2026-11-01
region: Cần Thơ
slogan: Khẩu hiệu bốn
period: "2027"
---
-- content/e.md --
---
title: Đợt thi đua năm 2026 ở Ngã Bảy
date: 2026-04-01
region: Ngã Bảy
slogan: Khẩu hiệu ba
period: "2026"
unit: UBND phường
---
-- content/f.md --
---
title: Tin không thuộc đợt nào
date: 2026-05-01
region: Cần Thơ
---
`

func badge(status, start, end, label string) string {
	return `<span class="badge status" data-status="` + status + `" data-start="` + start + `" data-end="` + end + `">` + label + `</span>`
}

// TestCampaignStatusesAsOfTheBuild: every article with a period shows the
// status of its campaign as of the build, with its dates, on its page and
// on its cards; the home page shows the ongoing campaigns, then the
// upcoming ones, then those that ended in the last six months.
func TestCampaignStatusesAsOfTheBuild(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, campaignsSite)
	ended := badge("ended", "2024-01-01", "2024-12-31", "Đã kết thúc")
	ongoing := badge("ongoing", "2026-01-01", "2026-12-31", "Đang diễn ra")
	upcoming := badge("upcoming", "2027-01-01", "2027-12-31", "Sắp diễn ra")
	r.Assert("bai-viet/a/index.html", `<a href="/ban-tin/dot-thi-dua/2024/">2024</a> <span class="span">01/01/2024 – 31/12/2024</span> `+ended+`</dd>`)
	r.Assert("bai-viet/c/index.html", `<span class="span">01/01/2026 – 31/12/2026</span> `+ongoing)
	r.Assert("bai-viet/d/index.html", `<span class="span">01/01/2027 – 31/12/2027</span> `+upcoming)
	r.Assert("bai-viet/f/index.html", "! <dt>Đợt thi đua</dt>")
	// Cards: lists and related articles.
	r.Assert("nam/2024/index.html", " · "+ended)
	r.Assert("khu-vuc/can-tho/index.html", " · "+upcoming, " · "+ongoing, " · "+badge("ended", "2026-01-01", "2026-06-30", "Đã kết thúc"))

	home := r.File("index.html")
	box := regexp.MustCompile(`(?s)<section class="ongoing".*?</section>`).FindString(home)
	var order []string
	for _, m := range regexp.MustCompile(`class="slogan" href="[^"]*">“([^”]*)”`).FindAllStringSubmatch(box, -1) {
		order = append(order, m[1])
	}
	if want := []string{"Khẩu hiệu ba", "Khẩu hiệu bốn", "Khẩu hiệu hai"}; !slices.Equal(order, want) {
		t.Errorf("home campaigns %v, want %v:\n%s", order, want, box)
	}
	for _, want := range []string{"<h2 id=\"phong-trao\">Phong trào thi đua</h2>", ongoing, upcoming, `<span class="span">(01/01/2026 – 30/06/2026)</span>`} {
		if !strings.Contains(box, want) {
			t.Errorf("home campaigns lack %s:\n%s", want, box)
		}
	}
	// The status script comes with the statuses, under the sub-path.
	script := `<script src="/ban-tin/js/bantin-status.js" data-time-zone="Asia/Ho_Chi_Minh" data-label-upcoming="Sắp diễn ra" data-label-ongoing="Đang diễn ra" data-label-ended="Đã kết thúc" defer></script>`
	for _, page := range []string{"index.html", "bai-viet/a/index.html", "dot-thi-dua/index.html", "dot-thi-dua/2026/index.html", "khu-vuc/can-tho/index.html"} {
		r.Assert(page, script)
	}
	for _, page := range []string{"tim-kiem/index.html", "404.html", "chu-de/index.html", "khu-vuc/index.html"} {
		r.Assert(page, "! bantin-status.js")
	}
	r.Assert("js/bantin-status.js", "Asia/Ho_Chi_Minh", "data-start")
}

// TestPeriodPageShowsItsCampaign: a period's page shows its span and
// status, the slogans launched in it and the regions and units that took
// part, linked with their counts, and its bulletins newest first.
func TestPeriodPageShowsItsCampaign(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, campaignsSite)
	page := r.File("dot-thi-dua/2026/index.html")
	r.Assert("dot-thi-dua/2026/index.html",
		`<div><dt>Thời gian</dt><dd>01/01/2026 – 31/12/2026</dd></div>`,
		`<div><dt>Tình trạng</dt><dd>`+badge("ongoing", "2026-01-01", "2026-12-31", "Đang diễn ra")+`</dd></div>`,
		`<div><dt>Khẩu hiệu phát động</dt><dd><ul class="tags"><li><a href="/ban-tin/khau-hieu/khau-hieu-ba/">“Khẩu hiệu ba”</a> <span class="count">2 bài viết</span></li></ul></dd></div>`,
		`<div><dt>Khu vực</dt><dd><ul class="tags"><li><a href="/ban-tin/khu-vuc/can-tho/">Cần Thơ</a> <span class="count">1 bài viết</span></li><li><a href="/ban-tin/khu-vuc/phuong-nga-bay/">Ngã Bảy</a> <span class="count">1 bài viết</span></li></ul></dd></div>`,
		`<div><dt>Đơn vị</dt><dd><ul class="tags"><li><a href="/ban-tin/unit/ubnd-phuong/">UBND phường</a> <span class="count">1 bài viết</span></li><li><a href="/ban-tin/unit/ubnd-thanh-pho/">UBND thành phố</a> <span class="count">1 bài viết</span></li></ul></dd></div>`,
		"! Khẩu hiệu hai", "! Sở Nội vụ")
	if got := cardLinks(page); !slices.Equal(got, []string{"/ban-tin/bai-viet/e/", "/ban-tin/bai-viet/c/"}) {
		t.Errorf("period 2026 lists %v", got)
	}
	r.Assert("dot-thi-dua/2027/index.html", `<dd>`+badge("upcoming", "2027-01-01", "2027-12-31", "Sắp diễn ra")+`</dd>`)
	// Other taxonomies' pages have no campaign.
	r.Assert("khau-hieu/khau-hieu-ba/index.html", "! Tình trạng")
}

// TestPeriodsAndYearsRunNewestFirstWithTheirCharts: the periods index
// lists the periods newest first with their spans and statuses, above a
// timeline of one linked bar per period on a time axis of years; the years
// index lists the years newest first under a bar chart of the bulletins
// per year, with the numbers and accessible names; the search filters
// list both newest first.
func TestPeriodsAndYearsRunNewestFirstWithTheirCharts(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, campaignsSite)
	periods := r.File("dot-thi-dua/index.html")
	var order []string
	for _, m := range regexp.MustCompile(`<li><a href="/ban-tin/dot-thi-dua/([^/]+)/">`).FindAllStringSubmatch(periods, -1) {
		order = append(order, m[1])
	}
	if want := []string{"2027", "2026", "2026-01-2026-06", "2024"}; !slices.Equal(order, want) {
		t.Errorf("periods in order %v, want %v", order, want)
	}
	r.Assert("dot-thi-dua/index.html",
		`<li><a href="/ban-tin/dot-thi-dua/2026-01-2026-06/">01/2026–06/2026</a> <span class="count">1 bài viết</span> <span class="span">01/01/2026 – 30/06/2026</span> `+badge("ended", "2026-01-01", "2026-06-30", "Đã kết thúc")+`</li>`,
		`<div class="chart" role="region" aria-label="Dòng thời gian các đợt thi đua" tabindex="0"><svg class="timeline-chart"`,
		`role="group" aria-label="Dòng thời gian các đợt thi đua"`)
	svg := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindString(periods)
	var bars []string
	for _, m := range regexp.MustCompile(`<a class="bar" href="([^"]+)" data-status="([a-z]+)"`).FindAllStringSubmatch(svg, -1) {
		bars = append(bars, m[1]+" "+m[2])
	}
	want := []string{"/ban-tin/dot-thi-dua/2027/ upcoming", "/ban-tin/dot-thi-dua/2026/ ongoing", "/ban-tin/dot-thi-dua/2026-01-2026-06/ ended", "/ban-tin/dot-thi-dua/2024/ ended"}
	if !slices.Equal(bars, want) {
		t.Errorf("timeline bars %v, want %v", bars, want)
	}
	for _, year := range []string{">2024</text>", ">2025</text>", ">2026</text>", ">2027</text>"} {
		if !strings.Contains(svg, year) {
			t.Errorf("timeline axis lacks %s", year)
		}
	}
	if !strings.Contains(svg, `2026 · <tspan class="status" data-status="ongoing" data-start="2026-01-01" data-end="2026-12-31">Đang diễn ra</tspan>`) {
		t.Errorf("timeline bar of 2026 has no name and status:\n%s", svg)
	}
	// The 2026 bar spans exactly the year 2026 of the axis.
	if !regexp.MustCompile(`href="/ban-tin/dot-thi-dua/2026/"[^>]*><rect x="200" y="\d+" width="96"`).MatchString(svg) {
		t.Errorf("the bar of 2026 is not where 2026 is:\n%s", svg)
	}

	years := r.File("nam/index.html")
	order = nil
	for _, m := range regexp.MustCompile(`<li><a href="/ban-tin/nam/(\d+)/">`).FindAllStringSubmatch(years, -1) {
		order = append(order, m[1])
	}
	if !slices.Equal(order, []string{"2026", "2024"}) {
		t.Errorf("years in order %v", order)
	}
	r.Assert("nam/index.html",
		`<div class="chart" role="region" aria-label="Số bài viết theo năm" tabindex="0"><svg class="year-chart"`,
		`<a href="/ban-tin/nam/2024/" aria-label="2024: 1 bài viết">`,
		`<g role="img" aria-label="2025: 0 bài viết">`,
		`<a href="/ban-tin/nam/2026/" aria-label="2026: 5 bài viết">`,
		`<text class="value" x="138" y="16" aria-hidden="true">5</text>`)
	r.Assert("tim-kiem/chi-muc/manifest.json",
		`{"key":"period","label":"Đợt thi đua","multiple":false,"values":["2027","2026","01/2026–06/2026","2024"]}`,
		`{"key":"year","label":"Năm","multiple":false,"values":["2026","2024"]}`)
	r.Assert("chu-de/index.html", "! <svg")
}

// TestCampaignStringsInEnglish: an English site says Upcoming, Ongoing and
// Ended, with English dates.
func TestCampaignStringsInEnglish(t *testing.T) {
	t.Parallel()
	r := sitetest.Build(t, strings.Replace(campaignsSite, "[[taxonomies]]", "language = \"en\"\n[[taxonomies]]", 1))
	r.Assert("bai-viet/c/index.html", `<span class="span">1 Jan 2026 – 31 Dec 2026</span> `+badge("ongoing", "2026-01-01", "2026-12-31", "Ongoing"))
	r.Assert("bai-viet/d/index.html", badge("upcoming", "2027-01-01", "2027-12-31", "Upcoming"))
	r.Assert("bai-viet/a/index.html", badge("ended", "2024-01-01", "2024-12-31", "Ended"))
	r.Assert("index.html", "<h2 id=\"phong-trao\">Campaigns</h2>", `data-label-upcoming="Upcoming" data-label-ongoing="Ongoing" data-label-ended="Ended"`)
	r.Assert("dot-thi-dua/index.html", `aria-label="Timeline of the campaign periods"`)
	r.Assert("nam/index.html", `aria-label="2026: 5 articles"`)
	r.Assert("khu-vuc/hau-giang/index.html", "(merged into Cần Thơ on 1 Jul 2025)", "! từ")
}
