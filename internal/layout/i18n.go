package layout

import (
	"fmt"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/vi"
)

// strings holds the theme's UI text per language. Vietnamese is the default.
// A key ending in "_one" is the key's text for a count of 1, in languages
// whose nouns have a singular ("1 article", not "1 articles"); t uses it
// when its only argument is 1.
var uiStrings = map[vi.Language]map[string]string{
	vi.Vietnamese: {
		"home":               "Trang chủ",
		"region":             "Khu vực",
		"topic":              "Chủ đề",
		"slogan":             "Khẩu hiệu",
		"period":             "Đợt thi đua",
		"year":               "Năm",
		"regions":            "Khu vực",
		"topics":             "Chủ đề",
		"slogans":            "Khẩu hiệu",
		"periods":            "Đợt thi đua",
		"years":              "Năm",
		"search":             "Tìm kiếm",
		"ongoing":            "Đang diễn ra",
		"ongoing_heading":    "Phong trào đang diễn ra",
		"latest":             "Tin mới nhất",
		"related":            "Tin liên quan",
		"author":             "Tác giả",
		"source":             "Nguồn",
		"source_link":        "Xem bản gốc",
		"published":          "Đăng lúc",
		"skip":               "Bỏ qua, đến nội dung chính",
		"breadcrumb":         "Đường dẫn",
		"main_nav":           "Danh mục chính",
		"pagination":         "Phân trang",
		"newer":              "Mới hơn",
		"older":              "Cũ hơn",
		"newest":             "Mới nhất",
		"oldest":             "Cũ nhất",
		"page_n":             "Trang %d",
		"articles":           "%d bài viết",
		"no_articles":        "Chưa có bài viết nào.",
		"not_found":          "Không tìm thấy trang",
		"not_found_body":     "Trang bạn tìm không có hoặc đã được chuyển đi. Hãy thử tìm kiếm hoặc xem các danh mục dưới đây.",
		"all_terms":          "Tất cả %s",
		"read_more":          "Đọc tiếp",
		"contents":           "Nội dung chính",
		"campaign_period":    "Thời gian",
		"footer":             "Trang tin được tạo bởi bantin.",
		"feed":               "Theo dõi tin mới qua Atom",
		"all_articles":       "Tất cả bài viết",
		"draft":              "Bản nháp",
		"draft_note":         "Bài này chưa được xuất bản: chỉ hiện khi xem trước (bantin serve) hoặc khi dựng với --drafts. Xóa dòng draft: true để xuất bản.",
		"search_label":       "Từ khóa tìm kiếm",
		"search_placeholder": "Tìm bản tin…",
		"search_noscript":    "Trang tìm kiếm cần JavaScript. Bạn vẫn có thể xem tin theo khu vực, chủ đề, khẩu hiệu, đợt thi đua và năm trong danh mục ở trên.",
		"facets":             "Lọc kết quả",
		"more_results":       "Xem thêm kết quả",
		"search_prompt":      "Nhập từ khóa, có dấu hoặc không dấu, ví dụ: thi dua, Ngã Bảy.",
		"search_found":       "Tìm thấy %d kết quả.",
		"search_loading":     "Đang tìm…",
		"search_no_words":    "Từ khóa không có từ nào để tìm: hãy nhập chữ hoặc số (từ quá dài không được tra cứu).",
		"search_none":        "Không có kết quả phù hợp. Hãy thử bớt từ khóa hoặc bỏ bộ lọc.",
		"search_error":       "Không tải được dữ liệu tìm kiếm. Hãy tải lại trang hoặc thử lại sau.",
		"facet_all":          "Tất cả",
		"facet_region":       "Khu vực",
		"facet_topic":        "Chủ đề",
		"facet_year":         "Năm",
		"facet_period":       "Đợt thi đua",
		"upcoming":           "Sắp diễn ra",
		"ended":              "Đã kết thúc",
		"campaigns_heading":  "Phong trào thi đua",
		"campaign_status":    "Tình trạng",
		"campaign_slogans":   "Khẩu hiệu phát động",
		"campaign_parts":     "Tham gia",
		"timeline":           "Dòng thời gian các đợt thi đua",
		"year_chart":         "Số bài viết theo năm",
		"part_of":            "Thuộc",
		"places_inside":      "Khu vực trực thuộc",
		"place_since":        "từ %s",
		"place_until":        "đến %s",
		"place_merged":       "sáp nhập vào %s từ %s",
		"other_regions":      "Khác",
		"redirect_title":     "Trang đã chuyển",
		"redirect_body":      "Trang này đã chuyển đến",
	},
	vi.English: {
		"home":               "Home",
		"region":             "Region",
		"topic":              "Topic",
		"slogan":             "Slogan",
		"period":             "Campaign period",
		"year":               "Year",
		"regions":            "Regions",
		"topics":             "Topics",
		"slogans":            "Slogans",
		"periods":            "Campaign periods",
		"years":              "Years",
		"search":             "Search",
		"ongoing":            "Ongoing",
		"ongoing_heading":    "Ongoing campaigns",
		"latest":             "Latest news",
		"related":            "Related news",
		"author":             "Author",
		"source":             "Source",
		"source_link":        "Read the original",
		"published":          "Published",
		"skip":               "Skip to main content",
		"breadcrumb":         "Breadcrumb",
		"main_nav":           "Main menu",
		"pagination":         "Pagination",
		"newer":              "Newer",
		"older":              "Older",
		"newest":             "Newest",
		"oldest":             "Oldest",
		"page_n":             "Page %d",
		"articles":           "%d articles",
		"articles_one":       "%d article",
		"no_articles":        "No articles yet.",
		"not_found":          "Page not found",
		"not_found_body":     "The page you are looking for does not exist or has moved. Try a search, or browse the indexes below.",
		"all_terms":          "All %s",
		"read_more":          "Read more",
		"contents":           "Contents",
		"campaign_period":    "Period",
		"footer":             "Built with bantin.",
		"feed":               "Follow new articles (Atom feed)",
		"all_articles":       "All articles",
		"draft":              "Draft",
		"draft_note":         "This article is not published: it shows only in the preview (bantin serve) or in builds with --drafts. Remove the line draft: true to publish it.",
		"search_label":       "Search terms",
		"search_placeholder": "Search bulletins…",
		"search_noscript":    "Search needs JavaScript. You can still browse news by region, topic, slogan, campaign period and year in the menu above.",
		"facets":             "Filter results",
		"more_results":       "More results",
		"search_prompt":      "Type a few words, with or without diacritics, e.g. thi dua, Ngã Bảy.",
		"search_found":       "%d results found.",
		"search_found_one":   "%d result found.",
		"search_loading":     "Searching…",
		"search_no_words":    "There is no word to search for: type letters or digits (very long words are not searched).",
		"search_none":        "No matching results. Try fewer words or remove a filter.",
		"search_error":       "The search data could not be loaded. Reload the page or try again later.",
		"facet_all":          "All",
		"facet_region":       "Region",
		"facet_topic":        "Topic",
		"facet_year":         "Year",
		"facet_period":       "Campaign period",
		"upcoming":           "Upcoming",
		"ended":              "Ended",
		"campaigns_heading":  "Campaigns",
		"campaign_status":    "Status",
		"campaign_slogans":   "Slogans launched",
		"campaign_parts":     "Taking part",
		"timeline":           "Timeline of the campaign periods",
		"year_chart":         "Articles per year",
		"part_of":            "Part of",
		"places_inside":      "Places within",
		"place_since":        "since %s",
		"place_until":        "until %s",
		"place_merged":       "merged into %s on %s",
		"other_regions":      "Other",
		"redirect_title":     "Page moved",
		"redirect_body":      "This page has moved to",
	},
}

var weekdays = map[vi.Language][7]string{
	vi.Vietnamese: {"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"},
	vi.English:    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}

// searchStringKeys are the UI strings the search page's script needs.
var searchStringKeys = []string{"search_prompt", "search_found", "search_loading", "search_no_words", "search_none", "search_error", "facet_all", "facet_region", "facet_topic", "facet_year", "facet_period"}

// Labels returns a taxonomy's UI names in the site's language: name for
// one term's kind ("Khu vực: Hậu Giang"), plural for its index page and
// the navigation. site.toml's names win; a built-in taxonomy it does not
// rename takes the theme's translations of its key and key + "s".
func Labels(cfg *config.Site, t *config.Taxonomy) (name, plural string) {
	name, plural = t.Name, t.Plural
	if t.Builtin && name == "" {
		name = uiString(cfg.Language, t.Key)
	}
	if t.Builtin && plural == "" {
		// Looked up inline: the key made for a map lookup is not kept.
		if s, ok := uiStrings[cfg.Language][t.Key+"s"]; ok {
			plural = s
		} else {
			plural = uiStrings[vi.Vietnamese][t.Key+"s"]
		}
	}
	if name == "" {
		name = t.Key
	}
	if plural == "" {
		plural = name
	}
	return name, plural
}

// siteTranslator is the translator of a site's UI strings: the theme's, and
// the names of the site's taxonomies under their keys (key, key + "s" and
// "facet_" + key), so that {{t "region"}} shows a built-in taxonomy's new
// name and {{t "unit"}} a declared one's. A declared key never hides one
// of the theme's strings.
func siteTranslator(cfg *config.Site) func(key string, args ...any) string {
	var names map[string]string
	for i := range cfg.Taxonomies {
		t := &cfg.Taxonomies[i]
		if t.Builtin && t.Name == "" && t.Plural == "" {
			continue
		}
		if names == nil {
			names = map[string]string{}
		}
		name, plural := Labels(cfg, t)
		for k, v := range map[string]string{t.Key: name, t.Key + "s": plural, "facet_" + t.Key: name} {
			if _, theme := uiStrings[vi.Vietnamese][k]; t.Builtin || !theme {
				names[k] = v
			}
		}
	}
	return translator(cfg.Language, names)
}

// uiString is the theme's string of key in lang, else in Vietnamese, else
// the key itself.
func uiString(lang vi.Language, key string) string {
	if s, ok := uiStrings[lang][key]; ok {
		return s
	}
	if s, ok := uiStrings[vi.Vietnamese][key]; ok {
		return s
	}
	return key
}

// translator returns the UI string of key, formatted with args; names
// override the theme's strings.
func translator(lang vi.Language, names map[string]string) func(key string, args ...any) string {
	table := uiStrings[lang]
	return func(key string, args ...any) string {
		s, ok := names[key]
		if !ok && len(args) == 1 && args[0] == 1 {
			s, ok = table[key+"_one"]
		}
		if !ok {
			s, ok = table[key]
		}
		if !ok {
			s, ok = uiStrings[vi.Vietnamese][key]
		}
		if !ok {
			return key
		}
		if len(args) > 0 {
			return fmt.Sprintf(s, args...)
		}
		return s
	}
}

// formatDate writes a date the way Vietnamese news sites do: "Thứ Năm,
// 16/02/2023 06:26 (GMT+7)"; in English "Thursday, 16 February 2023 06:26
// (GMT+7)". A date written without a time shows no time.
func formatDate(lang vi.Language, t time.Time, hasTime bool) string {
	day := weekdays[lang][t.Weekday()]
	var s string
	if lang == vi.English {
		s = fmt.Sprintf("%s, %d %s %d", day, t.Day(), t.Month(), t.Year())
	} else {
		s = fmt.Sprintf("%s, %02d/%02d/%d", day, t.Day(), int(t.Month()), t.Year())
	}
	if !hasTime {
		return s
	}
	return s + " " + t.Format("15:04") + " (" + gmtOffset(t) + ")"
}

// shortDate is "16/02/2023" (vi) or "16 Feb 2023" (en), for lists.
func shortDate(lang vi.Language, t time.Time) string {
	if lang == vi.English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

func gmtOffset(t time.Time) string {
	_, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	if m == 0 {
		return fmt.Sprintf("GMT%s%d", sign, h)
	}
	return fmt.Sprintf("GMT%s%d:%02d", sign, h, m)
}
