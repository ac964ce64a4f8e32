// Package config reads site.toml into a typed, validated Site. Every setting
// has a default; unknown keys and wrong types are errors with their position.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/fields"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/vi"
)

// FileName is the site configuration file at the site root.
const FileName = "site.toml"

// Site is the validated configuration of one site.
type Site struct {
	Title       string
	Description string
	// BaseURL is absolute and ends with a slash; BasePath is its path
	// ("/" or "/ban-tin/"), the prefix of every internal link.
	BaseURL  string
	BasePath string
	Language vi.Language
	// TimeZone applies to dates written without a zone.
	TimeZone     *time.Location
	TimeZoneName string
	// PageSize is the number of articles on one list page.
	PageSize int
	Paths    Paths
	// Taxonomies are the site's indexes in navigation order: the built-in
	// ones (see Builtins) as site.toml changes them, then the ones it
	// declares with [[taxonomies]]. TurnedOff are those it turns off
	// (enabled = false), for messages about their fields.
	Taxonomies []Taxonomy
	TurnedOff  []Taxonomy
	// UnsafeHTML lets raw HTML in Markdown through; off by default.
	UnsafeHTML bool
	// MaxArticleBytes rejects larger content files before parsing them.
	MaxArticleBytes int64
	// MaxNesting bounds nesting in an article's Markdown (block quotes,
	// lists, links, emphasis); MaxTerms the topics of one article.
	MaxNesting int
	MaxTerms   int
	// Search writes the search index and page; on by default.
	Search bool
	// FeedLimit is the number of entries per Atom feed; FeedFullContent
	// puts whole articles in feeds rather than summaries.
	FeedLimit       int
	FeedFullContent bool
	// SitemapURLs is the most URLs one sitemap file lists before the
	// sitemap is split (the protocol's limit is 50,000).
	SitemapURLs int
	// Params are free-form strings for theme authors.
	Params map[string]string
	// Image is the site's default share image (a site path such as
	// "/images/share.png", or an http(s) URL), for link previews of pages
	// that have no image of their own; ImagePos is where site.toml sets it.
	Image    string
	ImagePos diag.Pos
	// Images configures the image pipeline.
	Images Images
	// RegionNear are the places the site is about (region_near: names or
	// gazetteer ids, such as "hau-giang"): a place name that could mean
	// several places prefers those inside them. RegionNearPos is where
	// site.toml writes each; the build resolves them.
	RegionNear    []string
	RegionNearPos []diag.Pos
}

// Paths are the first URL segments of articles, indexes and pages. The
// paths of the built-in taxonomies mirror their Taxonomies entries.
type Paths struct {
	Articles string
	Regions  string
	Topics   string
	Slogans  string
	Periods  string
	Years    string
	Page     string
	Search   string
}

// Default returns the configuration used for every setting site.toml leaves
// out.
func Default() Site {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	if loc == nil {
		loc = time.FixedZone("Asia/Ho_Chi_Minh", 7*3600)
	}
	return Site{
		Title:           "Bản tin thi đua",
		BaseURL:         "http://localhost/",
		BasePath:        "/",
		Language:        vi.Vietnamese,
		TimeZone:        loc,
		TimeZoneName:    "Asia/Ho_Chi_Minh",
		PageSize:        10,
		MaxArticleBytes: 5 << 20,
		MaxNesting:      32,
		MaxTerms:        50,
		Search:          true,
		FeedLimit:       20,
		SitemapURLs:     50000,
		Images:          defaultImages(),
		Paths: Paths{
			Articles: "bai-viet",
			Regions:  "khu-vuc",
			Topics:   "chu-de",
			Slogans:  "khau-hieu",
			Periods:  "dot-thi-dua",
			Years:    "nam",
			Page:     "trang",
			Search:   "tim-kiem",
		},
		Taxonomies: Builtins(),
	}
}

var (
	topKeys = fields.Schema{Keys: []string{"title", "description", "base_url", "language", "time_zone", "page_size", "image", "paths", "markdown", "limits", "search", "feeds", "params", "taxonomies", "region_near", "images"},
		Aliases: map[string]string{"baseurl": "base_url", "languagecode": "language", "timezone": "time_zone", "paginate": "page_size", "home_region": "region_near", "region": "region_near"}}
	pathKeys     = fields.Schema{Keys: []string{"articles", "regions", "topics", "slogans", "periods", "years", "page", "search"}}
	markdownKeys = fields.Schema{Keys: []string{"unsafe_html"}, Aliases: map[string]string{"unsafe": "unsafe_html"}}
	limitKeys    = fields.Schema{Keys: []string{"max_article_bytes", "sitemap_urls", "max_nesting", "max_terms"}}
	feedKeys     = fields.Schema{Keys: []string{"limit", "full_content"}}
	searchKeys   = fields.Schema{Keys: []string{"enabled"}}
)

var segment = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// maxFileBytes bounds site.toml, which is read whole.
const maxFileBytes = 1 << 20

// Load reads and validates site.toml from the site root.
func Load(site fs.FS) (Site, error) {
	src, err := input.ReadFile(site, FileName, maxFileBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return Site{}, diag.Errorf(diag.Pos{File: FileName}, "not found; create it (bantin init makes a new site) or pass --source with the site's folder")
	}
	if err != nil {
		return Site{}, diag.Errorf(diag.Pos{File: FileName}, "%s", input.Message(err))
	}
	return Parse(src)
}

// Parse validates the contents of a site.toml.
func Parse(src []byte) (Site, error) {
	cfg := Default()
	src = []byte(strings.TrimPrefix(string(src), "\uFEFF"))
	root, err := fields.DecodeTOML(src, fields.Origin{File: FileName, Line: 1})
	if err != nil {
		return Site{}, err
	}
	var errs diag.List
	r := &fields.Reader{Map: root, Errs: &errs, Where: diag.Pos{File: FileName, Line: 1, Col: 1}}
	topKeys.CheckKeys(root, FileName, &errs)

	if v, _, ok := r.String("title", true); ok {
		cfg.Title = vi.NFC(strings.TrimSpace(v))
	}
	if v, _, ok := r.String("description", false); ok {
		cfg.Description = vi.NFC(strings.TrimSpace(v))
	}
	if v, pos, ok := r.String("base_url", true); ok {
		if err := cfg.SetBaseURL(v); err != nil {
			errs.Add(pos, err)
		}
	}
	if v, pos, ok := r.String("language", false); ok {
		switch vi.Language(v) {
		case vi.Vietnamese, vi.English:
			cfg.Language = vi.Language(v)
		default:
			errs.Addf(pos, "language must be \"vi\" or \"en\", not %q", v)
		}
	}
	if v, pos, ok := r.String("time_zone", false); ok {
		loc, err := time.LoadLocation(v)
		if err != nil || v == "" || v == "Local" {
			errs.Addf(pos, "unknown time_zone %q; use an IANA name such as \"Asia/Ho_Chi_Minh\"", v)
		} else {
			cfg.TimeZone, cfg.TimeZoneName = loc, v
		}
	}
	cfg.PageSize = r.Int("page_size", cfg.PageSize, 1, 1000)
	if v, pos, ok := r.String("image", false); ok && strings.TrimSpace(v) != "" {
		v = strings.TrimSpace(v)
		if u, err := url.Parse(v); err != nil || strings.ContainsAny(v, "\x00\t\n\r<>\"'` ") ||
			!(strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") || (u.Scheme == "http" || u.Scheme == "https") && u.Host != "") {
			errs.Addf(pos, "image must be a path on this site such as \"/images/share.png\" or an http(s) URL, not %q", v)
		} else {
			cfg.Image, cfg.ImagePos = v, pos
		}
	}

	if n := root.Get("region_near"); n != nil && n.Kind == fields.String {
		cfg.RegionNear, cfg.RegionNearPos = []string{vi.NFC(strings.TrimSpace(n.Text))}, []diag.Pos{n.Pos}
	} else {
		names, pos := r.StringList("region_near")
		for i, v := range names {
			if v = vi.NFC(strings.TrimSpace(v)); v != "" {
				cfg.RegionNear, cfg.RegionNearPos = append(cfg.RegionNear, v), append(cfg.RegionNearPos, pos[i])
			}
		}
	}

	// [paths] names the built-in taxonomies' paths too, by these keys.
	fromPaths := map[string]pathSetting{}
	p := r.Sub("paths")
	if p != nil {
		pathKeys.CheckKeys(p.Map, "[paths]", &errs)
		for _, f := range []struct {
			key, taxonomy string
			dst           *string
		}{
			{"articles", "", &cfg.Paths.Articles}, {"regions", Region, nil},
			{"topics", Topic, nil}, {"slogans", Slogan, nil},
			{"periods", Period, nil}, {"years", Year, nil},
			{"page", "", &cfg.Paths.Page}, {"search", "", &cfg.Paths.Search},
		} {
			v, pos, ok := p.String(f.key, false)
			if !ok {
				continue
			}
			v = strings.Trim(v, "/")
			if !segment.MatchString(v) {
				errs.Addf(pos, "paths.%s must be one URL segment of lowercase ASCII letters, digits and hyphens, like \"khu-vuc\"", f.key)
				continue
			}
			if f.dst != nil {
				*f.dst = v
				continue
			}
			cfg.Taxonomy(f.taxonomy).Path = v
			fromPaths[f.taxonomy] = pathSetting{name: "paths." + f.key, pos: pos}
		}
	}
	pathPos := parseTaxonomies(r, &cfg, fromPaths, &errs)
	checkPaths(&cfg, pathPos, p, &errs)
	for _, f := range []struct {
		key string
		dst *string
	}{{Region, &cfg.Paths.Regions}, {Topic, &cfg.Paths.Topics}, {Slogan, &cfg.Paths.Slogans}, {Period, &cfg.Paths.Periods}, {Year, &cfg.Paths.Years}} {
		if t := cfg.Taxonomy(f.key); t != nil {
			*f.dst = t.Path
		}
	}
	if m := r.Sub("markdown"); m != nil {
		markdownKeys.CheckKeys(m.Map, "[markdown]", &errs)
		cfg.UnsafeHTML = m.Bool("unsafe_html", false)
	}
	if l := r.Sub("limits"); l != nil {
		limitKeys.CheckKeys(l.Map, "[limits]", &errs)
		cfg.MaxArticleBytes = int64(l.Int("max_article_bytes", int(cfg.MaxArticleBytes), 1024, 1<<30))
		cfg.SitemapURLs = l.Int("sitemap_urls", cfg.SitemapURLs, 1, 50000)
		cfg.MaxNesting = l.Int("max_nesting", cfg.MaxNesting, 4, 1000)
		cfg.MaxTerms = l.Int("max_terms", cfg.MaxTerms, 1, 100000)
	}
	if f := r.Sub("feeds"); f != nil {
		feedKeys.CheckKeys(f.Map, "[feeds]", &errs)
		cfg.FeedLimit = f.Int("limit", cfg.FeedLimit, 1, 1000)
		cfg.FeedFullContent = f.Bool("full_content", false)
	}
	if s := r.Sub("search"); s != nil {
		searchKeys.CheckKeys(s.Map, "[search]", &errs)
		cfg.Search = s.Bool("enabled", true)
	}
	if im := r.Sub("images"); im != nil {
		parseImages(im, &cfg.Images, &errs)
	}
	if p := r.Sub("params"); p != nil {
		cfg.Params = map[string]string{}
		for _, k := range p.Map.Keys {
			if v, _, ok := p.String(k, false); ok {
				cfg.Params[k] = vi.NFC(v)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return Site{}, err
	}
	return cfg, nil
}

// SetBaseURL validates and sets the site's absolute base URL.
func (s *Site) SetBaseURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("base_url must be an absolute http or https URL such as \"https://example.gov.vn/ban-tin/\", not %q", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("base_url must not have a query, fragment or user: %q", raw)
	}
	if u.Host, err = canonicalHost(u); err != nil {
		return err
	}
	path := u.EscapedPath()
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	u.Path, u.RawPath = "", ""
	s.BaseURL = u.String() + path
	s.BasePath = path
	return nil
}
