package cli_test

import (
	"os"
	"path/filepath"
	"testing"
)

func TestHiddenStaticFilesAreNotPublishedAndCheckListsThem(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"content/a.md":                      good,
		"static/.git/config":                "[remote \"origin\"]\n\turl = https://token@example.com/x.git\n",
		"static/.git/objects/ab/cdef":       "x",
		"static/.env":                       "SECRET=1",
		"static/css/.bak.css":               "x",
		"static/.well-known/security.txt":   "Contact: mailto:a@example.gov.vn\n",
		"static/.well-known/.hidden":        "x",
		"static/.well-known/acme/abc":       "token",
		"static/css/site.css":               "body{}",
		"static/tai-lieu/.htaccess":         "Deny from all",
		"static/tai-lieu/ke-hoach-2024.pdf": "%PDF",
		"content/.drafts/old.md":            "not an article",
		"layouts/.git/HEAD":                 "ref: refs/heads/main",
		"layouts/partials/.footer.html.swp": "x",
	})
	code, out, errOut := run("check", "--source", dir)
	want := "note: static/.env is hidden and is not published (only .well-known/ is)\n" +
		"note: static/.git/ is hidden and is not published (only .well-known/ is)\n" +
		"note: static/.well-known/.hidden is hidden and is not published (only .well-known/ is)\n" +
		"note: static/css/.bak.css is hidden and is not published (only .well-known/ is)\n" +
		"note: static/tai-lieu/.htaccess is hidden and is not published (only .well-known/ is)\n"
	if code != 0 || len(out) < len(want) || out[:len(want)] != want {
		t.Errorf("check: exit %d\n%s\nwant it to start with:\n%s%s", code, out, want, errOut)
	}
	public := filepath.Join(t.TempDir(), "public")
	if code, _, errOut := run("build", "--source", dir, "--dest", public, now); code != 0 {
		t.Fatal(errOut)
	}
	got := snapshot(t, public)
	for _, name := range []string{".well-known/security.txt", ".well-known/acme/abc", "css/site.css", "tai-lieu/ke-hoach-2024.pdf"} {
		if _, ok := got[name]; !ok {
			t.Errorf("%s was not published", name)
		}
	}
	for _, name := range []string{".git/config", ".git/objects/ab/cdef", ".env", "css/.bak.css", ".well-known/.hidden", "tai-lieu/.htaccess"} {
		if _, ok := got[name]; ok {
			t.Errorf("%s was published", name)
		}
	}
	if _, err := os.Stat(filepath.Join(public, ".git")); !os.IsNotExist(err) {
		t.Errorf("public/.git exists: %v", err)
	}
}
