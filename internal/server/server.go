// Package server previews a site while it is edited: it builds into memory,
// serves the result on 127.0.0.1, watches the sources, rebuilds on change
// and reloads open pages through server-sent events. A failed rebuild keeps
// the last good site and shows its errors over every open page.
package server

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/bantin/bantin/internal/output"
)

// Prefix is the URL path of the server's own endpoints; sites cannot use it.
const Prefix = "/__bantin/"

//go:embed live.js
var liveScript []byte

// Build builds the site into memory. It is called for the first build and
// after every change; errors are shown to the editor, not fatal. late, when
// not nil, produces files that may arrive after the site is served (the
// search index, which takes longest).
type Build func(ctx context.Context) (site *output.Memory, late Late, err error)

// Late produces files to add to a served site. It should give up when ctx
// ends: a newer build has made its work useless.
type Late func(ctx context.Context) (map[string][]byte, error)

// Server serves the last good build and pushes changes to open pages.
type Server struct {
	build Build
	logf  func(format string, args ...any)

	mu       sync.Mutex
	site     *output.Memory
	late     map[string][]byte  // the latest late files, carried into new builds
	stopLate context.CancelFunc // stops the late work of the previous build
	version  int
	errs     []string // problems of the last build; empty when it succeeded
	clients  map[chan event]bool

	// mounted serves the paths under mountPrefix (the editor); guard,
	// when set, vets every other request before it is served.
	mountPrefix string
	mounted     http.Handler
	guard       func(w http.ResponseWriter, r *http.Request) bool
	afterBuild  func(ctx context.Context)
}

// event is one server-sent event.
type event struct {
	name string
	data string
}

// New returns a server that builds with build and reports with logf.
func New(build Build, logf func(format string, args ...any)) *Server {
	return &Server{build: build, logf: logf, clients: map[chan event]bool{}}
}

// Mount serves the requests whose path starts with prefix (which ends in
// a slash) with h, every method included; the path without its slash
// redirects there. guard, when not nil, is asked first about every other
// request and answers those it refuses. Call it before serving.
func (s *Server) Mount(prefix string, h http.Handler, guard func(w http.ResponseWriter, r *http.Request) bool) {
	s.mountPrefix, s.mounted, s.guard = prefix, h, guard
}

// AfterBuild sets a function to call after every build, good or not, in
// the goroutine that built: the editor refreshes its list from it.
func (s *Server) AfterBuild(f func(ctx context.Context)) { s.afterBuild = f }

// Rebuild builds the site and publishes the result: a good build replaces
// the served site and reloads pages; a failed one keeps the site and shows
// its errors.
func (s *Server) Rebuild(ctx context.Context) error {
	start := time.Now()
	// The previous build's late work would only compete for the cores.
	s.mu.Lock()
	if s.stopLate != nil {
		s.stopLate()
	}
	s.mu.Unlock()
	site, late, err := s.build(ctx)
	// Deferred before the unlock, so it runs once the site is published.
	defer func() {
		if s.afterBuild != nil {
			s.afterBuild(ctx)
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs = strings.Split(err.Error(), "\n")
		data, _ := json.Marshal(s.errs)
		s.broadcast(event{"problems", string(data)})
		s.logf("build failed, still serving the last good site:\n%v", err)
		return err
	}
	// Until its own late files arrive, the new site keeps the last ones:
	// the search page goes on working through an edit.
	if late == nil {
		s.late = nil // e.g. search was turned off
	}
	s.site, s.errs = site.With(s.late), nil
	s.version++
	s.broadcast(event{"reload", fmt.Sprint(s.version)})
	s.logf("rebuilt in %d ms", time.Since(start).Milliseconds())
	if late != nil {
		lateCtx, stop := context.WithCancel(ctx)
		s.stopLate = stop
		go s.addLate(lateCtx, s.version, late)
	}
	return nil
}

// addLate adds late files to the site of version, unless a newer build
// replaced it meanwhile (that build brings its own).
func (s *Server) addLate(ctx context.Context, version int, late Late) {
	files, err := late(ctx)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.logf("search index: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.version != version {
		return
	}
	s.late = files
	s.site = s.site.With(files)
}

func (s *Server) broadcast(e event) {
	for c := range s.clients {
		select {
		case c <- e:
		default: // a slow client misses an event; the next one catches up
		}
	}
}

// ServeHTTP serves the site, the live-reload script and its event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.mounted != nil {
		if strings.HasPrefix(r.URL.Path, s.mountPrefix) || r.URL.Path == strings.TrimSuffix(s.mountPrefix, "/") {
			s.mounted.ServeHTTP(w, r)
			return
		}
		if s.guard != nil && !s.guard(w, r) {
			return
		}
	}
	// Files of the site are served as their extension says, never as
	// something a browser would guess (an upload taken for a script).
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case Prefix + "live.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(liveScript)
		return
	case Prefix + "events":
		s.events(w, r)
		return
	}
	name, ok := siteFile(r.URL.Path)
	s.mu.Lock()
	site := s.site
	s.mu.Unlock()
	if site == nil {
		s.noSite(w)
		return
	}
	status := http.StatusOK
	data, found := site.File(name)
	if ok && !found && !strings.HasSuffix(name, ".html") {
		if _, dir := site.File(name + "/index.html"); dir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
	}
	if !ok || !found {
		data, _ = site.File("404.html")
		name, status = "404.html", http.StatusNotFound
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(ctype, "text/html") {
		s.mu.Lock()
		version := s.version
		s.mu.Unlock()
		data = inject(data, version)
	}
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		w.Write(data)
	}
}

// noSite answers while no build has succeeded yet: the problems, on a page
// that reloads itself once the site builds.
func (s *Server) noSite(w http.ResponseWriter) {
	s.mu.Lock()
	problems := strings.Join(s.errs, "\n")
	s.mu.Unlock()
	if problems == "" {
		problems = "building…"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	page := "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>bantin: build failed</title><body><h1>Bản dựng lỗi / Build failed</h1><pre>" +
		html.EscapeString(problems) + "</pre></body></html>"
	w.Write(inject([]byte(page), -1))
}

// siteFile maps a URL path to an output file name. Paths are resolved
// inside the built site only, which lives in memory: "..", encoded or not,
// can never reach a file on disk.
func siteFile(urlPath string) (string, bool) {
	if strings.ContainsAny(urlPath, "\x00\\") {
		return "", false
	}
	clean := path.Clean("/" + urlPath)
	if clean != "/" && strings.HasSuffix(urlPath, "/") {
		clean += "/"
	}
	for _, seg := range strings.Split(urlPath, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name := strings.TrimPrefix(clean, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	return name, output.CheckName(name) == nil
}

// inject adds the live-reload script to an HTML page. It exists only in
// responses of this server, never in the built site. The script knows the
// build the page came from, so a rebuild that happens before its event
// stream connects is not missed.
func inject(page []byte, version int) []byte {
	tag := []byte(fmt.Sprintf(`<script src="%slive.js" data-version="%d" defer></script>`, Prefix, version))
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(page, tag...)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(append(append(out, page[:i]...), tag...), page[i:]...)
	return out
}

// events streams reloads and build problems to one page until it leaves.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	c := make(chan event, 8)
	s.mu.Lock()
	s.clients[c] = true
	// A page opened while the build is broken sees the problems at once.
	if len(s.errs) > 0 {
		data, _ := json.Marshal(s.errs)
		c <- event{"problems", string(data)}
	} else {
		c <- event{"hello", fmt.Sprint(s.version)}
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	heartbeat := time.NewTicker(20 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case e := <-c:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
			flusher.Flush()
		case <-heartbeat.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			flusher.Flush()
		case <-r.Context().Done():
			return
		}
	}
}

// Serve serves on ln until ctx ends, then shuts down cleanly.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
}
