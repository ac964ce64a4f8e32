package layout

import (
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/index"
)

// articleCounts loads the default theme with files over it and returns
// whether article pages can read their links' counts, and why.
func articleCounts(t *testing.T, files map[string]string) (bool, string) {
	t.Helper()
	set, cfg := loadCounts(t, files)
	// The reason comes from a second walk, on the folded layouts: both
	// must agree.
	reads, why := readsCounts(set.pages[KindArticle], set.partials, "base.html", funcs(cfg), map[string]any{"partialCached": set.partialCached})
	if reads != set.ArticleCounts() {
		t.Fatalf("the analysis of the folded layouts (%v, %s) disagrees with Load's (%v)", reads, why, set.ArticleCounts())
	}
	return set.ArticleCounts(), why
}

// loadCounts loads the default theme with files over it.
func loadCounts(t *testing.T, files map[string]string) (*Set, *config.Site) {
	t.Helper()
	cfg, err := config.Parse([]byte("title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	site := fstest.MapFS{}
	for name, text := range files {
		site["layouts/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	set, err := Load(site, bantin.Theme(), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	return set, &cfg
}

func TestDefaultThemeReadsNoArticleCounts(t *testing.T) {
	t.Parallel()
	if reads, why := articleCounts(t, nil); reads {
		t.Fatalf("the default theme reads counts on article pages: %s", why)
	}
	if !sameWhateverCounts(t, nil) {
		t.Errorf("the default theme's article page changes with the counts")
	}
}

func TestLayoutsThatShowCountsReadThem(t *testing.T) {
	t.Parallel()
	main := func(body string) map[string]string {
		return map[string]string{"article.html": `{{define "main"}}` + body + `{{end}}`}
	}
	cases := map[string]map[string]string{
		"field":            main(`{{.Article.Region.Count}}`),
		"range":            main(`{{range .Article.Topics}}{{.Count}}{{end}}`),
		"promoted":         main(`{{range .Article.RegionUp}}{{.Count}}{{end}}`),
		"declared terms":   main(`{{range .Article.Terms}}{{range .Links}}{{.Count}}{{end}}{{end}}`),
		"pointer":          main(`{{with .Article.Slogan}}{{.Count}}{{end}}`),
		"printed link":     main(`{{with .Article.Region}}{{.}}{{end}}`),
		"variable":         main(`{{$r := .Article.Region}}{{$r.Count}}`),
		"root variable":    main(`{{with .Site}}{{$.Article.Year.Count}}{{end}}`),
		"printf":           main(`{{printf "%v" .Article}}`),
		"piped print":      main(`{{.Article.Region | print}}`),
		"printed article":  main(`{{.Article}}`),
		"printed card":     main(`{{.Article.Card}}`),
		"index":            main(`{{(index .Article.Topics 0).Count}}`),
		"printed index":    main(`{{index .Article.Topics 0}}`),
		"and":              main(`{{and .Title .Article.Period}}`),
		"compared":         main(`{{if eq .Article.Region .Article.Year}}x{{end}}`),
		"passed to t":      main(`{{t "articles" .Article.Region}}`),
		"range variables":  main(`{{range $i, $t := .Article.Topics}}{{$i}}{{$t.Count}}{{end}}`),
		"in a script":      main(`<script>const region = {{.Article.Region}};</script>`),
		"assigned in loop": main(`{{$x := ""}}{{range .Article.Topics}}{{$x}}{{$x = .}}{{end}}`),
		"template partial": {
			"article.html":        `{{define "main"}}{{template "partials/count.html" .Article.Region}}{{end}}`,
			"partials/count.html": `<span>{{.Count}}</span>`,
		},
		"cached partial": {
			"article.html":        `{{define "main"}}{{partialCached "partials/count.html" .Article.Period}}{{end}}`,
			"partials/count.html": `<span>{{.Count}}</span>`,
		},
		"dynamic partial": {
			"article.html":       `{{define "main"}}{{$name := "partials/name.html"}}{{partialCached $name .Article}}{{end}}`,
			"partials/name.html": `{{.Title}}`,
		},
		"in base.html": {"base.html": `{{range .Article.Topics}}{{.Count}}{{end}}{{template "main" .}}`},
	}
	if sameWhateverCounts(t, cases["field"]) {
		t.Fatal("a page that shows a count renders the same with other counts")
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if reads, _ := articleCounts(t, files); !reads {
				t.Errorf("%v: counts not found to be read", files)
			}
		})
	}
}

// countedPage is an article page whose every term link counts count.
func countedPage(t *testing.T, cfg *config.Site, count int) *Page {
	t.Helper()
	ix, err := index.Build(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	link := func(name string) TermLink {
		return TermLink{Name: name, Path: "x/" + name + "/", URL: "/x/" + name + "/", Count: count}
	}
	slogan, period := link("slogan"), link("period")
	a := &Article{
		Card:   Card{Title: "Tin", Path: "bai-viet/tin/", URL: "/bai-viet/tin/", Region: link("region")},
		Slogan: &slogan, Period: &period, Year: link("2024"),
		Topics:   []TermLink{link("topic")},
		RegionUp: []PlaceStep{{TermLink: link("province")}},
	}
	a.Terms = []TermLinks{{Key: "region", Builtin: true, Links: []TermLink{a.Region}}, {Key: "unit", Links: []TermLink{link("unit")}}}
	return &Page{Site: NewSite(cfg, ix), Kind: KindArticle, Title: "Tin", Path: a.Path, Article: a}
}

// sameWhateverCounts reports whether the layouts render the same article
// page with counts 0 and 7.
func sameWhateverCounts(t *testing.T, files map[string]string) bool {
	t.Helper()
	set, cfg := loadCounts(t, files)
	var pages [2]string
	for i, count := range []int{0, 7} {
		html, err := set.Render(KindArticle, countedPage(t, cfg, count))
		if err != nil {
			t.Fatal(err)
		}
		pages[i] = string(html)
	}
	return pages[0] == pages[1]
}

func TestLayoutsThatShowNoCountsReadNone(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"name":            `{{.Article.Region.Name}}`,
		"page count":      `{{t "articles" .Count}}`,
		"links":           `{{range .Article.Topics}}<a href="{{.URL}}">{{.Name}}</a>{{end}}`,
		"len":             `{{len .Article.Topics}}`,
		"truth":           `{{if .Article.Slogan}}{{.Article.Slogan.Name}}{{end}}`,
		"other variables": `{{$n := .Article.Region.Name}}{{$n = .Title}}{{$n}}`,
		"card partial":    `{{template "partials/card.html" .Article.Card}}`,
		"cached header":   `{{partialCached "partials/header.html" .Header}}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"article.html": `{{define "main"}}` + body + `{{end}}`}
			if reads, why := articleCounts(t, files); reads {
				t.Errorf("%s: counts found to be read: %s", body, why)
			}
			// And indeed the page is the same whatever the counts.
			if !sameWhateverCounts(t, files) {
				t.Errorf("%s: the page changes with the counts", body)
			}
		})
	}
}
