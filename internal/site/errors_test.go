package site_test

import (
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/sitetest"
)

// Each case is a broken site and the exact problems its build reports.
var badInput = []struct {
	name    string
	archive string
	want    []string
}{
	{"broken YAML", `
-- content/a.md --

---
title: Tin A
date: 2024-01-01
region: [Cần Thơ
---
`, []string{`content/a.md:5:9: invalid YAML: sequence end token ']' not found`}},
	{"broken TOML", `
-- content/a.md --
+++
title = "Tin A"
date = "2024-01-01"
region = Cần Thơ
+++
`, []string{`content/a.md:4:10: invalid TOML: expected value but found "Cần" instead`}},
	{"broken JSON", `
-- content/a.md --
{
  "title": "Tin A",
  "date": "2024-01-01"
  "region": "Cần Thơ"
}
`, []string{`content/a.md:4:3: invalid JSON: invalid character '"' after object key:value pair`}},
	{"missing required fields", `
-- content/a.md --
---
title: ""
slogan: Thi đua
---
`, []string{
		`content/a.md:1:1: missing required field "date"`,
		`content/a.md:1:1: missing required field "region"`,
		`content/a.md:2:8: title must not be empty`,
	}},
	{"unparseable date", `
-- content/a.md --
---
title: Tin A
date: 16/02/2023
region: Cần Thơ
---
`, []string{`content/a.md:3:7: date "16/02/2023" is not a date; write 2023-02-16, "2023-02-16 06:26" or 2023-02-16T06:26:00+07:00`}},
	{"unparseable periods", `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
period: năm 2024
---
-- content/b.md --
+++
title = "Tin B"
date = 2024-01-01
region = "Cần Thơ"
[period]
start = "2024-13"
end = "2024-12"
+++
`, []string{
		`content/a.md:5:9: period "năm 2024" is not a period; write "2024", "2022-2023" or a map with start and end like {start: 2024-07, end: 2025-06}`,
		`content/b.md:6:9: period start "2024-13" is not a month or a day; write 2024-07 or 2024-07-15`,
	}},
	{"period ends before it starts", `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
period:
  start: 2025-07
  end: 2024-06
---
-- content/b.md --
---
title: Tin B
date: 2024-01-01
region: Cần Thơ
period: "2025-2023"
---
`, []string{
		`content/a.md:7:8: period ends (2024-06-30) before it starts (2025-07-01)`,
		`content/b.md:5:9: period "2025-2023" ends before it starts`,
	}},
	{"wrong types", `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: 2024
topics: Chuyển đổi số
draft: "yes"
---
`, []string{
		`content/a.md:4:9: region must be a string, not a number; put the value in quotes`,
		`content/a.md:5:9: topics must be a list of strings, not a string; write ["Chuyển đổi số"]`,
		`content/a.md:6:8: draft must be true or false, not a string`,
	}},
	{"unknown key", `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
regoin: Cần Thơ
tags: [x]
---
`, []string{
		`content/a.md:1:1: missing required field "region"`,
		`content/a.md:4:1: unknown field "regoin" in front matter; did you mean "region"?`,
		`content/a.md:5:1: unknown field "tags" in front matter; did you mean "topics"?`,
	}},
	{"invalid UTF-8", "\n-- content/a.md --\n---\ntitle: Tin \xff A\ndate: 2024-01-01\nregion: Cần Thơ\n---\n",
		[]string{`content/a.md:2:12: invalid UTF-8 (byte 0xFF); save the file as UTF-8`}},
	{"UTF-16", "\n-- content/a.md --\n\xff\xfe-\x00-\x00-\x00\n",
		[]string{`content/a.md:1:1: file is UTF-16; save it as UTF-8`}},
	{"empty file", "\n-- content/a.md --\n\n\n",
		[]string{`content/a.md:1:1: empty file; an article starts with front matter giving at least title, date and region`}},
	{"no front matter", "\n-- content/a.md --\n# Tin A\n",
		[]string{`content/a.md:1:1: no front matter; start the file with a line --- (YAML), +++ (TOML) or { (JSON), then title, date and region`}},
	{"unclosed front matter", "\n-- content/a.md --\n\n---\ntitle: Tin A\n",
		[]string{`content/a.md:2:1: front matter opened with "---" is never closed; add a line "---" after the last field`}},
	{"slug collision", `
-- content/2023/Đua thuyền.md --
---
title: "Đua thuyền"
date: 2024-01-01
region: Cần Thơ
---
-- content/2024/dua-thuyen.md --
---
title: "Đua thuyền năm 2024"
date: 2024-01-02
region: Cần Thơ
---
-- content/khac.md --
---
title: Khác
slug: Dua Thuyen
date: 2024-01-03
region: Cần Thơ
---
`, []string{
		`content/2024/dua-thuyen.md:1:1: URL /bai-viet/dua-thuyen/ is also the URL of content/2023/Đua thuyền.md; rename one of the files or give it a different slug in its front matter`,
		`content/khac.md:3:7: URL /bai-viet/dua-thuyen/ is also the URL of content/2023/Đua thuyền.md; rename one of the files or give it a different slug in its front matter`,
	}},
	{"term collision", `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Ấp Thạnh Lợi
---
-- content/b.md --
---
title: Tin B
date: 2024-01-02
region: ap thanh loi
---
`, []string{
		`content/a.md:4:9: region "Ấp Thạnh Lợi" has the same URL /khu-vuc/ap-thanh-loi/ as "ap thanh loi" in content/b.md (content/b.md:4:9); write the name the same way in both`,
	}},
	{"unsafe URLs", `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
source: javascript:alert(1)
image: "data:image/svg+xml,<svg onload=alert(1)>"
---
[xem](khong-co.md)
`, []string{
		`content/a.md:5:9: source "javascript:alert(1)" uses the javascript: scheme; only http and https links are allowed`,
		`content/a.md:6:8: image "data:image/svg+xml,<svg onload=alert(1)>" must not contain spaces, quotes or angle brackets`,
	}},
	{"link to a missing article", `
-- content/2024/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
Đoạn một.

Xem [bài B](b.md).
`, []string{
		`content/2024/a.md:8:5: link to content/2024/b.md, which is not a published article; check the file name (drafts and future articles are not published)`,
	}},
	{"bad site.toml", `
-- site.toml --
title = "T"
base_url = "example.gov.vn"
page_size = "mười"
langauge = "vi"
[paths]
regions = "Khu vực"
-- content/a.md --
`, []string{
		`site.toml:2:12: base_url must be an absolute http or https URL such as "https://example.gov.vn/ban-tin/", not "example.gov.vn"`,
		`site.toml:3:13: page_size must be a whole number, not a string`,
		`site.toml:4:1: unknown field "langauge" in site.toml; did you mean "language"?`,
		`site.toml:6:11: paths.regions must be one URL segment of lowercase ASCII letters, digits and hyphens, like "khu-vuc"`,
	}},
	{"template parse error", `
-- layouts/article.html --
{{define "main"}}
<h1>{{.Article.Title}</h1>
{{end}}
`, []string{`layouts/article.html:2:21: bad character U+007D '}'`}},
	{"template execution error", `
-- content/a.md --
---
title: Tin A
date: 2024-01-01
region: Cần Thơ
---
-- layouts/article.html --
{{define "main"}}
<h1>{{.Article.Headline}}</h1>
{{end}}
`, []string{`layouts/article.html:2:15: executing "main" at <.Article.Headline>: can't evaluate field Headline in type *layout.Article`}},
}

func TestBadInputIsReportedAtItsPosition(t *testing.T) {
	t.Parallel()
	for _, tc := range badInput {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := sitetest.TryBuild(t, tc.archive)
			if err == nil {
				t.Fatal("build succeeded; want errors")
			}
			got := sitetest.Problems(err)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestEveryBadFileIsReportedInOneRun(t *testing.T) {
	t.Parallel()
	var archive strings.Builder
	for _, tc := range badInput[:8] {
		archive.WriteString(strings.ReplaceAll(tc.archive, "content/a.md", "content/"+strings.ReplaceAll(tc.name, " ", "-")+".md"))
	}
	_, err := sitetest.TryBuild(t, archive.String())
	got := sitetest.Problems(err)
	if len(got) < 8 {
		t.Fatalf("one build reported %d problems, want at least 8:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i := 1; i < len(got); i++ {
		if got[i-1] > got[i] && strings.Split(got[i-1], ":")[0] != strings.Split(got[i], ":")[0] {
			t.Errorf("problems not sorted by file: %q before %q", got[i-1], got[i])
		}
	}
}
