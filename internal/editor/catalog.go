package editor

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/vi"
)

// Status is where an article stands.
type Status string

// Article statuses. Scheduled articles are published ones dated in the
// future: the site shows them from their date on.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusScheduled Status = "scheduled"
	StatusInvalid   Status = "invalid" // the build rejects the file
)

// entry is what the article list knows of one content file: its front
// matter, without the body.
type entry struct {
	ID     string // path under content/, "2024/tin.md"
	Title  string
	Date   time.Time // zero when the date is missing or invalid
	Region string
	Slogan string
	Period *content.Period
	Topics []string
	Author string
	Draft  bool
	// Declared holds the values of the taxonomies site.toml declares, by
	// front-matter field.
	Declared map[string][]string
	Slug     string
	URL      string // site path, "bai-viet/tin/"
	Problem  string // the first problem, for invalid files
	// folded is the searchable text, folded as the site's search folds it.
	folded string
	size   int64
	mod    time.Time
	sum    [32]byte
}

func (e *entry) status(now time.Time) Status {
	switch {
	case e.Problem != "":
		return StatusInvalid
	case e.Draft:
		return StatusDraft
	case e.Date.After(now):
		return StatusScheduled
	}
	return StatusPublished
}

// newEntry describes a content file from its bytes.
func newEntry(id string, src []byte, cfg *config.Site) *entry {
	e := &entry{ID: id, sum: sha256.Sum256(src)}
	a, err := content.Parse(content.Dir+"/"+id, src, cfg)
	if err != nil {
		e.Problem = firstProblem(err)
		// Show what can be read of a broken file, to find it in the list.
		if d, derr := parseDocument(id, src); derr == nil {
			v := d.values(builtinFields)
			e.Title, _ = v["title"].(string)
			e.Region, _ = v["region"].(string)
			if s, _ := v["date"].(string); s != "" {
				if t, _, err := content.ParseDate(s, cfg.TimeZone); err == nil {
					e.Date = t.In(cfg.TimeZone)
				}
			}
		}
	} else {
		e.Title, e.Date, e.Region, e.Slogan, e.Period = a.Title, a.Date, a.Region, a.Slogan, a.Period
		e.Topics, e.Author, e.Draft, e.Slug, e.URL = a.Topics, a.Author, a.Draft, a.Slug, a.Path
		for i := range cfg.Taxonomies {
			if t := &cfg.Taxonomies[i]; !t.Builtin && t.Field != "" {
				if vals := a.Terms(t); len(vals) > 0 {
					if e.Declared == nil {
						e.Declared = map[string][]string{}
					}
					e.Declared[t.Field] = vals
				}
			}
		}
	}
	if e.Title == "" {
		e.Title = path.Base(id)
	}
	parts := []string{e.Title, e.Region, e.Slogan, e.Author, id}
	parts = append(parts, e.Topics...)
	for _, vals := range e.Declared {
		parts = append(parts, vals...)
	}
	if e.Period != nil {
		parts = append(parts, e.Period.Label())
	}
	e.folded = vi.Fold(strings.Join(parts, " \x00 "))
	return e
}

func firstProblem(err error) string {
	var list diag.List
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Error()
	}
	return err.Error()
}

// catalog is the article list: every content file's front matter, sorted
// newest first, kept in memory and refreshed from file changes, so that a
// request never scans the disk.
type catalog struct {
	entries []*entry          // newest first; undated (broken) files first
	byID    map[string]*entry // the same entries
	facets  Facets
	config  string // the settings entries were parsed with
}

// Facets are the values the list can be filtered by.
type Facets struct {
	Regions []string `json:"regions"`
	Periods []Option `json:"periods"`
	Years   []int    `json:"years"`
}

// Option is a filter value and its label.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// refresh returns the catalog of the content folder fsys, reading again
// only files whose size or time changed since old (or that changed within
// the clock's resolution).
func refreshCatalog(ctx context.Context, fsys fs.FS, cfg *config.Site, old *catalog) (*catalog, error) {
	key := fmt.Sprint(cfg.TimeZoneName, "|", cfg.Paths.Articles, "|", cfg.MaxArticleBytes, "|", cfg.Taxonomies)
	c := &catalog{byID: map[string]*entry{}, config: key}
	if old != nil && old.config != key {
		old = nil
	}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == "." && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return nil // an unreadable folder: the build reports it
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() {
			if name != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !content.IsArticleFile(name) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if old != nil {
			if e := old.byID[name]; e != nil && e.size == info.Size() && e.mod.Equal(info.ModTime()) && time.Since(e.mod) > 2*time.Second {
				c.add(e)
				return nil
			}
		}
		src, err := input.ReadFile(fsys, name, cfg.MaxArticleBytes)
		if err != nil {
			return nil
		}
		if old != nil {
			if e := old.byID[name]; e != nil && e.sum == sha256.Sum256(src) {
				e2 := *e
				e2.size, e2.mod = info.Size(), info.ModTime()
				c.add(&e2)
				return nil
			}
		}
		e := newEntry(name, src, cfg)
		e.size, e.mod = info.Size(), info.ModTime()
		c.add(e)
		return nil
	})
	if err != nil && !errors.Is(err, fs.SkipAll) {
		return nil, err
	}
	c.finish()
	return c, nil
}

func (c *catalog) add(e *entry) {
	c.entries = append(c.entries, e)
	c.byID[e.ID] = e
}

// finish sorts the entries and gathers the facets.
func (c *catalog) finish() {
	slices.SortFunc(c.entries, func(a, b *entry) int {
		if a.Date.IsZero() != b.Date.IsZero() {
			if a.Date.IsZero() {
				return -1
			}
			return 1
		}
		if !a.Date.Equal(b.Date) {
			return b.Date.Compare(a.Date)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	regions, periods, years := map[string]bool{}, map[string]Option{}, map[int]bool{}
	for _, e := range c.entries {
		if e.Region != "" && e.Problem == "" {
			regions[e.Region] = true
		}
		if e.Period != nil {
			periods[e.Period.Slug()] = Option{Value: e.Period.Slug(), Label: e.Period.Label()}
		}
		if !e.Date.IsZero() {
			years[e.Date.Year()] = true
		}
	}
	coll := vi.NewCollator()
	f := Facets{}
	for r := range regions {
		f.Regions = append(f.Regions, r)
	}
	slices.SortFunc(f.Regions, coll.Compare)
	for _, p := range periods {
		f.Periods = append(f.Periods, p)
	}
	slices.SortFunc(f.Periods, func(a, b Option) int { return cmp.Compare(b.Value, a.Value) })
	for y := range years {
		f.Years = append(f.Years, y)
	}
	slices.SortFunc(f.Years, func(a, b int) int { return cmp.Compare(b, a) })
	c.facets = f
}

// with returns a copy of the catalog with e replacing the entry of its
// file, or without the file when e is nil: the editor's own writes show in
// the list at once, before the watcher's refresh.
func (c *catalog) with(id string, e *entry) *catalog {
	n := &catalog{byID: make(map[string]*entry, len(c.byID)+1), config: c.config}
	for _, old := range c.entries {
		if old.ID != id {
			n.add(old)
		}
	}
	if e != nil {
		n.add(e)
	}
	n.finish()
	return n
}

// Query selects articles of the list.
type Query struct {
	Text    string // words, with or without diacritics
	Status  Status
	Region  string
	Period  string // a period's slug
	Year    int
	Page    int // from 1
	PerPage int
}

// maxPerPage bounds one page of the list.
const maxPerPage = 100

// ListItem is one article of the list.
type ListItem struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Date    string `json:"date,omitempty"` // RFC 3339, in the site's zone
	Region  string `json:"region,omitempty"`
	Period  string `json:"period,omitempty"`
	Status  Status `json:"status"`
	URL     string `json:"url,omitempty"`
	Problem string `json:"problem,omitempty"`
}

// ListPage is one page of the list.
type ListPage struct {
	Total   int        `json:"total"`
	Page    int        `json:"page"`
	Pages   int        `json:"pages"`
	PerPage int        `json:"perPage"`
	Items   []ListItem `json:"items"`
	Facets  Facets     `json:"facets"`
}

// list answers a query: a scan of the entries in memory.
func (c *catalog) list(q Query, now time.Time, basePath string) ListPage {
	if q.PerPage <= 0 {
		q.PerPage = 20
	}
	q.PerPage = min(q.PerPage, maxPerPage)
	q.Page = max(q.Page, 1)
	words := strings.Fields(vi.Fold(q.Text))
	page := ListPage{Page: q.Page, PerPage: q.PerPage, Items: []ListItem{}, Facets: c.facets}
	first := (q.Page - 1) * q.PerPage
	for _, e := range c.entries {
		if q.Region != "" && e.Region != q.Region ||
			q.Year != 0 && (e.Date.IsZero() || e.Date.Year() != q.Year) ||
			q.Period != "" && (e.Period == nil || e.Period.Slug() != q.Period) ||
			q.Status != "" && e.status(now) != q.Status {
			continue
		}
		if !containsAll(e.folded, words) {
			continue
		}
		if page.Total >= first && len(page.Items) < q.PerPage {
			page.Items = append(page.Items, e.item(now, basePath))
		}
		page.Total++
	}
	page.Pages = max(1, (page.Total+q.PerPage-1)/q.PerPage)
	return page
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func (e *entry) item(now time.Time, basePath string) ListItem {
	it := ListItem{ID: e.ID, Title: e.Title, Region: e.Region, Status: e.status(now), Problem: e.Problem}
	if !e.Date.IsZero() {
		it.Date = e.Date.Format(time.RFC3339)
	}
	if e.Period != nil {
		it.Period = e.Period.Label()
	}
	if e.URL != "" {
		it.URL = basePath + e.URL
	}
	return it
}

// suggestions returns, for each field that suggests, the values articles
// use, most used first, then alphabetically.
func (c *catalog) suggestions(specs []fieldSpec) map[string][]string {
	counts := map[string]map[string]int{}
	for _, f := range specs {
		if f.Suggest {
			counts[f.Key] = map[string]int{}
		}
	}
	add := func(key, v string) {
		if m := counts[key]; m != nil && v != "" {
			m[v]++
		}
	}
	for _, e := range c.entries {
		if e.Problem != "" {
			continue
		}
		add("region", e.Region)
		add("slogan", e.Slogan)
		add("author", e.Author)
		if e.Period != nil {
			add("period", periodFormValue(*e.Period))
		}
		for _, t := range e.Topics {
			add("topics", t)
		}
		for key, vals := range e.Declared {
			for _, v := range vals {
				add(key, v)
			}
		}
	}
	coll := vi.NewCollator()
	out := map[string][]string{}
	for key, m := range counts {
		list := make([]string, 0, len(m))
		for v := range m {
			list = append(list, v)
		}
		slices.SortFunc(list, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), coll.Compare(a, b)) })
		out[key] = list
	}
	return out
}

// periodFormValue writes a period the way the form takes it: "2024",
// "2022-2023", "2024-07/2025-06" or "2024-07-15/2024-09-30".
func periodFormValue(p content.Period) string {
	lastDay := time.Date(p.End.Year, p.End.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	switch {
	case p.Start.Month == 1 && p.Start.Day == 1 && p.End.Month == 12 && p.End.Day == 31:
		if p.Start.Year == p.End.Year {
			return strconv.Itoa(p.Start.Year)
		}
		return fmt.Sprintf("%d-%d", p.Start.Year, p.End.Year)
	case p.Start.Day == 1 && p.End.Day == lastDay:
		return fmt.Sprintf("%04d-%02d/%04d-%02d", p.Start.Year, p.Start.Month, p.End.Year, p.End.Month)
	}
	return p.Start.String() + "/" + p.End.String()
}
