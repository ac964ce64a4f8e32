package site

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/render"
)

var linkAttr = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// BrokenLink is an internal link of a page that leads to no file.
type BrokenLink struct {
	Page   string // output file of the page
	Link   string // as in the page
	Target string // the missing output file
}

// BrokenLinks follows every internal href and src of every HTML page, as a
// static web server would serve the site under its base URL.
func BrokenLinks(cfg *config.Site, site *output.Memory) []BrokenLink {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil
	}
	var broken []BrokenLink
	for _, name := range site.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		data, _ := site.File(name)
		page := base.ResolveReference(&url.URL{Path: path.Join(base.Path, name)})
		for _, m := range linkAttr.FindAllStringSubmatch(string(data), -1) {
			raw := strings.ReplaceAll(m[1], "&amp;", "&")
			if strings.HasPrefix(raw, "#") || raw == "" {
				continue
			}
			target, err := page.Parse(raw)
			if err != nil || target.Host != base.Host || target.Scheme != base.Scheme {
				continue // other sites are not ours to check
			}
			if !strings.HasPrefix(target.Path, base.Path) {
				broken = append(broken, BrokenLink{Page: name, Link: raw, Target: target.Path})
				continue
			}
			rel := strings.TrimPrefix(target.Path, base.Path)
			if rel == "" || strings.HasSuffix(rel, "/") {
				rel += "index.html"
			}
			if _, ok := site.File(rel); !ok {
				if _, dir := site.File(rel + "/index.html"); !dir {
					broken = append(broken, BrokenLink{Page: name, Link: raw, Target: rel})
				}
			}
		}
	}
	return broken
}

// checkLinks reports broken links: at their line when an article wrote
// them, else as coming from the layouts. shareProcessed tells that the
// image pipeline published site.toml's share image, and so found it.
func checkLinks(cfg *config.Site, site *output.Memory, articleLinks map[string][]render.Link, shareProcessed bool) error {
	var errs diag.List
	seen := map[string]bool{}
	for _, b := range BrokenLinks(cfg, site) {
		reported := false
		for _, l := range articleLinks[b.Page] {
			if l.URL == b.Link {
				what := "link"
				if l.Image {
					what = "image"
				}
				errs.Addf(l.Pos, "%s %s leads to %s, which the site does not have", what, l.Dest, "/"+b.Target)
				reported = true
			}
		}
		if !reported && !seen[b.Link] {
			seen[b.Link] = true // a layout's link repeats on every page: report it once
			errs.Addf(diag.Pos{File: "layouts"}, "link %s (first on /%s) leads to /%s, which the site does not have", b.Link, strings.TrimSuffix(b.Page, "index.html"), b.Target)
		}
	}
	// The share image appears only in meta tags, which no link leads from.
	if name, ok := strings.CutPrefix(cfg.Image, "/"); ok && !shareProcessed {
		if _, found := site.File(name); !found {
			errs.Addf(cfg.ImagePos, "image %s is not a file of the site; put it in static%s", cfg.Image, cfg.Image)
		}
	}
	return errs.Err()
}
