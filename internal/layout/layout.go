// Package layout parses the site's html/template layouts over the embedded
// default theme and executes them into pages. Parse and execution errors
// name the template file and line.
package layout

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/vi"
)

// Dir is the layouts folder, in the site and in the embedded theme.
const Dir = "layouts"

// Page kinds, each rendered by the layout of the same name inside base.html.
const (
	KindHome     = "home"
	KindArticle  = "article"
	KindTerms    = "terms"
	KindTerm     = "term"
	KindNotFound = "404"
	KindSearch   = "search"
	// KindList is the paginated archive of every article, at the
	// articles' path.
	KindList = "list"
)

var pageKinds = []string{KindHome, KindArticle, KindTerms, KindTerm, KindNotFound, KindSearch, KindList}

// Set is the parsed layouts of a site, ready to execute concurrently.
type Set struct {
	// Fingerprint identifies the layout sources, for caches of pages.
	Fingerprint string
	lang        vi.Language
	pages       map[string]*template.Template
	// partials executes partialCached calls; fragments holds their output
	// for the whole build, so a card shown on many lists is rendered once.
	partials  *template.Template
	fragments fragmentCache
	// dynamicPartials is set when a layout calls partialCached with a
	// name that is not a constant string: then each call counts how deep
	// it is nested, which costs a walk of the goroutine's stack.
	dynamicPartials bool
	// articleCounts is whether article pages' layouts can read their
	// term links' counts (counts.go).
	articleCounts bool
	// fromTheme marks files that come from the embedded theme, so errors
	// in them say so.
	fromTheme map[string]bool
	// sources are the layouts' texts by name, to give errors their column.
	sources map[string]string
}

// source is one layout file and where it came from.
type source struct {
	name      string // "article.html", relative to layouts/
	text      string
	fromTheme bool
}

// Load parses layouts: every file of the site's layouts/ folder, and the
// embedded theme's files the site does not override. Actions that print
// the same text on every page ({{t "skip"}}, {{url "css/bantin.css"}}) are
// replaced by that text, escaped, and the escapers html/template adds to
// each action run as one function, so that pages run faster (fold.go,
// escapers.go).
func Load(site, theme fs.FS, cfg *config.Site) (*Set, error) { return load(site, theme, cfg, true) }

// load is Load; fold set folds constant actions and fuses escapers, as
// Load does, so that tests can compare the output with that of the
// layouts as written.
func load(site, theme fs.FS, cfg *config.Site, fold bool) (*Set, error) {
	files := map[string]source{}
	if err := collect(theme, true, files); err != nil {
		return nil, fmt.Errorf("read embedded theme: %w", err)
	}
	if err := collect(site, false, files); err != nil {
		return nil, err
	}
	set := &Set{lang: cfg.Language, pages: map[string]*template.Template{}, fromTheme: map[string]bool{}, sources: map[string]string{}}
	h := sha256.New()
	for _, name := range sortedKeys(files) {
		set.fromTheme[name] = files[name].fromTheme
		set.sources[name] = files[name].text
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", name, len(files[name].text), files[name].text)
	}
	set.Fingerprint = hex.EncodeToString(h.Sum(nil))
	var errs diag.List
	if _, ok := files["base.html"]; !ok {
		errs.Addf(diag.Pos{File: Dir + "/base.html"}, "missing base layout")
		return nil, errs.Err()
	}

	helpers, translate := funcs(cfg), set.translate(cfg)
	common := template.New("bantin").Funcs(helpers).Funcs(template.FuncMap{"partialCached": set.partialCached, "t": translate})
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "base.html" || strings.HasPrefix(name, "partials/") {
			if _, err := common.New(name).Parse(files[name].text); err != nil {
				errs.Append(set.templateError(err))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	// Unknown UI string keys are reported together with every other
	// problem of the layouts: they do not stop the parsing.
	known := uiKeys(cfg)
	set.checkKeys(common, "", known, &errs)
	for _, kind := range pageKinds {
		name := kind + ".html"
		src, ok := files[name]
		if !ok {
			errs.Addf(diag.Pos{File: Dir + "/" + name}, "missing layout for %s pages", kind)
			continue
		}
		t, err := common.Clone()
		if err == nil {
			_, err = t.New(name).Parse(src.text)
		}
		if err != nil {
			errs.Append(set.templateError(err))
			continue
		}
		set.checkKeys(t, name, known, &errs)
		set.pages[kind] = t
		errs = append(errs, set.checkRecursion(t)...)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	partials, err := common.Clone()
	if err != nil {
		return nil, err
	}
	set.partials = partials
	// On the layouts as parsed: escaping and folding come later.
	set.articleCounts, _ = readsCounts(set.pages[KindArticle], partials, "base.html",
		template.FuncMap{"t": translate, "partialCached": set.partialCached}, helpers)
	if !fold {
		return set, nil
	}
	if err := set.foldConstants(helpers, translate); err != nil {
		return nil, err
	}
	set.fuseEscapers(helpers)
	return set, nil
}

// fuseEscapers makes the escaped templates call one function for the
// escapers of each action (escapers.go); helpers are the layouts'
// functions.
func (s *Set) fuseEscapers(helpers template.FuncMap) {
	funcs := template.FuncMap{"partialCached": s.partialCached}
	for name, fn := range helpers {
		funcs[name] = fn
	}
	for _, t := range s.pages {
		fuseEscapers(t, funcs, s.partialCached)
	}
	fuseEscapers(s.partials, funcs, s.partialCached)
}

// foldConstants replaces the actions that print the same text on every
// page ({{t "skip"}}, {{url "css/bantin.css"}}) by that text (fold.go).
func (s *Set) foldConstants(helpers template.FuncMap, translate func(string, ...any) (string, error)) error {
	sitePath := func(name string) constFunc {
		fn, ok := helpers[name].(func(string) string)
		return func(args []string) (string, bool) {
			if !ok || len(args) != 1 {
				return "", false
			}
			return fn(args[0]), true
		}
	}
	f := newFolder(map[string]constFunc{
		"t": func(args []string) (string, bool) {
			if len(args) != 1 {
				return "", false
			}
			text, err := translate(args[0])
			return text, err == nil
		},
		"url":    sitePath("url"),
		"absURL": sitePath("absURL"),
	})
	for kind, t := range s.pages {
		folded, err := f.fold(t, []string{"base.html"})
		if err != nil {
			return err
		}
		s.pages[kind] = folded
	}
	// partialCached runs any partial as an entry point.
	var entries []string
	for _, t := range s.partials.Templates() {
		if strings.HasPrefix(t.Name(), "partials/") {
			entries = append(entries, t.Name())
		}
	}
	slices.Sort(entries)
	folded, err := f.fold(s.partials, entries)
	if err != nil {
		return err
	}
	s.partials = folded
	return nil
}

// fragmentCache holds partialCached's outputs: a map under a read-write
// lock rather than a sync.Map, whose lookups (a walk down its hash trie)
// took five times as long, and a list page looks up each of its cards.
type fragmentCache struct {
	mu sync.RWMutex
	m  map[fragmentKey]template.HTML
}

func (c *fragmentCache) load(key fragmentKey) (template.HTML, bool) {
	c.mu.RLock()
	html, ok := c.m[key]
	c.mu.RUnlock()
	return html, ok
}

func (c *fragmentCache) store(key fragmentKey, html template.HTML) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[fragmentKey]template.HTML{}
	}
	c.m[key] = html
	c.mu.Unlock()
}

// fragmentKey identifies one output of partialCached: the partial, its
// context and the caller's variant keys.
type fragmentKey struct {
	name    string
	context any
	variant string
}

// partialCached executes the named partial with context once per build
// and reuses its output wherever the same partial, context and variant
// keys come again. Like Hugo's partialCached, for parts shown on many
// pages, such as article cards. The context must be comparable: a pointer
// (as every card is) or a plain value.
func (s *Set) partialCached(name string, context any, variant ...any) (template.HTML, error) {
	if context != nil && !reflect.TypeOf(context).Comparable() {
		return "", fmt.Errorf("partialCached %q: its context, a %T, cannot be a cache key: pass a pointer or a plain value, or call the partial with {{template}}", name, context)
	}
	key := fragmentKey{name: name, context: context}
	if len(variant) > 0 {
		key.variant = fmt.Sprint(variant...)
	}
	if html, ok := s.fragments.load(key); ok {
		return html, nil
	}
	if s.dynamicPartials && partialDepth() > maxPartialDepth {
		return "", fmt.Errorf("partialCached %q nested more than %d calls deep; a partial may not call itself, directly or through others", name, maxPartialDepth)
	}
	var buf strings.Builder
	if err := s.partials.ExecuteTemplate(&buf, name, context); err != nil {
		// Positioned here, so the error names the partial's line rather
		// than the line of its caller.
		return "", s.templateError(err)
	}
	html := template.HTML(buf.String())
	s.fragments.store(key, html)
	return html, nil
}

func sortedKeys(m map[string]source) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// maxLayoutBytes bounds each layout file, which is read whole.
const maxLayoutBytes = 4 << 20

func collect(fsys fs.FS, fromTheme bool, into map[string]source) error {
	if fsys == nil {
		return nil
	}
	if _, err := fs.Stat(fsys, Dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fs.WalkDir(fsys, Dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return diag.Errorf(diag.Pos{File: name}, "cannot read: %v", err)
		}
		if strings.HasPrefix(d.Name(), ".") && name != Dir {
			if d.IsDir() {
				return fs.SkipDir // hidden, like .git: not the theme's
			}
			return nil
		}
		// A pipe or device, opened, could block the build for ever.
		if err := input.CheckType(d.Type()); err != nil {
			return diag.Errorf(diag.Pos{File: name}, "%v", err)
		}
		if d.IsDir() || path.Ext(name) != ".html" {
			return nil
		}
		b, err := input.ReadFile(fsys, name, maxLayoutBytes)
		if err != nil {
			return diag.Errorf(diag.Pos{File: name}, "%s", input.Message(err))
		}
		rel := strings.TrimPrefix(name, Dir+"/")
		into[rel] = source{name: rel, text: string(b), fromTheme: fromTheme}
		return nil
	})
}

// Execute renders a page of kind into w. base.html is the entry point; it
// calls the "main" template defined by the kind's file.
func (s *Set) Execute(w io.Writer, kind string, page *Page) error {
	t, ok := s.pages[kind]
	if !ok {
		return fmt.Errorf("no layout for %s pages", kind)
	}
	if err := t.ExecuteTemplate(w, "base.html", page); err != nil {
		return s.templateError(err)
	}
	return nil
}

// ArticleCounts reports whether the layouts of article pages can read
// the article counts of their term links. When they cannot, the pages
// leave them at 0 (NewArticle), so that a term's new article does not
// change its other articles' pages.
func (s *Set) ArticleCounts() bool { return s.articleCounts }

// ShortDate formats a date for lists in the site's language.
func (s *Set) ShortDate(t time.Time) string { return shortDate(s.lang, t) }

// Render is Execute into a new byte slice.
func (s *Set) Render(kind string, page *Page) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := s.Execute(&buf, kind, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// templateErrorText matches text/template and html/template messages:
// "template: a.html:12:3: executing ..." and "html/template:a.html:12:3: ...".
var templateErrorText = regexp.MustCompile(`^(?:html/)?template: ?([^:]+\.html):(\d+)(?::(\d+))?: (.*)$`)

// templateError turns a template error into one at the layout's file,
// line and column, saying when the file is the embedded theme's.
func (s *Set) templateError(err error) error {
	var inner *diag.Error
	if errors.As(err, &inner) {
		return inner // from a partialCached call, positioned already
	}
	// Name the functions fuseEscapers put in as the layouts name them.
	msg := strings.ReplaceAll(err.Error(), fusedPartial, "partialCached")
	m := templateErrorText.FindStringSubmatch(msg)
	if m == nil {
		return fmt.Errorf("layout: %w", err)
	}
	line, _ := strconv.Atoi(m[2])
	byteCol := -1
	if m[3] != "" {
		byteCol, _ = strconv.Atoi(m[3])
	}
	col := s.column(m[1], line, byteCol, m[4])
	return &diag.Error{Pos: diag.Pos{File: Dir + "/" + m[1], Line: line, Col: col}, Err: s.inTheme(m[1], m[4])}
}

// translate is the layouts' t: a UI string, or an error for a key no table
// has, which the build reports at the calling action.
func (s *Set) translate(cfg *config.Site) func(key string, args ...any) (string, error) {
	tr := siteTranslator(cfg)
	known := uiKeys(cfg)
	isKnown := make(map[string]bool, len(known))
	for _, k := range known {
		isKnown[k] = true
	}
	return func(key string, args ...any) (string, error) {
		if !isKnown[key] {
			return "", errors.New(unknownKey(key, known))
		}
		return tr(key, args...), nil
	}
}

// funcs are the helpers layouts may call.
func funcs(cfg *config.Site) template.FuncMap {
	t := siteTranslator(cfg)
	lang := cfg.Language
	return template.FuncMap{
		// t translates a UI string key; Load replaces it with a version
		// that reports unknown keys.
		"t": t,
		// url makes a site path ("khu-vuc/") into a link under the base path.
		"url": func(p string) string { return cfg.BasePath + strings.TrimPrefix(p, "/") },
		// absURL makes a site path into an absolute URL.
		"absURL": func(p string) string { return cfg.BaseURL + strings.TrimPrefix(p, "/") },
		// date is built from numbers and fixed words only; marking it safe
		// keeps "GMT+7" from being escaped to "GMT&#43;7".
		"date": func(tm time.Time, hasTime bool) template.HTML {
			return template.HTML(html.EscapeString(formatDate(lang, tm, hasTime)))
		},
		"shortDate": func(tm time.Time) string { return shortDate(lang, tm) },
		"isoDate":   func(tm time.Time) string { return tm.Format(time.RFC3339) },
		"param":     func(k string) string { return cfg.Params[k] },
		"add":       func(a, b int) int { return a + b },
		"hasPrefix": strings.HasPrefix,
		"lower":     strings.ToLower,
		// searchStrings is the JSON the search script reads its UI text from.
		"searchStrings": func() string {
			m := map[string]string{}
			for _, k := range searchStringKeys {
				m[k] = t(k)
				// The singular, in languages that have one; the script
				// uses it for a count of 1.
				if one, ok := uiStrings[lang][k+"_one"]; ok {
					m[k+"_one"] = one
				}
			}
			b, _ := json.Marshal(m)
			return string(b)
		},
	}
}
