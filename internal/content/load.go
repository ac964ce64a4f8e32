// Package content walks a site's content/ folder, splits and decodes each
// article's front matter, and validates it into Articles.
package content

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/input"
)

// Dir is the content folder at the site root.
const Dir = "content"

// Options choose which valid articles are published.
type Options struct {
	Drafts bool      // include drafts
	Future bool      // include articles dated after Now
	Now    time.Time // the build time
	// Cache, when set, keeps parsed files between builds of one site, so
	// that the preview server reparses only files whose bytes changed.
	Cache *Cache
	// ReleaseBodiesOver, when positive and the site has more content files
	// than that, keeps no article body in memory: Article.LoadBody reads it
	// again when it is rendered. Bounds a large build's memory by metadata,
	// not by the size of its content. Ignored with a Cache.
	ReleaseBodiesOver int
}

// Cache remembers the parse of each content file by a hash of its bytes.
// Cached articles are shared between builds and never modified.
type Cache struct {
	mu      sync.Mutex
	seed    maphash.Seed
	config  string // the settings parsing depends on; a change empties the cache
	entries map[string]cacheEntry
}

type cacheEntry struct {
	size    int64
	modTime time.Time
	sum     uint64
	article *Article
	err     error
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{seed: maphash.MakeSeed(), entries: map[string]cacheEntry{}} }

func (c *Cache) lookup(name string, sum uint64) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[name]
	return e, ok && e.sum == sum
}

// unchanged returns the entry of a file whose size and modification time
// are those it had when parsed: its bytes need not even be read.
func (c *Cache) unchanged(name string, info fs.FileInfo) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[name]
	return e, ok && e.size == info.Size() && e.modTime.Equal(info.ModTime()) && !e.modTime.IsZero()
}

func (c *Cache) store(name string, e cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[name] = e
}

// prepare empties the cache when the settings parsing uses have changed,
// and drops files that no longer exist.
func (c *Cache) prepare(cfg *config.Site, files []string) {
	key := fmt.Sprint(cfg.TimeZoneName, "|", cfg.Paths.Articles, "|", cfg.MaxArticleBytes, "|", cfg.Taxonomies, "|", cfg.TurnedOff)
	c.mu.Lock()
	defer c.mu.Unlock()
	if key != c.config {
		c.config, c.entries = key, map[string]cacheEntry{}
		return
	}
	keep := make(map[string]bool, len(files))
	for _, f := range files {
		keep[f] = true
	}
	for name := range c.entries {
		if !keep[name] {
			delete(c.entries, name)
		}
	}
}

// Set is the result of loading content.
type Set struct {
	// Articles are the published articles, newest first, ties broken by
	// slug; Skipped counts valid drafts and future articles left out.
	Articles []*Article
	Skipped  int
}

// IsArticleFile reports whether a content file is a Markdown article;
// hidden files and editors' backup files are not.
func IsArticleFile(name string) bool {
	base := path.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "#") || strings.HasSuffix(base, "~") {
		return false
	}
	ext := strings.ToLower(path.Ext(base))
	return ext == ".md" || ext == ".markdown"
}

// Load reads every article under content/ in site, in parallel, and returns
// the published ones. All problems of all files come back together as one
// sorted diag.List.
func Load(ctx context.Context, site fs.FS, cfg *config.Site, opts Options) (*Set, error) {
	files, err := listFiles(site)
	if err != nil {
		return nil, err
	}
	if opts.Cache != nil {
		opts.Cache.prepare(cfg, files)
	}
	release := opts.Cache == nil && opts.ReleaseBodiesOver > 0 && len(files) > opts.ReleaseBodiesOver
	articles := make([]*Article, len(files))
	fileErrs := make([]error, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				articles[i], fileErrs[i] = loadFile(site, files[i], cfg, opts.Cache)
				if release && articles[i] != nil {
					articles[i].ReleaseBody()
				}
			}
		}()
	}
feed:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	var errs diag.List
	for _, err := range fileErrs {
		errs.Append(err)
	}
	set := &Set{}
	for _, a := range articles {
		if a == nil {
			continue
		}
		if (a.Draft && !opts.Drafts) || (a.Date.After(opts.Now) && !opts.Future) {
			set.Skipped++
			continue
		}
		set.Articles = append(set.Articles, a)
	}
	SortNewestFirst(set.Articles)
	checkSlugCollisions(set.Articles, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return set, nil
}

// SortNewestFirst orders articles by date, newest first, then by slug and
// file so that the order never depends on the file system.
func SortNewestFirst(articles []*Article) {
	slices.SortFunc(articles, func(a, b *Article) int {
		if x, y := a.Date.Unix(), b.Date.Unix(); x != y {
			return cmp.Compare(y, x)
		}
		if x, y := a.Date.Nanosecond(), b.Date.Nanosecond(); x != y {
			return cmp.Compare(y, x)
		}
		return cmp.Or(cmp.Compare(a.Slug, b.Slug), cmp.Compare(a.File, b.File))
	})
}

// listFiles returns the article files under content/, sorted.
func listFiles(site fs.FS) ([]string, error) {
	info, err := fs.Stat(site, Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a site with no articles yet still builds
	}
	if err != nil {
		return nil, diag.Errorf(diag.Pos{File: Dir}, "cannot read the content folder: %v", unwrapPath(err))
	}
	if !info.IsDir() {
		return nil, diag.Errorf(diag.Pos{File: Dir}, "content must be a folder of Markdown files, but it is a file")
	}
	var files []string
	var errs diag.List
	err = fs.WalkDir(site, Dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Addf(diag.Pos{File: name}, "cannot read: %v", unwrapPath(err))
			return nil
		}
		if d.IsDir() {
			if name != Dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		// A pipe, socket or device is an error wherever it is: opened, it
		// could block the build for ever. Hidden files are not looked at.
		if err := input.CheckType(d.Type()); err != nil && !strings.HasPrefix(d.Name(), ".") {
			errs.Addf(diag.Pos{File: name}, "%v", err)
			return nil
		}
		if IsArticleFile(name) {
			files = append(files, name)
		}
		return nil
	})
	if err != nil {
		errs.Addf(diag.Pos{File: Dir}, "cannot read the content folder: %v", err)
	}
	slices.Sort(files)
	return files, errs.Err()
}

// unwrapPath drops the *PathError wrapper, whose path would repeat the one
// in the position.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func loadFile(site fs.FS, name string, cfg *config.Site, cache *Cache) (*Article, error) {
	pos := diag.Pos{File: name}
	info, err := fs.Stat(site, name)
	if err != nil {
		return nil, diag.Errorf(pos, "cannot read: %v", unwrapPath(err))
	}
	if info.IsDir() {
		return nil, diag.Errorf(pos, "is a folder, not a Markdown file; rename it without the .md ending")
	}
	if !info.Mode().IsRegular() { // a link to a pipe or device
		return nil, diag.Errorf(pos, "%v", &input.NotRegularError{Mode: info.Mode()})
	}
	if cache != nil {
		if e, ok := cache.unchanged(name, info); ok {
			return e.article, e.err
		}
	}
	if info.Size() > cfg.MaxArticleBytes {
		return nil, diag.Errorf(pos, "file is %d bytes, over the limit of %d bytes; split the article, or raise [limits] max_article_bytes in site.toml", info.Size(), cfg.MaxArticleBytes)
	}
	src, err := input.ReadFile(site, name, cfg.MaxArticleBytes)
	if err != nil {
		return nil, diag.Errorf(pos, "%s", input.Message(err))
	}
	if cache == nil {
		return Parse(name, src, cfg)
	}
	sum := maphash.Bytes(cache.seed, src)
	if e, ok := cache.lookup(name, sum); ok {
		e.size, e.modTime = info.Size(), info.ModTime()
		cache.store(name, e)
		return e.article, e.err
	}
	a, err := Parse(name, src, cfg)
	// A file modified within the clock's resolution of its last parse could
	// change again unseen by size and time: remember no time for it then.
	modTime := info.ModTime()
	if time.Since(modTime) < 2*time.Second {
		modTime = time.Time{}
	}
	cache.store(name, cacheEntry{size: info.Size(), modTime: modTime, sum: sum, article: a, err: err})
	return a, err
}

// checkSlugCollisions reports articles that would be written to the same
// URL. Slugs are ASCII and lowercase, so titles that differ only in case or
// diacritics ("Đua"/"Dua") collide here rather than overwrite each other.
func checkSlugCollisions(articles []*Article, errs *diag.List) {
	bySlug := make(map[string][]*Article, len(articles))
	for _, a := range articles {
		bySlug[a.Slug] = append(bySlug[a.Slug], a)
	}
	for _, group := range bySlug {
		if len(group) < 2 {
			continue
		}
		slices.SortFunc(group, func(a, b *Article) int { return cmp.Compare(a.File, b.File) })
		owner := group[0]
		for _, a := range group[1:] {
			errs.Addf(slugPos(a), "URL /%s is also the URL of %s; rename one of the files or give it a different slug in its front matter", a.Path, diag.Name(owner.File))
		}
	}
}

// slugPos is where an article's slug comes from: its slug field, or the
// file itself when the file name gives it.
func slugPos(a *Article) diag.Pos { return a.FieldPos("slug") }

// checkURL accepts http(s) URLs, and for images also site paths; any other
// scheme (javascript:, data:, vbscript:) could run code in readers' browsers.
func checkURL(raw string, allowPath bool) error {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL", raw)
	}
	if strings.ContainsAny(raw, "\x00\t\n\r<>\"'` ") {
		return fmt.Errorf("%q must not contain spaces, quotes or angle brackets", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("%q has no host", raw)
		}
		return nil
	case "":
		if allowPath && !strings.HasPrefix(raw, "//") {
			return nil
		}
		if allowPath {
			return fmt.Errorf("%q must be an http(s) URL or a path on this site", raw)
		}
		return fmt.Errorf("%q must be an absolute http or https URL", raw)
	}
	return fmt.Errorf("%q uses the %s: scheme; only http and https links are allowed", raw, u.Scheme)
}
