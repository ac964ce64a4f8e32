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
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
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
	// limits bound what one connection may take; tests shrink them.
	limits limits

	mu       sync.Mutex
	site     *output.Memory
	late     map[string][]byte  // the latest late files, carried into new builds
	stopLate context.CancelFunc // stops the late work of the previous build
	version  int
	errs     []string // problems of the last build; empty when it succeeded
	clients  map[chan event]bool
	bound    netip.AddrPort // the address Serve listens on; zero before

	// mounted serves the paths under mountPrefix (the editor); guard,
	// when set, vets every other request before it is served.
	mountPrefix string
	mounted     http.Handler
	guard       func(w http.ResponseWriter, r *http.Request) bool
	afterBuild  func(ctx context.Context)
	// hosts are more names clients may reach the server by (a reverse
	// proxy's, or the office server's, name), besides this machine's.
	hosts []string
}

// event is one server-sent event.
type event struct {
	name string
	data string
}

// New returns a server that builds with build and reports with logf.
func New(build Build, logf func(format string, args ...any)) *Server {
	return &Server{build: build, logf: logf, clients: map[chan event]bool{}, limits: defaultLimits()}
}

// Mount serves the requests whose path starts with prefix (which ends in
// a slash) with h, every method included; the path without its slash
// redirects there. guard, when not nil, is asked first about every other
// request and answers those it refuses. Call it before serving.
func (s *Server) Mount(prefix string, h http.Handler, guard func(w http.ResponseWriter, r *http.Request) bool) {
	s.mountPrefix, s.mounted, s.guard = prefix, h, guard
}

// AllowHosts adds host names the preview answers to, besides localhost,
// loopback addresses and the address it listens on. Call it before serving.
func (s *Server) AllowHosts(names ...string) { s.hosts = append(s.hosts, names...) }

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

// ServeHTTP serves the site, the live-reload script and its event stream,
// to requests for this machine only (see hostAllowed).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The editor answers its own paths: it checks the Host, sessions and
	// tokens, and sets its own headers (its preview is framed by its page).
	if s.mounted != nil && (strings.HasPrefix(r.URL.Path, s.mountPrefix) || r.URL.Path == strings.TrimSuffix(s.mountPrefix, "/")) {
		s.mounted.ServeHTTP(w, r)
		return
	}
	setSecurityHeaders(w.Header())
	if !s.hostAllowed(r.Host) {
		http.Error(w, fmt.Sprintf("bantin serve answers requests for localhost, 127.0.0.1, [::1] or the address it listens on, not for host %q: "+
			"open the preview at the address bantin serve printed", r.Host), http.StatusMisdirectedRequest)
		return
	}
	if s.guard != nil && !s.guard(w, r) {
		return
	}
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
			redirect(w, r, name+"/")
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

// redirect sends the browser to the site folder name. The target is made
// from the output name, which is clean and relative, not from the request
// path: "/%2fkhu-vuc" must not become "//khu-vuc/", which a browser reads
// as another host.
func redirect(w http.ResponseWriter, r *http.Request, name string) {
	target := (&url.URL{Path: "/" + name}).EscapedPath()
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		http.NotFound(w, r) // cannot happen for a checked name; never redirect off the site
		return
	}
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusMovedPermanently)
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
	// The stream stays open for as long as the page: the server's write
	// timeout does not apply to it; each event must be written within the
	// write timeout instead. (The read timeout ends with the request's
	// head: net/http then clears it for the connection's background read.)
	rc := http.NewResponseController(w)
	send := func(format string, args ...any) bool {
		rc.SetWriteDeadline(time.Now().Add(s.limits.write))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
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
			if !send("event: %s\ndata: %s\n\n", e.name, e.data) {
				return
			}
		case <-heartbeat.C:
			if !send(": keep-alive\n\n") {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

// Serve serves on ln until ctx ends, then shuts down within a quarter of
// a second. Every connection has time limits, and at most a bounded number
// are open at once (see limitListener), so that idle or slow clients
// cannot use up the process's files.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok {
		s.mu.Lock()
		s.bound = tcp.AddrPort()
		s.mu.Unlock()
	}
	limited := newLimitListener(ln, s.limits.conns)
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.limits.readHeader,
		ReadTimeout:       s.limits.read,
		WriteTimeout:      s.limits.write,
		IdleTimeout:       s.limits.idle,
		MaxHeaderBytes:    64 << 10,
		ConnState:         limited.track,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          log.New(io.Discard, "", 0), // refused connections are not news
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(limited) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		if err := srv.Shutdown(shutdown); errors.Is(err, context.DeadlineExceeded) {
			srv.Close() // a response still being written to a slow client
		} else if err != nil {
			return err
		}
		return nil
	}
}
