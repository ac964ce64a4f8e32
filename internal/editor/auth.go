package editor

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// PasswordFile is where `bantin passwd` keeps the editors' password hashes,
// relative to the site folder: a hidden folder the build never publishes
// and the API cannot reach.
const PasswordFile = ".bantin/passwords"

// passwordCost is bcrypt's work factor: about a quarter of a second per
// attempt on an office server, which makes guessing slow.
const passwordCost = 12

// HashPassword returns the line to store for user's password in a
// password file: "user:bcrypt-hash".
func HashPassword(user, password string) (string, error) {
	if err := checkUserName(user); err != nil {
		return "", err
	}
	if len(password) < 8 {
		return "", errors.New("the password must have at least 8 characters")
	}
	if len(password) > 72 {
		return "", errors.New("the password must have at most 72 bytes (bcrypt ignores the rest)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), passwordCost)
	if err != nil {
		return "", err
	}
	return user + ":" + string(h), nil
}

func checkUserName(user string) error {
	if user == "" || len(user) > 64 || strings.ContainsAny(user, ": \t\r\n") {
		return fmt.Errorf("user name %q must be 1 to 64 characters without spaces or colons", user)
	}
	return nil
}

// SetPassword adds or replaces user's line in the password file at file,
// creating it (mode 0600) when needed, atomically.
func SetPassword(file, user, password string) error {
	line, err := HashPassword(user, password)
	if err != nil {
		return err
	}
	var kept []string
	if data, err := os.ReadFile(file); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if l == "" || strings.HasPrefix(l, user+":") {
				continue
			}
			kept = append(kept, l)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	kept = append(kept, line)
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(kept, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// loadPasswords reads a password file: one "user:bcrypt-hash" per line.
func loadPasswords(file string) (map[string][]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	users := map[string][]byte{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		if _, err := bcrypt.Cost([]byte(hash)); !ok || err != nil || checkUserName(user) != nil {
			return nil, fmt.Errorf("%s:%d: not a line written by bantin passwd (user:bcrypt-hash)", file, n)
		}
		users[user] = []byte(hash)
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("%s has no password; add one with bantin passwd", file)
	}
	return users, nil
}

// session is a signed-in editor.
type session struct {
	user    string
	csrf    string
	expires time.Time
}

const (
	sessionCookie   = "bantin_session"
	sessionLifetime = 12 * time.Hour
	maxSessions     = 1000
)

// auth holds the password hashes, the sessions and the login limits. With
// no passwords (the editor on this machine only) there is one implicit
// session, whose CSRF token the editor's page carries.
type auth struct {
	users map[string][]byte // nil: no login needed
	local session           // the implicit session without passwords

	mu       sync.Mutex
	sessions map[string]*session // by cookie value
	limits   *limiter
	// checking bounds the bcrypt comparisons run at once, so that a flood
	// of logins cannot take every core.
	checking chan struct{}
	// dummy is compared against for unknown users, so that they take as
	// long to refuse as known ones.
	dummy []byte
}

func newAuth(users map[string][]byte) *auth {
	a := &auth{users: users, sessions: map[string]*session{}, limits: newLimiter(), checking: make(chan struct{}, 2)}
	a.local = session{user: "", csrf: randomToken()}
	if users != nil {
		for _, h := range users {
			cost, _ := bcrypt.Cost(h)
			a.dummy, _ = bcrypt.GenerateFromPassword([]byte(randomToken()), cost)
			break
		}
	}
	return a
}

func randomToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// required reports whether editors must sign in.
func (a *auth) required() bool { return a.users != nil }

// current returns the session of a request, or nil.
func (a *auth) current(r *http.Request) *session {
	if !a.required() {
		return &a.local
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sessions[c.Value]
	if s == nil || time.Now().After(s.expires) {
		delete(a.sessions, c.Value)
		return nil
	}
	s.expires = time.Now().Add(sessionLifetime)
	return s
}

// errTooMany is a login refused without checking, for the delay it gives.
type errTooMany struct{ wait time.Duration }

func (e errTooMany) Error() string { return fmt.Sprintf("too many attempts; wait %s", e.wait) }

var errBadLogin = errors.New("wrong user name or password")

// login checks a password and opens a session, subject to the limits.
func (a *auth) login(w http.ResponseWriter, r *http.Request, user, password string) (*session, error) {
	ip := clientKey(r)
	if wait := a.limits.wait(ip, time.Now()); wait > 0 {
		return nil, errTooMany{wait}
	}
	a.checking <- struct{}{}
	hash, known := a.users[user]
	if !known {
		hash = a.dummy
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(password))
	<-a.checking
	if err != nil || !known {
		a.limits.failed(ip, time.Now())
		return nil, errBadLogin
	}
	a.limits.succeeded(ip)
	s := &session{user: user, csrf: randomToken(), expires: time.Now().Add(sessionLifetime)}
	token := randomToken()
	a.mu.Lock()
	if len(a.sessions) >= maxSessions {
		a.evictLocked()
	}
	a.sessions[token] = s
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r), MaxAge: int(sessionLifetime / time.Second),
	})
	return s, nil
}

// evictLocked drops expired sessions, or the one closest to expiring.
func (a *auth) evictLocked() {
	now := time.Now()
	var oldest string
	for k, s := range a.sessions {
		if now.After(s.expires) {
			delete(a.sessions, k)
			continue
		}
		if oldest == "" || s.expires.Before(a.sessions[oldest].expires) {
			oldest = k
		}
	}
	if len(a.sessions) >= maxSessions {
		delete(a.sessions, oldest)
	}
}

func (a *auth) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.mu.Lock()
		delete(a.sessions, c.Value)
		a.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r), MaxAge: -1})
}

func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// validCSRF reports whether a state-changing request carries the session's
// token in its header.
func (s *session) validCSRF(r *http.Request) bool {
	got := r.Header.Get(csrfHeader)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// csrfHeader carries the CSRF token on every request that changes state.
const csrfHeader = "X-Bantin-CSRF"

// clientKey is who a login attempt comes from: the IP address, or its /64
// network for IPv6, where one client holds many addresses.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String()
	}
	return ip.String()
}

// limiter slows down password guessing: after a few failures from one
// client, each further attempt must wait twice as long as the last, up to
// a quarter of an hour; and when failures from everywhere together exceed
// a rate, every client waits (a guesser with many addresses).
type limiter struct {
	mu      sync.Mutex
	clients map[string]*attempts
	global  attempts
}

type attempts struct {
	failures int
	until    time.Time // no attempt before
	last     time.Time
}

const (
	freeFailures     = 5
	maxLoginWait     = 15 * time.Minute
	globalFreeFails  = 50 // failures from all clients before everyone waits
	forgetFailures   = time.Hour
	maxTrackedClient = 10000
)

func newLimiter() *limiter { return &limiter{clients: map[string]*attempts{}} }

// wait is how long client must wait before trying again.
func (l *limiter) wait(client string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.global.until.Sub(now)
	if a := l.clients[client]; a != nil {
		w = max(w, a.until.Sub(now))
	}
	return max(w, 0)
}

func backoff(failures, free int) time.Duration {
	if failures < free {
		return 0
	}
	d := time.Second << min(failures-free, 10)
	return min(d, maxLoginWait)
}

func (l *limiter) failed(client string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.clients[client]
	if a == nil {
		if len(l.clients) >= maxTrackedClient {
			for k, v := range l.clients {
				if now.Sub(v.last) > forgetFailures || len(l.clients) >= maxTrackedClient {
					delete(l.clients, k)
				}
			}
		}
		a = &attempts{}
		l.clients[client] = a
	}
	for _, x := range []*attempts{a, &l.global} {
		if now.Sub(x.last) > forgetFailures {
			x.failures = 0
		}
		x.failures++
		x.last = now
	}
	a.until = now.Add(backoff(a.failures, freeFailures))
	l.global.until = now.Add(backoff(l.global.failures, globalFreeFails))
}

func (l *limiter) succeeded(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.clients, client)
}
