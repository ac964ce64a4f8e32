package site_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bantin/bantin/internal/sitetest"
)

// goldenDir holds the sample site's output: pages and feeds byte for byte,
// so a change reads as a diff, and every other file (the search index,
// static files) by its SHA-256 in goldenSums.
const (
	goldenDir  = "testdata/golden/sample"
	goldenSums = "testdata/golden/sample.sha256"
)

// indexVersion is the search index's folder named by its content: the
// golden list names it VERSION, so that a change to one index file changes
// one line of the list.
var indexVersion = regexp.MustCompile(`/[0-9a-f]{12}/`)

// readableGolden reports whether an output file is kept byte for byte.
func readableGolden(name string) bool {
	switch path.Ext(name) {
	case ".html", ".xml", ".txt":
		return true
	}
	return false
}

// repoSite loads the repository's own site (site.toml, content/, layouts/,
// static/, data/), as bantin build in the repository's root sees it.
func repoSite(t *testing.T) fstest.MapFS {
	t.Helper()
	root := filepath.Join("..", "..")
	fsys := fstest.MapFS{}
	for _, dir := range []string{"content", "layouts", "static", "data"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(root, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	fsys["site.toml"] = &fstest.MapFile{Data: cfg}
	return fsys
}

// withoutDeclaredTaxonomies removes the [[taxonomies]] site.toml declares
// from a site, and their fields from its articles: the site as it was
// before taxonomies could be declared. It returns the keys removed.
func withoutDeclaredTaxonomies(t *testing.T, fsys fstest.MapFS) []string {
	t.Helper()
	var keys, kept []string
	declaring := false
	for _, line := range strings.Split(string(fsys["site.toml"].Data), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			declaring = trimmed == "[[taxonomies]]"
		}
		if m := declaredKey.FindStringSubmatch(line); declaring && m != nil {
			keys = append(keys, m[1])
		}
		if !declaring {
			kept = append(kept, line)
		}
	}
	fsys["site.toml"] = &fstest.MapFile{Data: []byte(strings.Join(kept, "\n"))}
	if len(keys) == 0 {
		return nil
	}
	field := regexp.MustCompile(`^\s*"?(` + strings.Join(keys, "|") + `)"?\s*[:=]`)
	for name, f := range fsys {
		if !strings.HasPrefix(name, "content/") {
			continue
		}
		var lines []string
		for _, line := range strings.Split(string(f.Data), "\n") {
			if !field.MatchString(line) {
				lines = append(lines, line)
			}
		}
		fsys[name] = &fstest.MapFile{Data: []byte(strings.Join(lines, "\n"))}
	}
	return keys
}

var declaredKey = regexp.MustCompile(`^\s*key\s*=\s*"([a-z0-9_]+)"`)

// TestSampleSiteGolden builds the sample site at a fixed time, without the
// taxonomies its site.toml declares, and compares every output file with
// testdata/golden: a site that declares no taxonomy builds as bantin did
// before taxonomies could be declared. Run with -update to rewrite the
// golden files after reviewing a deliberate change of output.
func TestSampleSiteGolden(t *testing.T) {
	t.Parallel()
	fsys := repoSite(t)
	if keys := withoutDeclaredTaxonomies(t, fsys); !slices.Contains(keys, "unit") {
		t.Fatalf("the sample site declares %q; it should declare unit", keys)
	}
	r, err := sitetest.BuildFS(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, name := range r.Out.Names() {
		data, _ := r.Out.File(name)
		got[indexVersion.ReplaceAllString(name, "/VERSION/")] = data
	}
	if *update {
		writeGolden(t, got)
		return
	}
	want := readGolden(t)
	var names []string
	for name := range got {
		names = append(names, name)
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		g, inGot := got[name]
		w, inWant := want[name]
		switch {
		case !inGot:
			t.Errorf("%s: missing from the output", name)
		case !inWant:
			t.Errorf("%s: not in the golden output", name)
		case readableGolden(name) && !bytes.Equal(g, w):
			t.Errorf("%s differs from %s:\n%s", name, goldenDir, firstDifference(string(w), string(g)))
		case !readableGolden(name) && sum(g) != string(w):
			t.Errorf("%s: sha256 %s, golden %s", name, sum(g), w)
		}
	}
	if t.Failed() {
		t.Log("after reviewing a deliberate change, run go test ./internal/site -run TestSampleSiteGolden -update")
	}
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// readGolden returns the golden output: readable files' bytes, and the
// other files' hashes.
func readGolden(t *testing.T) map[string][]byte {
	t.Helper()
	want := map[string][]byte{}
	err := filepath.WalkDir(goldenDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(goldenDir, p)
		want[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatalf("read golden output (run with -update to make it): %v", err)
	}
	sums, err := os.ReadFile(goldenSums)
	if err != nil {
		t.Fatalf("read golden output (run with -update to make it): %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		h, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("%s: bad line %q", goldenSums, line)
		}
		want[name] = []byte(h)
	}
	return want
}

func writeGolden(t *testing.T, got map[string][]byte) {
	t.Helper()
	if err := os.RemoveAll(goldenDir); err != nil {
		t.Fatal(err)
	}
	var sums []string
	for name, data := range got {
		if !readableGolden(name) {
			sums = append(sums, sum(data)+"  "+name)
			continue
		}
		p := filepath.Join(goldenDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	slices.SortFunc(sums, func(a, b string) int { return strings.Compare(a[65:], b[65:]) })
	if err := os.WriteFile(goldenSums, []byte(strings.Join(sums, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstDifference shows the first line where two texts differ, with a
// little context.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return "same lines, different bytes"
}
