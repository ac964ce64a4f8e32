package editor

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/vi"
)

// assets are the editor's page, script and style sheet: plain files,
// written by hand, served from the binary.
//
//go:embed ui
var assets embed.FS

var pageTemplate = template.Must(template.ParseFS(assets, "ui/index.html"))

// serveUI serves the editor's page and its assets.
func (e *Editor) serveUI(w http.ResponseWriter, r *http.Request, rest string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		e.notAllowed(w, "GET, HEAD")
		return
	}
	cfg, _ := e.state()
	if rest == "" {
		e.servePage(w, r, &cfg)
		return
	}
	name, ok := strings.CutPrefix(rest, "assets/")
	if !ok || strings.Contains(name, "/") || name == "" {
		http.NotFound(w, r)
		return
	}
	data, err := fs.ReadFile(assets, "ui/"+name)
	if err != nil || name == "index.html" {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}

func (e *Editor) servePage(w http.ResponseWriter, r *http.Request, cfg *config.Site) {
	data := map[string]any{
		"strings":   uiStrings[lang(cfg)],
		"login":     e.auth.required(),
		"siteTitle": cfg.Title,
		"basePath":  cfg.BasePath,
		"prefix":    Prefix,
		"events":    "/__bantin/events",
	}
	// The page carries the session's CSRF token: pages of other sites
	// cannot read it, and the Host check keeps rebinding pages out.
	if s := e.auth.current(r); s != nil {
		data["csrf"], data["user"] = s.csrf, s.user
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	pageTemplate.Execute(w, map[string]any{
		"Lang": string(lang(cfg)), "Title": uiString(cfg.Language, "app_title") + " – " + cfg.Title,
		"Prefix": Prefix, "Data": data, "NoScript": uiString(cfg.Language, "noscript"),
	})
}

func lang(cfg *config.Site) vi.Language {
	if cfg.Language == vi.English {
		return vi.English
	}
	return vi.Vietnamese
}

// uiString returns one string of the editor's UI.
func uiString(l vi.Language, key string) string {
	if l != vi.English {
		l = vi.Vietnamese
	}
	if s, ok := uiStrings[l][key]; ok {
		return s
	}
	return key
}

// SchemaField is one field of the article form.
type SchemaField struct {
	Key         string   `json:"key"`
	Kind        Kind     `json:"kind"`
	Label       string   `json:"label"`
	Help        string   `json:"help,omitempty"`
	Placeholder string   `json:"placeholder,omitempty"`
	Required    bool     `json:"required,omitempty"`
	Taxonomy    bool     `json:"taxonomy,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
}

// Schema describes the site's article form.
type Schema struct {
	Language string        `json:"language"`
	TimeZone string        `json:"timeZone"`
	Now      string        `json:"now"` // the site's clock, "2006-01-02 15:04"
	BasePath string        `json:"basePath"`
	Fields   []SchemaField `json:"fields"`
	// MaxUpload is the largest image accepted, in bytes.
	MaxUpload int64 `json:"maxUpload"`
}

// maxSuggestions bounds the values offered for one field.
const maxSuggestions = 500

func (e *Editor) schema(cfg *config.Site, cat *catalog) Schema {
	l := lang(cfg)
	specs := formFields(cfg)
	sugg := cat.suggestions(specs)
	if _, ok := field(specs, "region"); ok {
		sugg["region"] = appendNew(sugg["region"], gazetteerRegions(e.store.site.FS(), e.opts.Now()))
	}
	s := Schema{
		Language: string(l), TimeZone: cfg.TimeZoneName, BasePath: cfg.BasePath, MaxUpload: e.opts.MaxUpload,
		Now: e.opts.Now().In(cfg.TimeZone).Format("2006-01-02 15:04"),
	}
	for _, f := range specs {
		sf := SchemaField{Key: f.Key, Kind: f.Kind, Required: f.Required, Taxonomy: f.Taxonomy,
			Label: uiString(l, "field_"+f.Key), Help: uiString(l, "help_"+f.Key), Placeholder: uiString(l, "ph_"+f.Key)}
		if f.Name != "" {
			sf.Label = f.Name
		}
		if sf.Help == "help_"+f.Key {
			sf.Help = ""
		}
		if sf.Placeholder == "ph_"+f.Key {
			sf.Placeholder = ""
		}
		if f.Kind == KindDate {
			sf.Help = strings.ReplaceAll(sf.Help, "{zone}", cfg.TimeZoneName)
		}
		if f.Suggest {
			list := sugg[f.Key]
			sf.Suggestions = list[:min(len(list), maxSuggestions)]
		}
		s.Fields = append(s.Fields, sf)
	}
	return s
}

func appendNew(list, more []string) []string {
	seen := map[string]bool{}
	for _, s := range list {
		seen[s] = true
	}
	for _, s := range more {
		if !seen[s] {
			seen[s] = true
			list = append(list, s)
		}
	}
	return list
}
