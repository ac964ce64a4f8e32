package content

import (
	"testing"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/corpus"
)

// BenchmarkParse parses 200 articles of the corpus: mostly the front
// matter's split and decoding.
func BenchmarkParse(b *testing.B) {
	cfg := config.Default()
	type file struct {
		name string
		data []byte
	}
	var files []file
	for i := range 200 {
		name, data := corpus.Article(1, i)
		files = append(files, file{name, data})
	}
	b.ReportAllocs()
	for range b.N {
		for _, f := range files {
			if _, err := Parse(f.name, f.data, &cfg); err != nil {
				b.Fatal(err)
			}
		}
	}
}
