package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

const siteTemplate = `# site.toml: settings of a bantin site. Every setting but title and
# base_url has a default; remove a line to use it.

# The site's name, shown in every page's header and title.
title = "Bản tin thi đua"

# One sentence about the site, shown under its name and used as the
# description of pages that have none of their own.
description = "Tin tức phong trào thi đua yêu nước"

# Where the site will be published. Its path part ("/ban-tin/" in
# "https://example.gov.vn/ban-tin/") prefixes every link, so the site works
# under a sub-path of any static web server.
base_url = "https://example.gov.vn/"

# Language of the theme's words: "vi" (Vietnamese) or "en" (English).
language = "vi"

# Time zone of dates written without one (an IANA name).
time_zone = "Asia/Ho_Chi_Minh"

# Articles per list page (home, each region, topic, slogan, period, year).
page_size = 10

# Image that link previews (Facebook, Zalo) show for pages without one of
# their own: a file of static/ or an http(s) URL.
# image = "/images/share.png"

# The places the site is about (names or ids of the map bantin ships): a
# region name that could mean several places prefers those inside them.
# Add places of your own, or aliases, in data/regions.toml.
# region_near = ["Cần Thơ"]

# First URL segments of articles and indexes; one lowercase segment each.
[paths]
articles = "bai-viet"
regions = "khu-vuc"
topics = "chu-de"
slogans = "khau-hieu"
periods = "dot-thi-dua"
years = "nam"
page = "trang"
search = "tim-kiem"

[markdown]
# Let raw HTML in articles through. Off by default: with it on, an article
# can run scripts in readers' browsers.
unsafe_html = false

[limits]
# Content files larger than this many bytes are refused.
max_article_bytes = 5242880

[search]
# Write the static search index and search page.
enabled = true

[feeds]
# Entries per Atom feed, and whether feeds carry whole articles.
limit = 20
full_content = false

# [params]
# Free strings for your own layouts: {{param "phone"}}
# phone = "0293 3 870 000"

# More indexes besides region, topic, slogan, period and year: each gets
# its pages, a menu entry and, if asked, a search filter and feeds. Articles
# then write the key: unit: "Sở Khoa học và Công nghệ".
# [[taxonomies]]
# key = "unit"
# name = "Đơn vị"
# path = "don-vi"
# multiple = false
# facet = true
# feed = true
`

const exampleArticle = `---
title: "Phát động phong trào thi đua năm %[1]d"
date: %[2]s
region: "Hậu Giang"
slogan: "Đoàn kết, sáng tạo, hoàn thành xuất sắc nhiệm vụ"
period: "%[1]d"
topics: ["Thi đua khen thưởng"]
author: "Ban biên tập"
---

Đây là bài viết mẫu. Đoạn văn đầu tiên được dùng làm phần tóm tắt trong
danh sách tin; hãy sửa hoặc xóa bài này rồi viết bài của bạn.

## Nội dung chính

- Mỗi bài là một tệp Markdown trong thư mục content/.
- Phần đầu giữa hai dòng --- ghi tiêu đề, ngày, khu vực, khẩu hiệu, đợt thi đua và chủ đề.
- Chạy bantin serve để xem trước, bantin build để xuất bản vào public/.
`

// runInit creates a new, empty site in dir.
func runInit(args []string, stdout, stderr io.Writer, now time.Time) int {
	if len(args) != 1 || args[0] == "" || args[0][0] == '-' {
		fmt.Fprintln(stderr, "usage: bantin init DIR")
		return 2
	}
	dir := args[0]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "bantin init: %s is not empty; choose a new folder, so that nothing in it is overwritten\n", dir)
		return 1
	} else if err != nil && !os.IsNotExist(err) {
		return report(stderr, err)
	}
	local := now.In(time.FixedZone("ICT", 7*3600))
	files := map[string]string{
		"site.toml": siteTemplate,
		filepath.Join("content", strconv.Itoa(local.Year()), "bai-viet-mau.md"): fmt.Sprintf(exampleArticle, local.Year(), local.Format("2006-01-02 15:04")),
	}
	for _, d := range []string{"content", "layouts", "static"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return report(stderr, err)
		}
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return report(stderr, err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return report(stderr, err)
		}
	}
	fmt.Fprintf(stdout, "created a new site in %s\nnext: cd %s && bantin serve\n", dir, dir)
	return 0
}
