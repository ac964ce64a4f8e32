package layout

import (
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
)

// articleCounts loads the default theme with files over it and returns
// whether article pages can read their links' counts, and why.
func articleCounts(t *testing.T, files map[string]string) (bool, string) {
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
	// The reason comes from a second walk, on the folded layouts: both
	// must agree.
	reads, why := readsCounts(set.pages[KindArticle], set.partials, "base.html", funcs(&cfg), map[string]any{"partialCached": set.partialCached})
	if reads != set.ArticleCounts() {
		t.Fatalf("the analysis of the folded layouts (%v, %s) disagrees with Load's (%v)", reads, why, set.ArticleCounts())
	}
	return set.ArticleCounts(), why
}

func TestDefaultThemeReadsNoArticleCounts(t *testing.T) {
	t.Parallel()
	if reads, why := articleCounts(t, nil); reads {
		t.Fatalf("the default theme reads counts on article pages: %s", why)
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
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if reads, _ := articleCounts(t, files); !reads {
				t.Errorf("%v: counts not found to be read", files)
			}
		})
	}
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
		"cached card":     `{{partialCached "partials/card.html" .Article.Card}}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if reads, why := articleCounts(t, map[string]string{"article.html": `{{define "main"}}` + body + `{{end}}`}); reads {
				t.Errorf("%s: counts found to be read: %s", body, why)
			}
		})
	}
}
