package search

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/bantin/bantin/internal/corpus"
)

// benchDocs turns articles of the project's corpus into search documents;
// the Markdown body stands in for its plain text.
func benchDocs(n int) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		_, data := corpus.Article(1, i)
		front, body, _ := bytes.Cut(data[4:], []byte("\n---\n"))
		doc := Doc{URL: "/bai-viet/x/", Date: "1/1/2025", Body: string(body)}
		for line := range bytes.Lines(front) {
			key, value, _ := bytes.Cut(bytes.TrimSpace(line), []byte(": "))
			switch string(key) {
			case "title":
				doc.Title = string(value)
			case "region":
				doc.Region = string(value)
				doc.Meta = append(doc.Meta, doc.Region)
			case "slogan":
				doc.Meta = append(doc.Meta, string(value))
			}
		}
		docs[i] = doc
	}
	return docs
}

// BenchmarkBuilder indexes documents on every core, as a build does, and
// encodes the index.
func BenchmarkBuilder(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) { benchmarkBuilder(b, benchDocs(n)) })
	}
}

func benchmarkBuilder(b *testing.B, docs []Doc) {
	var bytesIn int64
	for _, d := range docs {
		bytesIn += int64(len(d.Body))
	}
	b.SetBytes(bytesIn)
	b.ReportAllocs()
	for b.Loop() {
		sb := NewBuilder(len(docs), nil)
		var wg sync.WaitGroup
		next := make(chan int, 64)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for i := range next {
					if err := sb.Add(i, docs[i]); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for i := range docs {
			next <- i
		}
		close(next)
		wg.Wait()
		if _, err := sb.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSplitWords splits document bodies into words, the first step of
// indexing.
func BenchmarkSplitWords(b *testing.B) {
	docs := benchDocs(200)
	var bytesIn int64
	for _, d := range docs {
		bytesIn += int64(len(d.Body))
	}
	b.SetBytes(bytesIn)
	var words int
	for b.Loop() {
		for _, d := range docs {
			splitWords(d.Body, func(string, uint64, uint32) { words++ })
		}
	}
	b.ReportMetric(float64(words)/float64(b.N)/float64(len(docs)), "words/doc")
}
