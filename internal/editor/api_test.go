package editor_test

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/editor"
	"github.com/bantin/bantin/internal/sitetest"
)

// testNow is the editor's clock in tests: 21/11/2026 08:00 in Vietnam.
var testNow = sitetest.Now

const baseSite = `
-- content/2023/nga-bay.md --
---
title: "Thành phố Ngã Bảy: Phát động thi đua"
date: 2023-02-16 06:26
region: Ngã Bảy
slogan: "Cam kết mạnh mẽ, hành động quyết liệt"
period: "2022-2023"
topics: [Thi đua khen thưởng]
---

Ban Thường vụ Thành ủy Ngã Bảy phát động thi đua.
-- content/2024/nhap.md --
---
title: Bản nháp về Vị Thanh
date: 2024-03-01
region: Vị Thanh
draft: true
---
Nháp.
-- content/2027/hen-gio.md --
---
title: Tin hẹn giờ
date: 2027-01-01 07:00
region: Hậu Giang
---
Sắp đăng.
`

// writeSite writes a txtar site into a new folder inside its own parent,
// so that tests can check nothing is written beside it.
func writeSite(t testing.TB, archive string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	for name, f := range sitetest.FS(archive) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type testEditor struct {
	t    testing.TB
	dir  string
	ed   *editor.Editor
	srv  *httptest.Server
	csrf string
	jar  []*http.Cookie
}

func newTestEditor(t testing.TB, archive string, tune ...func(*editor.Options)) *testEditor {
	t.Helper()
	dir := writeSite(t, archive)
	return openTestEditor(t, dir, tune...)
}

func openTestEditor(t testing.TB, dir string, tune ...func(*editor.Options)) *testEditor {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	opts := editor.Options{Source: dir, BaseURL: "http://" + srv.Listener.Addr().String() + "/", Theme: bantin.Theme(),
		Addr: srv.Listener.Addr(), Now: func() time.Time { return testNow }}
	for _, f := range tune {
		f(&opts)
	}
	ed, err := editor.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ed.Close() })
	mux := http.NewServeMux()
	mux.Handle("/", ed)
	srv.Config.Handler = ed
	srv.Start()
	t.Cleanup(srv.Close)
	te := &testEditor{t: t, dir: dir, ed: ed, srv: srv}
	if !ed.LoginRequired() {
		var s struct{ CSRF string }
		te.json("GET", "session", nil, nil, 200, &s)
		te.csrf = s.CSRF
	}
	return te
}

// do sends an API request; path is under /_bantin/api/. Headers with an
// empty value are left out (to drop the CSRF token).
func (te *testEditor) do(method, path string, body any, headers map[string]string) (int, []byte, http.Header) {
	te.t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case *multipart.Writer:
		panic("use upload")
	default:
		data, _ := json.Marshal(b)
		r, ctype = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, te.srv.URL+editor.Prefix+"api/"+path, r)
	if err != nil {
		te.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if te.csrf != "" {
		req.Header.Set("X-Bantin-CSRF", te.csrf)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	for _, c := range te.jar {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		te.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data, resp.Header
}

// json sends a request, checks its status and decodes the answer into out.
func (te *testEditor) json(method, path string, body any, headers map[string]string, want int, out any) http.Header {
	te.t.Helper()
	status, data, h := te.do(method, path, body, headers)
	if status != want {
		te.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			te.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return h
}

func (te *testEditor) file(name string) string {
	te.t.Helper()
	data, err := os.ReadFile(filepath.Join(te.dir, filepath.FromSlash(name)))
	if err != nil {
		te.t.Fatal(err)
	}
	return string(data)
}

func (te *testEditor) exists(name string) bool {
	_, err := os.Stat(filepath.Join(te.dir, filepath.FromSlash(name)))
	return err == nil
}

// tree lists every file under the site's parent folder, with contents.
func (te *testEditor) tree() map[string]string {
	te.t.Helper()
	out := map[string]string{}
	parent := filepath.Dir(te.dir)
	filepath.WalkDir(parent, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(parent, p)
			out[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	return out
}

func sameTree(t testing.TB, what string, before, after map[string]string) {
	t.Helper()
	var diff []string
	for k, v := range after {
		if b, ok := before[k]; !ok || b != v {
			diff = append(diff, "changed or added: "+k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			diff = append(diff, "removed: "+k)
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("%s changed files:\n%s", what, strings.Join(diff, "\n"))
	}
}

type article struct {
	ID       string
	Path     string
	ETag     string
	Status   string
	URL      string
	Fields   map[string]any
	Body     string
	Problems []editor.Problem
}

type apiErr struct {
	Code     string
	Error    string
	Problems []editor.Problem
	Current  *article
}

// Creating, updating, deleting and restoring produce exactly the expected
// files, and a form sent back unchanged leaves the file byte for byte.
func TestArticleRoundTrips(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	var a article
	h := te.json("POST", "articles", map[string]any{
		"fields": map[string]any{
			"title": "Vị Thanh: Tuyên dương điển hình tiên tiến", "date": "2024-05-01 08:30", "region": "Vị Thanh",
			"slogan": "", "topics": []string{"Thi đua khen thưởng", "Dân vận khéo"}, "draft": true,
		},
		"body": "Sáng 1/5, **Vị Thanh** tuyên dương 20 điển hình.",
	}, nil, 201, &a)
	want := "---\ntitle: \"Vị Thanh: Tuyên dương điển hình tiên tiến\"\ndate: 2024-05-01 08:30\nregion: Vị Thanh\n" +
		"topics: [Thi đua khen thưởng, Dân vận khéo]\ndraft: true\n---\n\nSáng 1/5, **Vị Thanh** tuyên dương 20 điển hình.\n"
	if a.ID != "2024/vi-thanh-tuyen-duong-dien-hinh-tien-tien.md" || a.Status != "draft" {
		t.Fatalf("created %+v", a)
	}
	if got := te.file("content/" + a.ID); got != want {
		t.Fatalf("created file:\n%s\nwant:\n%s", got, want)
	}
	if h.Get("ETag") != a.ETag || h.Get("Location") != editor.Prefix+"api/articles/"+a.ID {
		t.Errorf("headers %v", h)
	}

	// Read it back, send it back unchanged: nothing changes.
	var got article
	te.json("GET", "articles/"+a.ID, nil, nil, 200, &got)
	if got.Fields["title"] != "Vị Thanh: Tuyên dương điển hình tiên tiến" || got.Body != "Sáng 1/5, **Vị Thanh** tuyên dương 20 điển hình.\n" {
		t.Fatalf("read back %+v", got)
	}
	var same article
	te.json("PUT", "articles/"+a.ID, map[string]any{"fields": got.Fields, "body": got.Body}, map[string]string{"If-Match": got.ETag}, 200, &same)
	if same.ETag != got.ETag || te.file("content/"+a.ID) != want {
		t.Errorf("an unchanged form rewrote the file")
	}

	// Publish it with another region.
	var pub article
	te.json("PUT", "articles/"+a.ID, map[string]any{"fields": map[string]any{"region": "Hậu Giang", "draft": false}}, map[string]string{"If-Match": got.ETag}, 200, &pub)
	want = strings.Replace(strings.Replace(want, "region: Vị Thanh", "region: Hậu Giang", 1), "draft: true", "draft: false", 1)
	if te.file("content/"+a.ID) != want || pub.Status != "published" || pub.URL != "/bai-viet/vi-thanh-tuyen-duong-dien-hinh-tien-tien/" {
		t.Fatalf("after update %+v:\n%s", pub, te.file("content/"+a.ID))
	}

	// A hand-written file keeps its comments and quoting when one field changes.
	var old article
	te.json("GET", "articles/2023/nga-bay.md", nil, nil, 200, &old)
	te.json("PUT", "articles/2023/nga-bay.md", map[string]any{"fields": map[string]any{"author": "Nguyễn Lê"}}, map[string]string{"If-Match": old.ETag}, 200, nil)
	if got := te.file("content/2023/nga-bay.md"); got != strings.Replace(string(sitetest.FS(baseSite)["content/2023/nga-bay.md"].Data), "topics: [Thi đua khen thưởng]\n", "topics: [Thi đua khen thưởng]\nauthor: Nguyễn Lê\n", 1) {
		t.Errorf("hand-written file after adding an author:\n%s", got)
	}

	// Delete moves it to the trash; restore brings it back as it was.
	var del struct{ Trash string }
	te.json("DELETE", "articles/"+a.ID, nil, map[string]string{"If-Match": pub.ETag}, 200, &del)
	if te.exists("content/" + a.ID) {
		t.Fatal("the deleted file is still there")
	}
	if !strings.HasSuffix(del.Trash, "/"+a.ID) || te.file(".bantin/trash/"+del.Trash) != want {
		t.Fatalf("trash item %q", del.Trash)
	}
	var trash struct{ Items []editor.TrashItem }
	te.json("GET", "trash", nil, nil, 200, &trash)
	if len(trash.Items) != 1 || trash.Items[0].ID != del.Trash || trash.Items[0].Title != "Vị Thanh: Tuyên dương điển hình tiên tiến" {
		t.Fatalf("trash %+v", trash)
	}
	var list editor.ListPage
	te.json("GET", "articles?q=tuyen+duong", nil, nil, 200, &list)
	if list.Total != 0 {
		t.Errorf("the deleted article is still listed: %+v", list)
	}
	te.json("POST", "trash/restore", map[string]string{"id": del.Trash}, nil, 200, nil)
	if te.file("content/"+a.ID) != want || te.exists(".bantin/trash/"+del.Trash) {
		t.Error("restore did not bring the file back as it was")
	}
	te.json("GET", "articles?q=tuyen+duong", nil, nil, 200, &list)
	if list.Total != 1 {
		t.Errorf("the restored article is not listed: %+v", list)
	}
}

// Creating two articles of the same title names the second file apart,
// so that the two URLs differ.
func TestCreateNamesFilesApart(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	fields := map[string]any{"title": "Thành phố Ngã Bảy: Phát động thi đua", "date": "2023-03-01", "region": "Ngã Bảy"}
	var a, b article
	te.json("POST", "articles", map[string]any{"fields": fields, "body": "Một."}, nil, 201, &a)
	te.json("POST", "articles", map[string]any{"fields": fields, "body": "Hai."}, nil, 201, &b)
	if a.ID != "2023/thanh-pho-nga-bay-phat-dong-thi-dua.md" || b.ID != "2023/thanh-pho-nga-bay-phat-dong-thi-dua-2.md" {
		t.Errorf("ids %q %q", a.ID, b.ID)
	}
	// The sample's nga-bay.md has slug nga-bay: a slug field naming it is refused.
	var e apiErr
	te.json("POST", "articles", map[string]any{"fields": map[string]any{"title": "X", "date": "2023-03-01", "region": "Huế", "slug": "nga-bay"}}, nil, 422, &e)
	if len(e.Problems) != 1 || e.Problems[0].Field != "slug" || !strings.Contains(e.Problems[0].Message, "đã được dùng cho bài content/2023/nga-bay.md") {
		t.Errorf("slug collision: %+v", e)
	}
}

// An update based on a stale version gets 409 with the current version,
// and the file is untouched; an update without a version gets 428.
func TestStaleVersionConflicts(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	var a article
	te.json("GET", "articles/2024/nhap.md", nil, nil, 200, &a)
	// Someone edits the file on disk.
	onDisk := strings.Replace(te.file("content/2024/nhap.md"), "Nháp.", "Nháp đã sửa trên đĩa.", 1)
	os.WriteFile(filepath.Join(te.dir, "content/2024/nhap.md"), []byte(onDisk), 0o644)
	before := te.tree()
	var e apiErr
	te.json("PUT", "articles/2024/nhap.md", map[string]any{"fields": map[string]any{"title": "Của tôi"}}, map[string]string{"If-Match": a.ETag}, 409, &e)
	if e.Code != "conflict" || e.Current == nil || e.Current.Body != "Nháp đã sửa trên đĩa.\n" || e.Current.ETag == a.ETag {
		t.Fatalf("409 body %+v", e)
	}
	te.json("DELETE", "articles/2024/nhap.md", nil, map[string]string{"If-Match": a.ETag}, 409, nil)
	te.json("PUT", "articles/2024/nhap.md", map[string]any{"fields": map[string]any{"title": "Của tôi"}}, nil, 428, nil)
	te.json("DELETE", "articles/2024/nhap.md", nil, nil, 428, nil)
	sameTree(t, "refused updates", before, te.tree())
	// With the current version the update goes through.
	te.json("PUT", "articles/2024/nhap.md", map[string]any{"fields": map[string]any{"title": "Của tôi"}}, map[string]string{"If-Match": e.Current.ETag}, 200, nil)
	if got := te.file("content/2024/nhap.md"); !strings.Contains(got, "title: Của tôi\n") || !strings.Contains(got, "Nháp đã sửa trên đĩa.") {
		t.Errorf("merged file:\n%s", got)
	}
}

// Every state change needs the session's CSRF token and a same-origin
// request; refused ones write nothing.
func TestStateChangesNeedCSRFAndSameOrigin(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	body := map[string]any{"fields": map[string]any{"title": "Tin", "date": "2024-01-02", "region": "Huế"}}
	before := te.tree()
	for name, headers := range map[string]map[string]string{
		"no token":        {"X-Bantin-CSRF": ""},
		"wrong token":     {"X-Bantin-CSRF": te.csrf[1:]},
		"foreign origin":  {"Origin": "http://evil.example"},
		"null origin":     {"Origin": "null"},
		"cross-site":      {"Sec-Fetch-Site": "cross-site"},
		"other port":      {"Origin": "http://127.0.0.1:1"},
		"rebinding host":  {"Host": "evil.example:80"},
		"rebinding host2": {"Host": "evil.example", "Origin": "http://evil.example"},
	} {
		status, data, _ := te.do("POST", "articles", body, headers)
		want := 403
		if strings.HasPrefix(name, "rebinding") {
			want = 421
		}
		if status != want {
			t.Errorf("%s: status %d, want %d: %s", name, status, want, data)
		}
		status, _, _ = te.do("POST", "upload", []byte("x"), headers)
		if status != want {
			t.Errorf("%s: upload status %d, want %d", name, status, want)
		}
	}
	if status, _, _ := te.do("GET", "articles", nil, map[string]string{"Host": "evil.example:1313"}); status != 421 {
		t.Errorf("a read through a rebound host name got %d, want 421", status)
	}
	sameTree(t, "refused requests", before, te.tree())
	origin := te.srv.URL
	te.json("POST", "articles", body, map[string]string{"Origin": origin, "Sec-Fetch-Site": "same-origin"}, 201, nil)
}

// Paths that lead out of content/ get 400, and nothing is written
// anywhere: not outside the site, not elsewhere inside it.
func TestTraversalRefused(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	outside := filepath.Join(filepath.Dir(te.dir), "outside")
	os.MkdirAll(outside, 0o755)
	if err := os.Symlink(outside, filepath.Join(te.dir, "content", "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	before := te.tree()
	body := map[string]any{"fields": map[string]any{"title": "Tin", "date": "2024-01-02", "region": "Huế"}, "body": "x"}
	paths := []string{
		"../site.toml", "../../outside/x.md", "..%2Fsite.toml", "%2e%2e/%2e%2e/outside/x.md", "%2E%2E/x.md",
		"2024/../../site.md", "/etc/x.md", "%2Fetc%2Fx.md", "..%5Cx.md", "a%5C..%5C..%5Cx.md", "x%00.md",
		"link/x.md", ".hidden/x.md", "2024/.x.md", "2024/x.txt", "C:%5Cx.md", "2024//x.md", "./x.md",
	}
	for _, p := range paths {
		for _, method := range []string{"GET", "PUT", "DELETE"} {
			status, data, _ := te.do(method, "articles/"+p, body, map[string]string{"If-Match": `"x"`})
			if status != 400 {
				t.Errorf("%s articles/%s: status %d, want 400: %s", method, p, status, data)
			}
		}
	}
	for _, id := range []string{"../x.md", "../../outside/x.md", "/tmp/x.md", "link/x.md", "a\\..\\x.md", "x\x00.md", "2024/x.html"} {
		b := map[string]any{"id": id, "fields": body["fields"], "body": "x"}
		if status, data, _ := te.do("POST", "articles", b, nil); status != 400 {
			t.Errorf("create %q: status %d, want 400: %s", id, status, data)
		}
		if status, _, _ := te.do("POST", "preview", b, nil); status != 400 {
			t.Errorf("preview %q: status %d, want 400", id, status)
		}
	}
	for _, item := range []string{"../../site.toml", "20260101T000000.000000000Z/../../../site.toml", "20260101T000000.000000000Z/link/x.md", "x"} {
		if status, _, _ := te.do("POST", "trash/restore", map[string]string{"id": item}, nil); status != 400 && status != 404 {
			t.Errorf("restore %q: status %d", item, status)
		}
	}
	sameTree(t, "traversal attempts", before, te.tree())
}

// Front matter the build would refuse gets 422 with one problem per field,
// in the UI language, with the build's own file:line:col message; no file
// is written.
func TestInvalidFrontMatterGets422(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	before := te.tree()
	var e apiErr
	te.json("POST", "articles", map[string]any{"fields": map[string]any{
		"title": "", "date": "2024-13-45", "region": "Huế", "source": "javascript:alert(1)", "period": "2025-2024",
	}}, nil, 422, &e)
	got := map[string]editor.Problem{}
	for _, p := range e.Problems {
		got[p.Field] = p
	}
	want := map[string][2]string{
		"title":  {"Không được để trống.", "content/2026/bai-viet.md:2:8: title must not be empty"},
		"date":   {"“2024-13-45” không phải là ngày hợp lệ", "content/2026/bai-viet.md:3:7: date \"2024-13-45\" is not a date"},
		"period": {"Đợt thi đua “2025-2024” kết thúc trước khi bắt đầu.", "content/2026/bai-viet.md:5:9: period \"2025-2024\" ends before it starts"},
		"source": {"dùng giao thức javascript:", "content/2026/bai-viet.md:6:9: source \"javascript:alert(1)\" uses the javascript: scheme"},
	}
	if len(got) != len(want) {
		t.Errorf("problems %+v", e.Problems)
	}
	for field, w := range want {
		p, ok := got[field]
		if !ok || !strings.Contains(p.Message, w[0]) || !strings.HasPrefix(p.Detail, w[1]) {
			t.Errorf("%s: got %+v, want message %q and detail %q", field, p, w[0], w[1])
		}
	}
	// Wrong types and unknown fields are refused before the build's check.
	te.json("POST", "articles", map[string]any{"fields": map[string]any{"title": 3, "date": "2024-01-01", "region": "Huế"}}, nil, 422, &e)
	if e.Problems[0].Field != "title" {
		t.Errorf("wrong type: %+v", e)
	}
	te.json("POST", "articles", map[string]any{"fields": map[string]any{"title": "T", "date": "2024-01-01", "region": "Huế", "tags": []string{"a"}}}, nil, 422, &e)
	// An update that breaks the file is refused the same way.
	var a article
	te.json("GET", "articles/2024/nhap.md", nil, nil, 200, &a)
	te.json("PUT", "articles/2024/nhap.md", map[string]any{"fields": map[string]any{"region": ""}}, map[string]string{"If-Match": a.ETag}, 422, &e)
	if e.Problems[0].Field != "region" || !strings.HasPrefix(e.Problems[0].Detail, "content/2024/nhap.md:4:9: region must not be empty") {
		t.Errorf("update problems %+v", e.Problems)
	}
	sameTree(t, "invalid requests", before, te.tree())
}

// English sites get English messages.
func TestProblemsInEnglish(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite+"-- site.toml --\ntitle = \"Bulletin\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n")
	var e apiErr
	te.json("POST", "articles", map[string]any{"fields": map[string]any{"title": "", "date": "2024-01-01", "region": "Huế"}}, nil, 422, &e)
	if len(e.Problems) != 1 || e.Problems[0].Message != "Title must not be empty" || e.Error != "The article has problems." {
		t.Errorf("%+v", e)
	}
	var s editor.Schema
	te.json("GET", "schema", nil, nil, 200, &s)
	if s.Language != "en" || s.Fields[0].Label != "Title" {
		t.Errorf("schema %+v", s.Fields[0])
	}
}

// The list finds articles as the site's search does ("thi dua" finds
// "thi đua"), filters them, and pages through them newest first.
func TestListSearchesAndFilters(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite+"-- content/bad.md --\n---\ntitle: Hỏng\ndate: x\nregion: Huế\n---\n")
	list := func(q string) editor.ListPage {
		var p editor.ListPage
		te.json("GET", "articles?"+q, nil, nil, 200, &p)
		return p
	}
	ids := func(p editor.ListPage) string {
		var out []string
		for _, it := range p.Items {
			out = append(out, it.ID+":"+string(it.Status))
		}
		return strings.Join(out, " ")
	}
	for q, want := range map[string]string{
		"":                       "bad.md:invalid 2027/hen-gio.md:scheduled 2024/nhap.md:draft 2023/nga-bay.md:published",
		"q=thi+dua":              "2023/nga-bay.md:published",
		"q=NGA+BAY+phat":         "2023/nga-bay.md:published",
		"q=Ngã+Bảy":              "2023/nga-bay.md:published",
		"q=vi+thanh":             "2024/nhap.md:draft",
		"status=scheduled":       "2027/hen-gio.md:scheduled",
		"status=draft":           "2024/nhap.md:draft",
		"status=invalid":         "bad.md:invalid",
		"region=Ngã+Bảy":         "2023/nga-bay.md:published",
		"year=2024":              "2024/nhap.md:draft",
		"period=2022-2023":       "2023/nga-bay.md:published",
		"per_page=2&page=2":      "2024/nhap.md:draft 2023/nga-bay.md:published",
		"q=khong+co+dau+nao+het": "",
	} {
		if got := ids(list(q)); got != want {
			t.Errorf("%q: got %q, want %q", q, got, want)
		}
	}
	p := list("per_page=3")
	if p.Total != 4 || p.Pages != 2 || len(p.Facets.Regions) != 3 || p.Facets.Years[0] != 2027 {
		t.Errorf("page %+v", p)
	}
	if p.Items[0].Problem != "content/bad.md:3:7: date \"x\" is not a date; write 2023-02-16, \"2023-02-16 06:26\" or 2023-02-16T06:26:00+07:00" {
		t.Errorf("problem %q", p.Items[0].Problem)
	}
}

// The list follows files changed on disk once refreshed (after the
// preview's rebuild), reading again only what changed.
func TestListFollowsDisk(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	os.WriteFile(filepath.Join(te.dir, "content/2025/moi.md"), nil, 0o644)
	os.MkdirAll(filepath.Join(te.dir, "content/2025"), 0o755)
	os.WriteFile(filepath.Join(te.dir, "content/2025/moi.md"), []byte("---\ntitle: Tin mới từ đĩa\ndate: 2025-01-01\nregion: Huế\n---\n"), 0o644)
	os.Remove(filepath.Join(te.dir, "content/2024/nhap.md"))
	if err := te.ed.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	var p editor.ListPage
	te.json("GET", "articles", nil, nil, 200, &p)
	if p.Total != 3 || p.Items[1].Title != "Tin mới từ đĩa" {
		t.Errorf("after refresh %+v", p.Items)
	}
}

// The schema lists the built-in fields in order, with the terms articles
// use as suggestions.
func TestSchemaSuggestsExistingTerms(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	var s editor.Schema
	te.json("GET", "schema", nil, nil, 200, &s)
	var keys []string
	byKey := map[string]editor.SchemaField{}
	for _, f := range s.Fields {
		keys = append(keys, f.Key)
		byKey[f.Key] = f
	}
	if strings.Join(keys, ",") != "title,date,region,slogan,period,topics,author,source,summary,image,draft,slug" {
		t.Errorf("fields %v", keys)
	}
	// The site's regions first, then the gazetteer's places of today.
	if got := strings.Join(byKey["region"].Suggestions, "|"); !strings.HasPrefix(got, "Hậu Giang|Ngã Bảy|Vị Thanh|An Giang|") ||
		!strings.Contains(got, "|Cần Thơ|") || !strings.Contains(got, "|TP Hồ Chí Minh|") || !strings.Contains(got, "|Ninh Kiều|") {
		t.Errorf("region suggestions %q", got)
	}
	if got := strings.Join(byKey["topics"].Suggestions, "|"); got != "Thi đua khen thưởng" {
		t.Errorf("topic suggestions %q", got)
	}
	if got := strings.Join(byKey["period"].Suggestions, "|"); got != "2022-2023" {
		t.Errorf("period suggestions %q", got)
	}
	if s.Now != "2026-11-21 08:00" || s.TimeZone != "Asia/Ho_Chi_Minh" || byKey["title"].Label != "Tiêu đề" || !byKey["date"].Required {
		t.Errorf("schema %+v", s)
	}
}

// The preview is the article's page as the site renders it, from the
// form's values; problems come back as for a save.
func TestPreviewRendersThePage(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite)
	status, data, h := te.do("POST", "preview", map[string]any{"id": "2024/nhap.md", "fields": map[string]any{"title": "Tiêu đề <mới>"}, "body": "Đoạn **đậm**."}, nil)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d: %s", status, data)
	}
	for _, want := range []string{"Tiêu đề &lt;mới&gt;", "Đoạn <strong>đậm</strong>.", `href="/khu-vuc/vi-thanh/"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(te.file("content/2024/nhap.md"), "mới") {
		t.Error("preview wrote the file")
	}
	var e apiErr
	te.json("POST", "preview", map[string]any{"fields": map[string]any{"title": "T", "date": "2024-01-01", "region": "Huế"}, "body": "[x](khong-co.md)"}, nil, 422, &e)
	if len(e.Problems) != 1 || e.Problems[0].Field != "body" {
		t.Errorf("%+v", e)
	}
}

const declaredSite = `
-- site.toml --
title = "Bản tin"
base_url = "https://example.gov.vn/"

[[taxonomies]]
key = "unit"
name = "Đơn vị"
path = "don-vi"
required = true

[[taxonomies]]
key = "fields_of_work"
name = "Lĩnh vực"
multiple = true

[[taxonomies]]
key = "slogan"
enabled = false
-- content/2023/a.md --
---
title: Tin A
date: 2023-02-16
region: Huế
unit: Sở Y tế
fields_of_work: [Y tế, Giáo dục]
---
Nội dung.
`

// Taxonomies site.toml declares are fields of the form, after the
// built-in ones, with the terms articles use as suggestions; a built-in
// one turned off leaves the form.
func TestDeclaredTaxonomiesInTheForm(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, declaredSite)
	var s editor.Schema
	te.json("GET", "schema", nil, nil, 200, &s)
	var keys []string
	byKey := map[string]editor.SchemaField{}
	for _, f := range s.Fields {
		keys = append(keys, f.Key)
		byKey[f.Key] = f
	}
	if got := strings.Join(keys, ","); got != "title,date,region,period,topics,unit,fields_of_work,author,source,summary,image,draft,slug" {
		t.Errorf("fields %s", got)
	}
	unit, work := byKey["unit"], byKey["fields_of_work"]
	if unit.Label != "Đơn vị" || unit.Kind != editor.KindText || !unit.Required || strings.Join(unit.Suggestions, "|") != "Sở Y tế" {
		t.Errorf("unit %+v", unit)
	}
	if work.Label != "Lĩnh vực" || work.Kind != editor.KindList || work.Required || strings.Join(work.Suggestions, "|") != "Giáo dục|Y tế" {
		t.Errorf("fields_of_work %+v", work)
	}
	// A required declared taxonomy left empty is a problem of its field.
	var e apiErr
	te.json("POST", "articles", map[string]any{"fields": map[string]any{"title": "Tin B", "date": "2024-01-01", "region": "Huế"}}, nil, 422, &e)
	if len(e.Problems) != 1 || e.Problems[0].Field != "unit" {
		t.Errorf("problems %+v", e.Problems)
	}
	var a article
	te.json("POST", "articles", map[string]any{"fields": map[string]any{
		"title": "Tin B", "date": "2024-01-01", "region": "Huế", "unit": "Phòng Nội vụ", "fields_of_work": []string{"Giáo dục"}, "topics": []string{"Chuyển đổi số"},
	}}, nil, 201, &a)
	want := "---\ntitle: Tin B\ndate: 2024-01-01\nregion: Huế\ntopics: [Chuyển đổi số]\nunit: Phòng Nội vụ\nfields_of_work: [Giáo dục]\n---\n\n"
	if got := te.file("content/" + a.ID); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	var list editor.ListPage
	te.json("GET", "articles?q=noi+vu", nil, nil, 200, &list)
	if list.Total != 1 {
		t.Errorf("search by a declared term found %d", list.Total)
	}
}

// The site's own places (data/regions.toml) are suggested too.
func TestRegionSuggestionsIncludeSitePlaces(t *testing.T) {
	t.Parallel()
	te := newTestEditor(t, baseSite+"-- data/regions.toml --\n[xa-dai-hoa]\nname = \"Đại Hòa Mới\"\nkind = \"xã\"\nparent = \"can-tho\"\n")
	var s editor.Schema
	te.json("GET", "schema", nil, nil, 200, &s)
	if got := strings.Join(s.Fields[2].Suggestions, "|"); s.Fields[2].Key != "region" || !strings.Contains(got, "|Đại Hòa Mới") {
		t.Errorf("region suggestions %q", got)
	}
}
