package server

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// limits bound the time and the connections the preview gives clients.
type limits struct {
	readHeader, read, write, idle time.Duration
	conns                         int // open connections at most
}

func defaultLimits() limits {
	return limits{
		readHeader: 10 * time.Second,
		read:       30 * time.Second,
		write:      30 * time.Second, // the live-reload stream sets its own
		idle:       30 * time.Second,
		conns:      maxConns(openFileLimit()),
	}
}

// maxConns is how many connections to hold open with a process limit of
// files: at most a quarter of it (the build reads files in parallel, the
// watcher holds some), between 8 and 256.
func maxConns(files uint64) int {
	return int(min(256, max(8, files/4)))
}

// contentSecurityPolicy is sent with every response of the preview. Only
// scripts of the site's own origin run (the theme's, the preview's own
// live.js): no inline script, no eval. Articles may show images, video and
// frames from other https sites, and raw HTML (when a site allows it) may
// carry style attributes, as on the published site.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob: https: http:; media-src 'self' https: http:; font-src 'self' data:; " +
	"connect-src 'self'; frame-src 'self' https:; worker-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// setSecurityHeaders keeps other sites from framing the preview, from
// loading its files into their pages, and browsers from guessing types.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Referrer-Policy", "no-referrer")
}

// hostAllowed reports whether a request's Host is this machine: localhost,
// a loopback address, or the address the server listens on (any address,
// written as such, when it listens on all of them), with the port it
// listens on. A page of another site that a DNS rebinding points at
// 127.0.0.1 still sends its own host name, and is refused: drafts and
// build errors stay on this machine.
func (s *Server) hostAllowed(hostport string) bool {
	s.mu.Lock()
	bound := s.bound
	s.mu.Unlock()
	host, port, err := net.SplitHostPort(hostport)
	if err != nil { // no port: the scheme's default
		host, port = hostport, "80"
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" {
		return false
	}
	if bound.IsValid() && port != strconv.Itoa(int(bound.Port())) {
		return false
	}
	if strings.EqualFold(host, "localhost") || strings.EqualFold(host, "localhost.") {
		return true
	}
	for _, name := range s.hosts {
		if strings.EqualFold(strings.TrimSuffix(host, "."), strings.TrimSuffix(name, ".")) {
			return true
		}
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || addr.Zone() != "" {
		return false // a name: only localhost and names given by --host are known
	}
	addr = addr.Unmap()
	if addr.IsLoopback() {
		return true
	}
	return bound.IsValid() && (addr == bound.Addr().Unmap() || bound.Addr().IsUnspecified())
}

// limitListener holds at most max connections open. When full, a new one
// closes an idle keep-alive connection to make room, or, when none is
// idle, is closed at once: the server keeps answering however many idle
// connections clients leave open.
type limitListener struct {
	net.Listener
	max   int
	mu    sync.Mutex
	conns map[net.Conn]http.ConnState
}

func newLimitListener(ln net.Listener, max int) *limitListener {
	return &limitListener{Listener: ln, max: max, conns: map[net.Conn]http.ConnState{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		room := len(l.conns) < l.max || l.closeIdle()
		if room {
			l.conns[c] = http.StateNew
		}
		l.mu.Unlock()
		if room {
			return c, nil
		}
		c.Close()
	}
}

// closeIdle closes one idle connection; l.mu is held.
func (l *limitListener) closeIdle() bool {
	for c, state := range l.conns {
		if state == http.StateIdle {
			delete(l.conns, c)
			c.Close()
			return true
		}
	}
	return false
}

// track follows each connection's state; it is the server's ConnState.
func (l *limitListener) track(c net.Conn, state http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if state == http.StateClosed || state == http.StateHijacked {
		delete(l.conns, c)
		return
	}
	if _, ok := l.conns[c]; ok {
		l.conns[c] = state
	}
}
