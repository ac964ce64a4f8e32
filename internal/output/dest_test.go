package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckDestRefusesTheSiteAndWhatItReads(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	real := filepath.Join(top, "real")
	site := filepath.Join(real, "www", "src")
	for _, d := range []string{"content/2024", "layouts", "static"} {
		os.MkdirAll(filepath.Join(site, d), 0o755)
	}
	os.WriteFile(filepath.Join(real, "www", "index.html"), []byte("x"), 0o644)
	alias := filepath.Join(top, "alias")
	os.Symlink(real, alias)
	toLayouts := filepath.Join(top, "to-layouts")
	os.Symlink(filepath.Join(site, "layouts"), toLayouts)
	inputs := []string{filepath.Join(site, "content"), filepath.Join(site, "layouts"), filepath.Join(site, "static")}
	refused := map[string]string{
		filepath.Join(alias, "www"):        "contains the site's own folder", // the case
		filepath.Join(alias, "www", "src"): "is the site's own folder",
		site:                               "is the site's own folder",
		filepath.Join(site, "content", "..") + "/": "is the site's own folder",
		filepath.Join(real, "www"):                 "contains the site's own folder",
		top:                                        "contains the site's own folder",
		"/":                                        "contains the site's own folder",
		filepath.Join(site, "content"):             "is or is inside " + filepath.Join(site, "content"),
		filepath.Join(site, "content", "2024"):     "is or is inside " + filepath.Join(site, "content"),
		filepath.Join(site, "content", "new", "deeper"):     "is or is inside " + filepath.Join(site, "content"),
		filepath.Join(alias, "www", "src", "static", "out"): "is or is inside " + filepath.Join(site, "static"),
		filepath.Join(toLayouts, "out"):                     "is or is inside " + filepath.Join(site, "layouts"),
		filepath.Join(site, "public", "..", "layouts"):      "is or is inside " + filepath.Join(site, "layouts"),
	}
	for dest, want := range refused {
		err := CheckDest(dest, site, inputs...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--dest %s: %v; want %q", dest, err, want)
		}
	}
	// Through a symlinked site folder too.
	if err := CheckDest(filepath.Join(real, "www"), filepath.Join(alias, "www", "src"), inputs...); err == nil {
		t.Error("a site given through a link was not protected")
	}
	for _, dest := range []string{filepath.Join(site, "public"), filepath.Join(real, "www", "public"), filepath.Join(top, "out"), filepath.Join(alias, "www", "src", "public")} {
		if err := CheckDest(dest, site, inputs...); err != nil {
			t.Errorf("--dest %s refused: %v", dest, err)
		}
	}
}
