// Package content walks a site's content/ folder, splits and decodes each
// article's front matter, and validates it into Articles.
package content

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/binfmt"
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
	// not by the size of its content.
	ReleaseBodiesOver int
}

// Cache remembers the parse of each content file by a hash of its bytes,
// between the builds of one process (the preview server) or, saved with
// AppendTo and read with DecodeCache, between processes. Cached articles
// are shared between builds and never modified.
type Cache struct {
	mu      sync.Mutex
	config  string // the settings parsing depends on; a change empties the cache
	entries map[string]cacheEntry
	// read and parsed count the files of the last Load that had to be
	// read, and parsed, rather than taken from the cache.
	read, parsed int
}

// statKey identifies a version of a file as the file system describes it;
// the zero key matches nothing.
type statKey struct {
	size, mtime, ctime int64
	ino, dev           uint64
}

type cacheEntry struct {
	stat    statKey // zero when the file changed too recently to trust it
	sum     uint64  // xxhash of the file's bytes
	article *Article
	err     error
	// raw is the entry as AppendTo writes it, when it was read so from
	// the saved cache and not changed since: saved again as it is.
	raw []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{entries: map[string]cacheEntry{}} }

// Stats returns how many files the last Load read, and parsed, rather than
// taking them from the cache.
func (c *Cache) Stats() (read, parsed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.read, c.parsed
}

func (c *Cache) lookup(name string, sum uint64) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.parsed++
	e, ok := c.entries[name]
	if ok && e.sum == sum {
		c.parsed--
	}
	return e, ok && e.sum == sum
}

// unchanged returns the entry of a file whose size, times, inode and
// device are those it had when parsed: its bytes need not even be read.
func (c *Cache) unchanged(name string, key statKey) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[name]
	if ok && e.stat == key && e.stat != (statKey{}) {
		return e, true
	}
	c.read++
	return e, false
}

func (c *Cache) store(name string, e cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.raw = nil // a new stat or article: encoded again
	c.entries[name] = e
}

// configKey is what parsing depends on besides a file's bytes.
func configKey(cfg *config.Site) string {
	return fmt.Sprint(cfg.TimeZoneName, "|", time.Local.String(), "|", cfg.Paths.Articles, "|", cfg.MaxArticleBytes, "|", cfg.Taxonomies, "|", cfg.TurnedOff)
}

// prepare empties the cache when the settings parsing uses have changed,
// and drops files that no longer exist.
func (c *Cache) prepare(cfg *config.Site, files []string) {
	key := configKey(cfg)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.read, c.parsed = 0, 0
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

// cacheFormat numbers the layout AppendTo writes.
const cacheFormat = 1

// AppendTo appends the cache's valid articles to dst, for DecodeCache.
// Files that failed to parse are left out: they are read again.
func (c *Cache) AppendTo(dst []byte, cfg *config.Site) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.entries))
	for name, e := range c.entries {
		if e.article != nil && e.err == nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	// Room for it all at once: most entries are copied as they were read.
	size := 0
	for _, name := range names {
		size += max(len(c.entries[name].raw), 512)
	}
	e := encoder{buf: slices.Grow(dst, size), loc: cfg.TimeZone}
	e.int(cacheFormat)
	e.str(c.config)
	e.int(int64(len(names)))
	for _, name := range names {
		entry := c.entries[name]
		if entry.raw != nil {
			e.buf = append(e.buf, entry.raw...)
			continue
		}
		e.str(name)
		k := entry.stat
		e.int(k.size)
		e.int(k.mtime)
		e.int(k.ctime)
		e.int(int64(k.ino))
		e.int(int64(k.dev))
		e.int(int64(entry.sum))
		e.buf = AppendEncoded(e.buf, entry.article, cfg.TimeZone)
	}
	return e.buf
}

// DecodeCache reads a cache written by AppendTo. A cache of other settings
// decodes as an empty one. The cache shares data's memory: nothing may
// write to data afterwards.
func DecodeCache(data []byte, cfg *config.Site) (*Cache, error) {
	d := decoder{Reader: binfmt.NewReader(data, errCorrupt), loc: cfg.TimeZone, alias: true}
	if d.Int() != cacheFormat {
		return nil, errCorrupt
	}
	c := NewCache()
	c.config = d.String()
	n := d.count()
	if c.config != configKey(cfg) {
		return NewCache(), d.Err
	}
	c.entries = make(map[string]cacheEntry, n)
	for range n {
		start := d.Buf
		name := d.String()
		var k statKey
		k.size, k.mtime, k.ctime = d.Int(), d.Int(), d.Int()
		k.ino, k.dev = uint64(d.Int()), uint64(d.Int())
		sum := uint64(d.Int())
		if d.Err != nil {
			return nil, d.Err
		}
		a := d.article()
		if d.Err != nil {
			return nil, d.Err
		}
		raw := start[: len(start)-len(d.Buf) : len(start)-len(d.Buf)]
		c.entries[name] = cacheEntry{stat: k, sum: sum, article: a, raw: raw}
	}
	if d.Err != nil || len(d.Buf) != 0 {
		return nil, errCorrupt
	}
	return c, nil
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
	files, entries, err := listFiles(site)
	if err != nil {
		return nil, err
	}
	if opts.Cache != nil {
		opts.Cache.prepare(cfg, files)
	}
	release := opts.ReleaseBodiesOver > 0 && len(files) > opts.ReleaseBodiesOver
	articles := make([]*Article, len(files))
	fileErrs := make([]error, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				articles[i], fileErrs[i] = loadFile(site, files[i], entries[i], cfg, opts.Cache)
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

// listFiles returns the article files under content/, sorted, with the
// entry of each in its folder.
func listFiles(site fs.FS) ([]string, []fs.DirEntry, error) {
	info, err := fs.Stat(site, Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil // a site with no articles yet still builds
	}
	if err != nil {
		return nil, nil, diag.Errorf(diag.Pos{File: Dir}, "cannot read the content folder: %v", unwrapPath(err))
	}
	if !info.IsDir() {
		return nil, nil, diag.Errorf(diag.Pos{File: Dir}, "content must be a folder of Markdown files, but it is a file")
	}
	type file struct {
		name  string
		entry fs.DirEntry
	}
	var found []file
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
			found = append(found, file{name, d})
		}
		return nil
	})
	if err != nil {
		errs.Addf(diag.Pos{File: Dir}, "cannot read the content folder: %v", err)
	}
	slices.SortFunc(found, func(a, b file) int { return cmp.Compare(a.name, b.name) })
	files, entries := make([]string, len(found)), make([]fs.DirEntry, len(found))
	for i, f := range found {
		files[i], entries[i] = f.name, f.entry
	}
	return files, entries, errs.Err()
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

// loadFile loads the content file name of site, which its folder listed
// as entry.
func loadFile(site fs.FS, name string, entry fs.DirEntry, cfg *config.Site, cache *Cache) (*Article, error) {
	pos := diag.Pos{File: name}
	info, err := statFile(site, name, entry)
	if err != nil {
		return nil, diag.Errorf(pos, "cannot read: %v", unwrapPath(err))
	}
	if info.IsDir() {
		return nil, diag.Errorf(pos, "is a folder, not a Markdown file; rename it without the .md ending")
	}
	if !info.Mode().IsRegular() { // a link to a pipe or device
		return nil, diag.Errorf(pos, "%v", &input.NotRegularError{Mode: info.Mode()})
	}
	var key statKey
	if cache != nil {
		key = statKeyOf(info)
		if e, ok := cache.unchanged(name, key); ok {
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
	// A file changed within the clock's resolution of this read could
	// change again unseen by its times: remember no times for it then, so
	// that the next build reads it again (git's "racy" files).
	if info.ModTime().IsZero() || time.Since(time.Unix(0, max(key.mtime, key.ctime))) < racyWindow || int64(len(src)) != key.size {
		key = statKey{}
	}
	sum := xxhash.Sum64(src)
	if e, ok := cache.lookup(name, sum); ok {
		e.stat = key
		cache.store(name, e)
		return e.article, e.err
	}
	a, err := Parse(name, src, cfg)
	cache.store(name, cacheEntry{stat: key, sum: sum, article: a, err: err})
	return a, err
}

// statFile describes the content file name. A regular file is described
// by its entry in the folder listing, which the site's file system made
// as it read the folder, without a system call of its own (os.Root's do);
// a link is followed.
func statFile(site fs.FS, name string, entry fs.DirEntry) (fs.FileInfo, error) {
	if entry != nil && entry.Type().IsRegular() {
		if info, err := entry.Info(); err == nil && info.Mode().IsRegular() {
			return info, nil
		}
	}
	return fs.Stat(site, name)
}

// racyWindow is how recently a file may have changed for its times to be
// trusted: coarser than the clock of any file system bantin runs on.
const racyWindow = 2 * time.Second

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
