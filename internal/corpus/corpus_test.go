package corpus_test

import (
	"bytes"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin/internal/corpus"
	"github.com/bantin/bantin/internal/sitetest"
)

func TestCorpusIsDeterministicPrefixClosedAndBuilds(t *testing.T) {
	t.Parallel()
	small, big := corpus.Site(1, 50), corpus.Site(1, 200)
	for name, data := range small {
		if !bytes.Equal(data, big[name]) {
			t.Errorf("%s differs between a corpus of 50 and one of 200", name)
		}
	}
	if _, again := corpus.Article(1, 7); !bytes.Equal(again, small["content/000008.md"]) {
		t.Error("article 7 is not a function of the seed and its number")
	}
	if _, other := corpus.Article(2, 7); bytes.Equal(other, small["content/000008.md"]) {
		t.Error("the seed changes nothing")
	}
	fsys := fstest.MapFS{}
	for name, data := range big {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatalf("the corpus does not build: %v", err)
	}
	if r.Stats.Articles != 200 || r.Stats.Terms < 40 {
		t.Errorf("built %d articles and %d terms", r.Stats.Articles, r.Stats.Terms)
	}
}
