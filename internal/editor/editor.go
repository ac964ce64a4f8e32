// Package editor is the newsroom editor that `bantin serve` offers at
// /_bantin/: a JSON API over the site's content files (list, read, create,
// update, delete to a trash, preview, upload) and the browser UI that uses
// it, embedded in the binary. It writes Markdown files atomically; the
// preview server's watcher rebuilds the site from them exactly as after a
// save in a text editor.
//
// Safety: every update names the version it edits (If-Match) and a stale
// one is refused with the current version; paths stay inside content/ and
// static/ (os.Root); state changes need a CSRF token and a same-origin
// request; the Host header must name the server (DNS rebinding); and on
// any address but this machine's, editors sign in with a password whose
// bcrypt hash `bantin passwd` stores.
package editor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/site"
)

// Prefix is the URL path of the editor.
const Prefix = "/_bantin/"

// DefaultMaxUpload bounds an uploaded image.
const DefaultMaxUpload = 10 << 20

// Options configure an editor.
type Options struct {
	// Source is the site's folder.
	Source string
	// BaseURL is the preview's base URL, which the editor sets on the
	// configuration as the preview's builds do.
	BaseURL string
	// Theme is the embedded default theme; Cache, when set, the preview
	// server's cache, whose last build previews reuse.
	Theme fs.FS
	Cache *site.Cache
	// Passwords is the password file; empty means PasswordFile in Source.
	// When it exists, editors sign in.
	Passwords string
	// RequireLogin refuses to start without a password file: the server
	// listens on an address other machines can reach.
	RequireLogin bool
	// Addr is where the server listens; Hosts are further names, with or
	// without a port, that clients may use for it (a reverse proxy's).
	// Requests naming another host are refused.
	Addr  net.Addr
	Hosts []string
	// MaxUpload bounds an uploaded image; 0 means DefaultMaxUpload.
	MaxUpload int64
	// Logf reports writes; nil discards.
	Logf func(format string, args ...any)
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// Editor serves the editor and its API.
type Editor struct {
	opts  Options
	store store
	auth  *auth
	hosts map[string]bool

	// writeMu makes a version check and the write that follows one step.
	writeMu sync.Mutex

	mu  sync.RWMutex
	cfg config.Site
	cat *catalog
}

// ErrNoPassword is returned by New when the server listens where other
// machines can reach it and no password is set.
var ErrNoPassword = errors.New("no password")

// New opens the site folder and reads its articles.
func New(opts Options) (*Editor, error) {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = DefaultMaxUpload
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Passwords == "" {
		opts.Passwords = filepath.Join(opts.Source, filepath.FromSlash(PasswordFile))
	}
	users, err := loadPasswords(opts.Passwords)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.RequireLogin:
		return nil, fmt.Errorf("%w: the editor listens on %s, which other machines can reach, and %s does not exist; create a password with `bantin passwd --source %s`, or listen on 127.0.0.1", ErrNoPassword, opts.Addr, opts.Passwords, opts.Source)
	case errors.Is(err, fs.ErrNotExist):
		users = nil
	case err != nil:
		return nil, err
	}
	root, err := os.OpenRoot(opts.Source)
	if err != nil {
		return nil, fmt.Errorf("open site folder: %w", err)
	}
	e := &Editor{opts: opts, store: store{site: root}, auth: newAuth(users), hosts: allowedHosts(opts.Addr, opts.Hosts)}
	if err := e.Refresh(context.Background()); err != nil {
		root.Close()
		return nil, err
	}
	return e, nil
}

// Close releases the site folder.
func (e *Editor) Close() error { return e.store.site.Close() }

// LoginRequired reports whether editors sign in with a password.
func (e *Editor) LoginRequired() bool { return e.auth.required() }

// Refresh reads site.toml and the content files again, parsing only files
// that changed. The preview server calls it after each rebuild.
func (e *Editor) Refresh(ctx context.Context) error {
	cfg, err := config.Load(e.store.site.FS())
	if err != nil {
		return err
	}
	if e.opts.BaseURL != "" {
		if err := cfg.SetBaseURL(e.opts.BaseURL); err != nil {
			return err
		}
	}
	e.mu.RLock()
	old := e.cat
	e.mu.RUnlock()
	var fsys fs.FS = emptyFS{}
	if sub, err := e.store.site.OpenRoot(content.Dir); err == nil {
		defer sub.Close()
		fsys = sub.FS()
	}
	cat, err := refreshCatalog(ctx, fsys, &cfg, old)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.cfg, e.cat = cfg, cat
	e.mu.Unlock()
	return nil
}

// emptyFS is the content of a site without a content folder.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (e *Editor) state() (config.Site, *catalog) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.cfg, e.cat
}

// allowedHosts lists the Host header values that name this server: its
// address, this machine's names for loopback, every interface's address
// when it listens on all of them, and the extra names given.
func allowedHosts(addr net.Addr, extra []string) map[string]bool {
	hosts := map[string]bool{}
	if addr == nil {
		return hosts
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return hosts
	}
	add := func(h string) {
		hosts[strings.ToLower(net.JoinHostPort(h, port))] = true
	}
	for _, h := range []string{"localhost", "127.0.0.1", "::1", host} {
		add(h)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					add(n.IP.String())
				}
			}
		}
	}
	for _, h := range extra {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		hosts[h] = true
		if _, _, err := net.SplitHostPort(h); err != nil {
			add(h)
		}
	}
	return hosts
}

// hostAllowed checks a request's Host header: a page of another site that
// rebinds its name to this machine's address must not reach the editor.
func (e *Editor) hostAllowed(r *http.Request) bool {
	return e.hosts[strings.ToLower(r.Host)]
}

// sameOrigin checks that a state-changing request comes from the editor's
// own pages: browsers name the page's origin in Origin and say in
// Sec-Fetch-Site where a request comes from. Scripts that send neither
// still need the CSRF token.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, r.Host)
}

// Guard protects the preview's own pages when editors sign in: drafts may
// be shown there. It answers requests without a session and returns false
// for them.
func (e *Editor) Guard(w http.ResponseWriter, r *http.Request) bool {
	if !e.auth.required() || e.auth.current(r) != nil {
		return true
	}
	w.Header().Set("Cache-Control", "no-store")
	if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return false
	}
	http.Error(w, "sign in at "+Prefix, http.StatusUnauthorized)
	return false
}

func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	// No inline script or style: the page's data travels as JSON. The
	// preview is a srcdoc frame, which inherits this policy; it shows
	// the site's own styles and images, and the article's images from
	// anywhere, as the real page does.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; "+
		"font-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
}

// ServeHTTP serves the editor under Prefix.
func (e *Editor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if !e.hostAllowed(r) {
		http.Error(w, "this server does not answer for host "+r.Host, http.StatusMisdirectedRequest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), Prefix)
	if !ok {
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
		return
	}
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead
	if !safe && !sameOrigin(r) {
		e.fail(w, http.StatusForbidden, "cross_origin", nil)
		return
	}
	api, isAPI := strings.CutPrefix(rest, "api/")
	if !isAPI {
		e.serveUI(w, r, rest)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if api == "login" {
		e.handleLogin(w, r)
		return
	}
	s := e.auth.current(r)
	if s == nil {
		e.fail(w, http.StatusUnauthorized, "login_required", nil)
		return
	}
	if !safe && !s.validCSRF(r) {
		e.fail(w, http.StatusForbidden, "csrf", nil)
		return
	}
	route, tail, _ := strings.Cut(api, "/")
	switch {
	case route == "session" && tail == "" && safe:
		writeJSON(w, http.StatusOK, map[string]any{"user": s.user, "csrf": s.csrf, "login": e.auth.required()})
	case route == "logout" && tail == "" && r.Method == http.MethodPost:
		e.auth.logout(w, r)
		writeJSON(w, http.StatusOK, map[string]any{})
	case route == "schema" && tail == "" && safe:
		e.handleSchema(w)
	case route == "articles" && tail == "":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			e.handleList(w, r)
		case http.MethodPost:
			e.handleCreate(w, r)
		default:
			e.notAllowed(w, "GET, POST")
		}
	case route == "articles":
		id, err := unescapePath(tail)
		if err == nil {
			err = checkArticleID(id)
		}
		if err != nil {
			e.fail(w, http.StatusBadRequest, "bad_path", nil)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			e.handleGet(w, id)
		case http.MethodPut:
			e.handleUpdate(w, r, id)
		case http.MethodDelete:
			e.handleDelete(w, r, id)
		default:
			e.notAllowed(w, "GET, PUT, DELETE")
		}
	case route == "preview" && tail == "" && r.Method == http.MethodPost:
		e.handlePreview(w, r)
	case route == "upload" && tail == "" && r.Method == http.MethodPost:
		e.handleUpload(w, r)
	case route == "trash" && tail == "" && safe:
		e.handleTrash(w)
	case route == "trash" && tail == "restore" && r.Method == http.MethodPost:
		e.handleRestore(w, r)
	default:
		e.fail(w, http.StatusNotFound, "not_found", nil)
	}
}

// unescapePath decodes a path from a URL segment by segment, so that an
// encoded slash (%2F) cannot join two segments into "..".
func unescapePath(escaped string) (string, error) {
	segs := strings.Split(escaped, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || strings.Contains(u, "/") {
			return "", errBadPath
		}
		segs[i] = u
	}
	return strings.Join(segs, "/"), nil
}

func (e *Editor) notAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	e.fail(w, http.StatusMethodNotAllowed, "method", nil)
}

// apiError is the body of every error answer.
type apiError struct {
	Code     string    `json:"code"`
	Error    string    `json:"error"`
	Problems []Problem `json:"problems,omitempty"`
	// Current is the file as it is now, with a 409.
	Current *Article `json:"current,omitempty"`
}

func (e *Editor) fail(w http.ResponseWriter, status int, code string, extra *apiError) {
	cfg, _ := e.state()
	body := apiError{}
	if extra != nil {
		body = *extra
	}
	body.Code = code
	body.Error = uiString(cfg.Language, "err_"+code)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// readJSON decodes a request body of at most limit bytes.
func readJSON(r *http.Request, limit int64, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, limit+1))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.InputOffset() > limit {
		return errors.New("request too large")
	}
	return nil
}

func (e *Editor) handleLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		e.notAllowed(w, "POST")
		return
	}
	if !e.auth.required() {
		writeJSON(w, http.StatusOK, map[string]any{"user": "", "csrf": e.auth.local.csrf, "login": false})
		return
	}
	var req struct{ User, Password string }
	if err := readJSON(r, 4096, &req); err != nil {
		e.fail(w, http.StatusBadRequest, "bad_request", nil)
		return
	}
	s, err := e.auth.login(w, r, req.User, req.Password)
	var many errTooMany
	switch {
	case errors.As(err, &many):
		w.Header().Set("Retry-After", strconv.Itoa(int(many.wait/time.Second)+1))
		e.fail(w, http.StatusTooManyRequests, "too_many", nil)
	case err != nil:
		e.fail(w, http.StatusUnauthorized, "bad_login", nil)
	default:
		e.opts.Logf("editor: %s signed in from %s", s.user, clientKey(r))
		writeJSON(w, http.StatusOK, map[string]any{"user": s.user, "csrf": s.csrf, "login": true})
	}
}

// etag is a file's version: a hash of its bytes.
func etag(src []byte) string {
	sum := sha256.Sum256(src)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}
