package content

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/frontmatter"

	"github.com/bantin/bantin/internal/corpus"
)

// adrgSplit splits src with adrg/frontmatter, as Parse did before
// splitFrontMatter.
func adrgSplit(t *testing.T, src []byte) (block, []byte) {
	t.Helper()
	var b block
	capture := func(f format) frontmatter.UnmarshalFunc {
		return func(data []byte, _ any) error {
			b.format, b.data = f, data
			return nil
		}
	}
	body, err := frontmatter.Parse(bytes.NewReader(src), nil,
		frontmatter.NewFormat("---", "---", capture(formatYAML)),
		frontmatter.NewFormat("---yaml", "---", capture(formatYAML)),
		frontmatter.NewFormat("+++", "+++", capture(formatTOML)),
		frontmatter.NewFormat("---toml", "---", capture(formatTOML)),
		frontmatter.NewFormat("---json", "---", capture(formatJSON)),
		frontmatter.NewFormat(";;;", ";;;", capture(formatJSON)),
	)
	if err != nil {
		t.Fatal(err)
	}
	return b, body
}

func sameSplit(t *testing.T, src []byte) {
	t.Helper()
	want, wantBody := adrgSplit(t, src)
	got, gotBody := splitFrontMatter(src)
	if got.format != want.format || !bytes.Equal(got.data, want.data) || !bytes.Equal(gotBody, wantBody) {
		t.Errorf("%q splits as format %d, block %q, body %q; adrg/frontmatter: %d, %q, %q",
			src, got.format, got.data, gotBody, want.format, want.data, wantBody)
	}
}

// splitSeeds are files at the edges of the front matter's delimiters.
var splitSeeds = []string{
	"---\ntitle: A\n---\nBody\n",
	"\n \n---\ntitle: A\n---\n\nBody",
	"---\ntitle: A\n---",
	"---\ntitle: A\n  ---  \nBody",
	"---",
	"---\n",
	"---\ntitle: A\n",
	"---yaml\na: 1\n---\nb",
	"+++\ntitle = \"A\"\n+++\nBody\n+++\n",
	"---toml\na = 1\n---\n",
	"---json\n{}\n---\nx",
	";;;\n{}\n;;;\n",
	"----\na\n----\n",
	"text\n---\na\n---\n",
	"---\n---\n---\n",
	"\t---\t\r\na: 1\r\n---\r\nbody\r\n",
	"",
	"\n\n",
}

// TestSplitFrontMatterAsAdrg: splitting files in memory finds the same
// block and body as adrg/frontmatter did, for the seeds, the corpus and
// the sample site.
func TestSplitFrontMatterAsAdrg(t *testing.T) {
	t.Parallel()
	for _, s := range splitSeeds {
		sameSplit(t, []byte(s))
	}
	for _, data := range corpus.Site(1, 50) {
		sameSplit(t, data)
	}
	files, _ := filepath.Glob("../../content/*/*.md")
	if len(files) == 0 {
		t.Fatal("no sample articles in ../../content")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameSplit(t, data)
	}
}

// FuzzSplitFrontMatter is TestSplitFrontMatterAsAdrg on any file.
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sameSplit(t, []byte(src))
	})
}
