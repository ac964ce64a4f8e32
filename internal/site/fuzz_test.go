package site_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin/internal/sitetest"
)

// FuzzBuildOneArticle builds a whole site of one fuzzed article: every
// stage must reject input with a positioned error or build it, never panic,
// and never write outside the site.
func FuzzBuildOneArticle(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\n---\nNội dung **đậm** [x](b.md) <script>x</script>\n",
		"+++\ntitle = \"A\"\ndate = 2024-01-01\nregion = \"B\"\nslug = \"../../etc\"\n+++\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"{\n\"title\": \"A\", \"date\": \"2024-01-01\", \"region\": \"B\", \"topics\": [\"x\"], \"period\": \"2024\"\n}\n\n[^1]\n\n[^1]: y\n",
		"---\ntitle: A\ndate: 2024-01-01\nregion: B\nimage: /a.jpg\nsource: https://x.vn\n---\n# H\n## H\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, article string) {
		fsys := fstest.MapFS{
			"site.toml":    &fstest.MapFile{Data: []byte(sitetest.DefaultConfig)},
			"content/a.md": &fstest.MapFile{Data: []byte(article)},
		}
		r, err := sitetest.BuildFS(t, fsys)
		if err != nil {
			for _, p := range sitetest.Problems(err) {
				if !strings.HasPrefix(p, "content/a.md") && !strings.HasPrefix(p, "layouts") {
					t.Fatalf("problem without the article's position: %s", p)
				}
			}
			return
		}
		for _, name := range r.Out.Names() {
			if strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
				t.Fatalf("output escapes the site: %s", name)
			}
		}
	})
}
