package editor

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/site"
	"github.com/bantin/bantin/internal/vi"
)

// Article is an article file as the API gives it.
type Article struct {
	ID     string `json:"id"`   // path under content/
	Path   string `json:"path"` // path in the site folder
	ETag   string `json:"etag"`
	Status Status `json:"status"`
	URL    string `json:"url,omitempty"` // where the site shows it
	// Fields and Body are the front matter as the form shows it and the
	// Markdown; Raw is the whole file instead, when its front matter
	// cannot be read.
	Fields   Values    `json:"fields"`
	Body     string    `json:"body"`
	Raw      string    `json:"raw,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
}

func (e *Editor) article(cfg *config.Site, id string, src []byte) *Article {
	file := content.Dir + "/" + id
	a := &Article{ID: id, Path: file, ETag: etag(src), Fields: Values{}}
	specs := formFields(cfg)
	if doc, err := parseDocument(file, src); err == nil {
		a.Fields, a.Body = doc.values(specs), doc.body
	} else {
		a.Raw = string(src)
	}
	parsed, err := content.Parse(file, src, cfg)
	switch {
	case err != nil:
		a.Status, a.Problems = StatusInvalid, problemsOf(err, src, specs, cfg.Language)
	case parsed.Draft:
		a.Status = StatusDraft
	case parsed.Date.After(e.opts.Now()):
		a.Status = StatusScheduled
	default:
		a.Status = StatusPublished
	}
	if err == nil {
		a.URL = cfg.BasePath + parsed.Path
	}
	return a
}

// articleRequest is the body of create, update and preview.
type articleRequest struct {
	// ID is, for a new article, the path to create under content/;
	// empty, the editor names it from the date and title.
	ID     string         `json:"id"`
	Fields map[string]any `json:"fields"`
	Body   *string        `json:"body"`
	// Raw replaces the whole file instead of Fields and Body.
	Raw *string `json:"raw"`
}

func (e *Editor) readRequest(w http.ResponseWriter, r *http.Request, cfg *config.Site) (*articleRequest, Values, bool) {
	var req articleRequest
	if err := readJSON(r, cfg.MaxArticleBytes*2+1<<16, &req); err != nil {
		e.fail(w, http.StatusBadRequest, "bad_request", nil)
		return nil, nil, false
	}
	values, probs := decodeValues(req.Fields, formFields(cfg), cfg.Language)
	if len(probs) > 0 {
		e.fail(w, http.StatusUnprocessableEntity, "invalid", &apiError{Problems: probs})
		return nil, nil, false
	}
	return &req, values, true
}

func (e *Editor) handleSchema(w http.ResponseWriter) {
	cfg, cat := e.state()
	writeJSON(w, http.StatusOK, e.schema(&cfg, cat))
}

func (e *Editor) handleList(w http.ResponseWriter, r *http.Request) {
	cfg, cat := e.state()
	q := r.URL.Query()
	query := Query{Text: q.Get("q"), Status: Status(q.Get("status")), Region: q.Get("region"), Period: q.Get("period")}
	query.Year, _ = strconv.Atoi(q.Get("year"))
	query.Page, _ = strconv.Atoi(q.Get("page"))
	query.PerPage, _ = strconv.Atoi(q.Get("per_page"))
	writeJSON(w, http.StatusOK, cat.list(query, e.opts.Now(), cfg.BasePath))
}

func (e *Editor) handleGet(w http.ResponseWriter, id string) {
	cfg, _ := e.state()
	src, err := e.store.read(content.Dir, id)
	if err != nil {
		e.readFailed(w, err)
		return
	}
	a := e.article(&cfg, id, src)
	w.Header().Set("ETag", a.ETag)
	writeJSON(w, http.StatusOK, a)
}

func (e *Editor) readFailed(w http.ResponseWriter, err error) {
	if errors.Is(err, fs.ErrNotExist) {
		e.fail(w, http.StatusNotFound, "not_found", nil)
		return
	}
	if isEscape(err) {
		e.fail(w, http.StatusBadRequest, "bad_path", nil)
		return
	}
	e.opts.Logf("editor: %v", err)
	e.fail(w, http.StatusInternalServerError, "io", nil)
}

// isEscape reports os.Root refusing a path that leads out of its folder.
func isEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

// validate checks the file the editor is about to write with the build's
// own parser, and that its URL is its own. It returns the problems, tied
// to form fields.
func (e *Editor) validate(cfg *config.Site, cat *catalog, id string, src []byte) (*content.Article, []Problem) {
	file := content.Dir + "/" + id
	a, err := content.Parse(file, src, cfg)
	if err != nil {
		return nil, problemsOf(err, src, formFields(cfg), cfg.Language)
	}
	for _, other := range cat.entries {
		if other.ID != id && other.Slug == a.Slug && other.Problem == "" {
			err := diag.Errorf(a.FieldPos("slug"), "URL /%s is also the URL of %s; rename one of the files or give it a different slug in its front matter", a.Path, content.Dir+"/"+other.ID)
			return nil, problemsOf(err, src, formFields(cfg), cfg.Language)
		}
	}
	return a, nil
}

// compose makes the file a request asks for, starting from the current
// file (nil for a new one).
func compose(cfg *config.Site, current []byte, req *articleRequest, values Values) []byte {
	if req.Raw != nil {
		return []byte(*req.Raw)
	}
	doc := &document{}
	if current != nil {
		if d, err := parseDocument("", current); err == nil {
			doc = d
		}
	}
	body := req.Body
	if doc.root == nil && body == nil {
		empty := ""
		body = &empty
	}
	return doc.render(formFields(cfg), values, body)
}

func (e *Editor) handleUpdate(w http.ResponseWriter, r *http.Request, id string) {
	cfg, _ := e.state()
	match := r.Header.Get("If-Match")
	if match == "" {
		e.fail(w, http.StatusPreconditionRequired, "if_match", nil)
		return
	}
	req, values, ok := e.readRequest(w, r, &cfg)
	if !ok {
		return
	}
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	_, cat := e.state()
	current, err := e.store.read(content.Dir, id)
	if err != nil {
		e.readFailed(w, err)
		return
	}
	if etag(current) != match {
		e.fail(w, http.StatusConflict, "conflict", &apiError{Current: e.article(&cfg, id, current)})
		return
	}
	next := compose(&cfg, current, req, values)
	if bytes.Equal(next, current) {
		a := e.article(&cfg, id, current)
		w.Header().Set("ETag", a.ETag)
		writeJSON(w, http.StatusOK, a)
		return
	}
	if _, probs := e.validate(&cfg, cat, id, next); probs != nil {
		e.fail(w, http.StatusUnprocessableEntity, "invalid", &apiError{Problems: probs})
		return
	}
	if err := e.store.write(content.Dir, id, next, false); err != nil {
		e.writeFailed(w, err)
		return
	}
	e.saved(&cfg, id, next)
	e.opts.Logf("editor: saved %s/%s", content.Dir, id)
	a := e.article(&cfg, id, next)
	w.Header().Set("ETag", a.ETag)
	writeJSON(w, http.StatusOK, a)
}

func (e *Editor) writeFailed(w http.ResponseWriter, err error) {
	if isEscape(err) {
		e.fail(w, http.StatusBadRequest, "bad_path", nil)
		return
	}
	e.opts.Logf("editor: write: %v", err)
	e.fail(w, http.StatusInternalServerError, "io", nil)
}

// saved puts a written file in the list at once.
func (e *Editor) saved(cfg *config.Site, id string, src []byte) {
	var ent *entry
	if src != nil {
		ent = newEntry(id, src, cfg)
	}
	e.mu.Lock()
	e.cat = e.cat.with(id, ent)
	e.mu.Unlock()
}

// newID names a new article: content/<year>/<slug>.md, the year of its
// date (or this year) and the slug of its slug field or title.
func newID(cfg *config.Site, values Values, now time.Time, n int) string {
	year := now.In(cfg.TimeZone).Year()
	if s, _ := values["date"].(string); s != "" {
		if t, _, err := content.ParseDate(s, cfg.TimeZone); err == nil {
			year = t.In(cfg.TimeZone).Year()
		}
	}
	title, _ := values["title"].(string)
	if s, _ := values["slug"].(string); strings.TrimSpace(s) != "" {
		title = s
	}
	slug := vi.Slug(title)
	if len(slug) > 80 {
		slug = strings.TrimRight(slug[:80], "-")
	}
	if slug == "" {
		slug = "bai-viet"
	}
	if n > 1 {
		slug += "-" + strconv.Itoa(n)
	}
	return strconv.Itoa(year) + "/" + slug + ".md"
}

// maxNameTries bounds the search for a free file name.
const maxNameTries = 100

func (e *Editor) handleCreate(w http.ResponseWriter, r *http.Request) {
	cfg, _ := e.state()
	req, values, ok := e.readRequest(w, r, &cfg)
	if !ok {
		return
	}
	if req.ID != "" && checkArticleID(req.ID) != nil {
		e.fail(w, http.StatusBadRequest, "bad_path", nil)
		return
	}
	src := compose(&cfg, nil, req, values)
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	_, cat := e.state()
	explicitSlug := false
	if s, _ := values["slug"].(string); strings.TrimSpace(s) != "" {
		explicitSlug = true
	}
	for n := 1; n <= maxNameTries; n++ {
		id := req.ID
		if id == "" {
			id = newID(&cfg, values, e.opts.Now(), n)
		}
		_, probs := e.validate(&cfg, cat, id, src)
		if probs != nil {
			if probs[0].Field == "slug" && req.ID == "" && !explicitSlug && strings.HasPrefix(probs[0].Detail, content.Dir) {
				continue // the name is taken: try the next one
			}
			e.fail(w, http.StatusUnprocessableEntity, "invalid", &apiError{Problems: probs})
			return
		}
		if cat.byID[id] != nil && req.ID == "" {
			continue
		}
		err := e.store.write(content.Dir, id, src, true)
		if errors.Is(err, fs.ErrExist) {
			if req.ID != "" {
				e.fail(w, http.StatusConflict, "exists", nil)
				return
			}
			continue
		}
		if err != nil {
			e.writeFailed(w, err)
			return
		}
		e.saved(&cfg, id, src)
		e.opts.Logf("editor: created %s/%s", content.Dir, id)
		art := e.article(&cfg, id, src)
		w.Header().Set("ETag", art.ETag)
		w.Header().Set("Location", Prefix+"api/articles/"+escapePath(id))
		writeJSON(w, http.StatusCreated, art)
		return
	}
	e.fail(w, http.StatusConflict, "exists", nil)
}

func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func (e *Editor) handleDelete(w http.ResponseWriter, r *http.Request, id string) {
	match := r.Header.Get("If-Match")
	if match == "" {
		e.fail(w, http.StatusPreconditionRequired, "if_match", nil)
		return
	}
	cfg, _ := e.state()
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	current, err := e.store.read(content.Dir, id)
	if err != nil {
		e.readFailed(w, err)
		return
	}
	if etag(current) != match {
		e.fail(w, http.StatusConflict, "conflict", &apiError{Current: e.article(&cfg, id, current)})
		return
	}
	item, err := e.store.trash(id, current, e.opts.Now())
	if err != nil {
		e.writeFailed(w, err)
		return
	}
	e.saved(&cfg, id, nil)
	e.opts.Logf("editor: moved %s/%s to %s/%s", content.Dir, id, trashDir, item)
	writeJSON(w, http.StatusOK, map[string]string{"trash": item})
}

func (e *Editor) handleTrash(w http.ResponseWriter) {
	items, err := e.store.trashItems()
	if err != nil {
		e.opts.Logf("editor: trash: %v", err)
		e.fail(w, http.StatusInternalServerError, "io", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (e *Editor) handleRestore(w http.ResponseWriter, r *http.Request) {
	var req struct{ ID string }
	if err := readJSON(r, 4096, &req); err != nil {
		e.fail(w, http.StatusBadRequest, "bad_request", nil)
		return
	}
	_, id, err := splitTrashID(req.ID)
	if err != nil {
		e.fail(w, http.StatusBadRequest, "bad_path", nil)
		return
	}
	cfg, _ := e.state()
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	data, err := e.store.read(trashDir, req.ID)
	if err != nil {
		e.readFailed(w, err)
		return
	}
	if err := e.store.write(content.Dir, id, data, true); errors.Is(err, fs.ErrExist) {
		e.fail(w, http.StatusConflict, "exists", nil)
		return
	} else if err != nil {
		e.writeFailed(w, err)
		return
	}
	if err := e.store.remove(trashDir, req.ID); err != nil {
		e.opts.Logf("editor: restored %s but could not empty its trash entry: %v", id, err)
	}
	e.saved(&cfg, id, data)
	e.opts.Logf("editor: restored %s/%s", content.Dir, id)
	writeJSON(w, http.StatusOK, e.article(&cfg, id, data))
}

// handlePreview renders the page an article would have, from the form's
// values, through the site's own pipeline.
func (e *Editor) handlePreview(w http.ResponseWriter, r *http.Request) {
	cfg, _ := e.state()
	req, values, ok := e.readRequest(w, r, &cfg)
	if !ok {
		return
	}
	var current []byte
	id := req.ID
	if id != "" {
		if checkArticleID(id) != nil {
			e.fail(w, http.StatusBadRequest, "bad_path", nil)
			return
		}
		var err error
		current, err = e.store.read(content.Dir, id)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			e.readFailed(w, err)
			return
		}
	} else {
		id = newID(&cfg, values, e.opts.Now(), 1)
	}
	src := compose(&cfg, current, req, values)
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	html, err := site.PreviewArticle(ctx, &cfg, site.Options{
		Site: e.store.site.FS(), Theme: e.opts.Theme, Cache: e.opts.Cache,
		Content: content.Options{Now: e.opts.Now()},
	}, content.Dir+"/"+id, src)
	if err != nil {
		if ctx.Err() != nil {
			e.fail(w, http.StatusServiceUnavailable, "io", nil)
			return
		}
		e.fail(w, http.StatusUnprocessableEntity, "invalid", &apiError{Problems: problemsOf(err, src, formFields(&cfg), cfg.Language)})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(html)
}
