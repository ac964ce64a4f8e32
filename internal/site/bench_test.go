package site_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/corpus"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/render"
	"github.com/bantin/bantin/internal/search"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/sitetest"
)

// Benchmarks of each stage and of whole builds, on the project's own
// corpus (internal/corpus) of 1,000 and 10,000 articles:
//
//	go test ./internal/site -run '^$' -bench . -benchmem
//
// The comparison with Hugo on the shared corpus is bench/compare-hugo.sh.

var sizes = []int{1000, 10000}

func corpusFS(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range corpus.Site(1, n) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

type stages struct {
	cfg      config.Site
	fsys     fstest.MapFS
	articles []*content.Article
	ix       *index.Index
	docs     []*render.Doc
}

func prepareStages(b *testing.B, n int) *stages {
	b.Helper()
	s := &stages{fsys: corpusFS(n)}
	var err error
	if s.cfg, err = config.Load(s.fsys); err != nil {
		b.Fatal(err)
	}
	set, err := content.Load(context.Background(), s.fsys, &s.cfg, content.Options{Now: sitetest.Now})
	if err != nil {
		b.Fatal(err)
	}
	s.articles = set.Articles
	if s.ix, err = index.Build(&s.cfg, s.articles, nil); err != nil {
		b.Fatal(err)
	}
	md := render.New(render.Options{BasePath: s.cfg.BasePath, SummaryWords: 60})
	for _, a := range s.articles {
		d, err := md.Render(a.File, a.BodyLine, a.Body)
		if err != nil {
			b.Fatal(err)
		}
		s.docs = append(s.docs, d)
	}
	return s
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			fsys := corpusFS(n)
			cfg, err := config.Load(fsys)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := site.Build(context.Background(), &cfg, site.Options{
					Site: fsys, Theme: bantin.Theme(), Content: content.Options{Now: sitetest.Now},
				}, output.NewMemory()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWriteToDisk(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			fsys := corpusFS(n)
			cfg, _ := config.Load(fsys)
			mem := output.NewMemory()
			if _, err := site.Build(context.Background(), &cfg, site.Options{
				Site: fsys, Theme: bantin.Theme(), Content: content.Options{Now: sitetest.Now},
			}, mem); err != nil {
				b.Fatal(err)
			}
			names := mem.Names()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				disk, err := output.NewDisk(filepath.Join(b.TempDir(), "public"))
				if err != nil {
					b.Fatal(err)
				}
				for _, name := range names {
					data, _ := mem.File(name)
					if err := disk.WriteFile(name, data); err != nil {
						b.Fatal(err)
					}
				}
				if err := disk.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkStages(b *testing.B) {
	for _, n := range sizes {
		s := prepareStages(b, n)
		b.Run(fmt.Sprintf("load/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := content.Load(context.Background(), s.fsys, &s.cfg, content.Options{Now: sitetest.Now}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("render/%d", n), func(b *testing.B) {
			md := render.New(render.Options{BasePath: s.cfg.BasePath, SummaryWords: 60})
			b.ReportAllocs()
			for range b.N {
				for _, a := range s.articles {
					if _, err := md.Render(a.File, a.BodyLine, a.Body); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(fmt.Sprintf("index/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := index.Build(&s.cfg, s.articles, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("search/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				sb := search.NewBuilder(len(s.articles), nil)
				for i, a := range s.articles {
					meta := append([]string{a.Region, a.Slogan}, a.Topics...)
					if err := sb.Add(i, search.Doc{URL: a.Path, Title: a.Title, Region: a.Region, Meta: meta, Body: s.docs[i].Text}); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := sb.Finish(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("layouts/%d", n), func(b *testing.B) {
			set, err := layout.Load(s.fsys, bantin.Theme(), &s.cfg)
			if err != nil {
				b.Fatal(err)
			}
			siteView := layout.NewSite(&s.cfg, s.ix)
			today := content.DayOf(sitetest.Now)
			b.ReportAllocs()
			for range b.N {
				for i, a := range s.articles {
					card := layout.NewCard(&s.cfg, a, s.ix, s.docs[i].Summary, today)
					p := &layout.Page{Site: siteView, Kind: layout.KindArticle, Title: a.Title, Path: a.Path,
						Article: layout.NewArticle(&s.cfg, a, card, s.ix, s.docs[i], set.ArticleCounts())}
					if _, err := set.Render(layout.KindArticle, p); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
