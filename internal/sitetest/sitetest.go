// Package sitetest builds small sites from inline txtar archives for
// end-to-end tests, and checks the output the way a reader's browser would
// follow it.
package sitetest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
)

// Now is the build time of test builds, so that output is reproducible.
var Now = time.Date(2026, 11, 21, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// DefaultConfig is the site.toml used when an archive has none.
const DefaultConfig = `title = "Bản tin thử"
base_url = "https://example.gov.vn/"
`

// Options tune a test build.
type Options struct {
	Drafts, Future bool
	Now            time.Time
	// ReleaseBodiesOver is content.Options.ReleaseBodiesOver; 0 leaves the
	// build's default.
	ReleaseBodiesOver int
	// ImageCache is site.Options.ImageCache: a folder, or none.
	ImageCache string
}

// FS turns a txtar archive into a site folder.
func FS(archive string) fstest.MapFS {
	a := txtar.Parse([]byte(archive))
	fsys := fstest.MapFS{}
	hasConfig := false
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		hasConfig = hasConfig || f.Name == config.FileName
	}
	if !hasConfig {
		fsys[config.FileName] = &fstest.MapFile{Data: []byte(DefaultConfig)}
	}
	return fsys
}

// Result is a built site in memory.
type Result struct {
	T     testing.TB
	Out   *output.Memory
	Stats *site.Stats
	Cfg   *config.Site
}

// Build builds the archive and fails the test on any error.
func Build(t testing.TB, archive string, opts ...Options) *Result {
	t.Helper()
	r, err := TryBuild(t, archive, opts...)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return r
}

// TryBuild builds the archive and returns its error.
func TryBuild(t testing.TB, archive string, opts ...Options) (*Result, error) {
	t.Helper()
	return BuildFS(t, FS(archive), opts...)
}

// BuildFS builds a site folder into memory.
func BuildFS(t testing.TB, fsys fstest.MapFS, opts ...Options) (*Result, error) {
	t.Helper()
	return BuildDir(t, fsys, opts...)
}

// BuildDir builds any site folder, such as a real one opened with os.Root.
func BuildDir(t testing.TB, fsys fs.FS, opts ...Options) (*Result, error) {
	t.Helper()
	o := Options{Now: Now}
	if len(opts) > 0 {
		o = opts[0]
		if o.Now.IsZero() {
			o.Now = Now
		}
	}
	cfg, err := config.Load(fsys)
	if err != nil {
		return nil, err
	}
	out := output.NewMemory()
	stats, err := site.Build(context.Background(), &cfg, site.Options{
		Site: fsys, Theme: bantin.Theme(),
		Content:    content.Options{Drafts: o.Drafts, Future: o.Future, Now: o.Now, ReleaseBodiesOver: o.ReleaseBodiesOver},
		ImageCache: o.ImageCache,
	}, out)
	if err != nil {
		return nil, err
	}
	return &Result{T: t, Out: out, Stats: stats, Cfg: &cfg}, nil
}

// File returns an output file, failing the test when it is missing.
func (r *Result) File(name string) string {
	r.T.Helper()
	b, ok := r.Out.File(name)
	if !ok {
		r.T.Fatalf("output has no %s; it has:\n%s", name, strings.Join(r.Out.Names(), "\n"))
	}
	return string(b)
}

// Has reports whether the output has a file.
func (r *Result) Has(name string) bool {
	_, ok := r.Out.File(name)
	return ok
}

// Assert checks that file contains each want; a want starting with "! "
// must be absent.
func (r *Result) Assert(name string, wants ...string) {
	r.T.Helper()
	got := r.File(name)
	for _, w := range wants {
		if absent, ok := strings.CutPrefix(w, "! "); ok {
			if strings.Contains(got, absent) {
				r.T.Errorf("%s contains %q, which it must not:\n%s", name, absent, got)
			}
			continue
		}
		if !strings.Contains(got, w) {
			r.T.Errorf("%s lacks %q:\n%s", name, w, got)
		}
	}
}

// BrokenLinks follows every internal href and src of every HTML page and
// returns the ones that lead to no file.
func (r *Result) BrokenLinks() []string {
	var out []string
	for _, b := range site.BrokenLinks(r.Cfg, r.Out) {
		out = append(out, fmt.Sprintf("%s: %q -> missing %s", b.Page, b.Link, b.Target))
	}
	return out
}

// Problems returns the "file:line:col: message" lines of a build error.
func Problems(err error) []string {
	var list diag.List
	if errors.As(err, &list) {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.Error()
		}
		return out
	}
	var e *diag.Error
	if errors.As(err, &e) {
		return []string{e.Error()}
	}
	if err == nil {
		return nil
	}
	return []string{err.Error()}
}

// CorpusSite makes a site folder of the first n articles of the corpus in
// $BANTIN_BENCH_CORPUS (made by ../shared/bench/gencorpus.go) for
// benchmarks, and returns it with the articles' file names, sorted. It
// skips the benchmark when the variable is not set or the corpus is smaller.
func CorpusSite(b testing.TB, n int) (string, []string) {
	b.Helper()
	corpus := os.Getenv("BANTIN_BENCH_CORPUS")
	if corpus == "" {
		b.Skip("set BANTIN_BENCH_CORPUS to a folder of corpus articles (go run ../shared/bench/gencorpus.go -n 10000 -out DIR)")
	}
	entries, err := os.ReadDir(corpus)
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) < n {
		b.Skipf("the corpus has %d articles, fewer than %d", len(names), n)
	}
	names = names[:n]
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "site.toml"), []byte(DefaultConfig), 0o644)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "content", name), data, 0o644)
	}
	return dir, names
}
