package cli_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bantin/bantin/internal/output"
)

// TestBuildThroughASymlinkedParentKeepsTheSource is the case of issue 16:
// --dest names, through a link, the folder that holds the site.
func TestBuildThroughASymlinkedParentKeepsTheSource(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	src := filepath.Join(top, "real", "www", "src")
	for name, data := range map[string]string{"content/a.md": good, "site.toml": "title = \"Bản tin\"\nbase_url = \"https://example.gov.vn/\"\n"} {
		os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755)
		os.WriteFile(filepath.Join(src, name), []byte(data), 0o644)
	}
	os.WriteFile(filepath.Join(top, "real", "www", "index.html"), []byte("<p>trang chủ</p>"), 0o644)
	os.Symlink(filepath.Join(top, "real"), filepath.Join(top, "alias"))
	before := snapshot(t, filepath.Join(top, "real"))
	for _, dest := range []string{
		filepath.Join(top, "alias", "www"),
		filepath.Join(top, "alias", "www", "src"),
		filepath.Join(top, "alias", "www", "src", "content"),
		filepath.Join(top, "alias", "www", "src", "public", "..", "content", "out"),
		filepath.Join(top, "alias"),
	} {
		code, _, errOut := run("build", "--source", src, "--dest", dest, now)
		if code != 1 || !strings.Contains(errOut, "--dest "+filepath.Clean(dest)+" ") {
			t.Errorf("--dest %s: exit %d: %s", dest, code, errOut)
		}
	}
	after := snapshot(t, filepath.Join(top, "real"))
	if len(after) != len(before) {
		t.Fatalf("%d files before, %d after", len(before), len(after))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed", name)
		}
	}
	if code, _, errOut := run("build", "--source", filepath.Join(top, "alias", "www", "src"), "--dest", filepath.Join(top, "alias", "www", "src", "public"), now); code != 0 {
		t.Errorf("public/ inside the site, through the link: %s", errOut)
	}
}

func TestBuildReplacesOnlyFoldersItWrote(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{
		"content/a.md":                good,
		"layouts/404.html":            `{{define "main"}}<p>Không thấy</p>{{end}}`,
		"layouts/partials/extra.html": "<p>thêm</p>",
	})
	theme := snapshot(t, filepath.Join(dir, "layouts"))
	code, _, errOut := run("build", "--source", dir, "--dest", filepath.Join(dir, "layouts"), now)
	if code != 1 || !strings.Contains(errOut, "which the build reads") {
		t.Errorf("--dest layouts: exit %d: %s", code, errOut)
	}
	// A project folder elsewhere, with an index.html.
	project := t.TempDir()
	for name, data := range map[string]string{".git/HEAD": "ref: refs/heads/main", "src/main.go": "package main", "index.html": "<p>dự án</p>"} {
		os.MkdirAll(filepath.Dir(filepath.Join(project, name)), 0o755)
		os.WriteFile(filepath.Join(project, name), []byte(data), 0o644)
	}
	projectBefore := snapshot(t, project)
	code, _, errOut = run("build", "--source", dir, "--dest", project, now)
	if code != 1 || !strings.Contains(errOut, "holds index.html but no .bantin-output file") {
		t.Errorf("project folder: exit %d: %s", code, errOut)
	}
	for _, c := range []struct {
		dir, name string
		want      map[string]string
	}{{filepath.Join(dir, "layouts"), "layouts/", theme}, {project, "the project", projectBefore}} {
		got := snapshot(t, c.dir)
		if len(got) != len(c.want) {
			t.Errorf("%s: %d files, had %d", c.name, len(got), len(c.want))
		}
		for name, data := range c.want {
			if got[name] != data {
				t.Errorf("%s: %s changed", c.name, name)
			}
		}
	}
	// bantin's own output is replaced, build after build.
	public := filepath.Join(t.TempDir(), "public")
	for i := range 2 {
		if code, _, errOut := run("build", "--source", dir, "--dest", public, now); code != 0 {
			t.Fatalf("build %d: %s", i, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(public, output.Marker)); err != nil {
		t.Errorf("no marker in the output: %v", err)
	}
	// A site built by an older bantin has no marker: it is refused once,
	// with the way out, and builds again when deleted.
	os.Remove(filepath.Join(public, output.Marker))
	code, _, errOut = run("build", "--source", dir, "--dest", public, now)
	if code != 1 || !strings.Contains(errOut, "delete it once (rm -r "+public+") and build again") {
		t.Errorf("unmarked old site: exit %d: %s", code, errOut)
	}
	os.RemoveAll(public)
	if code, _, errOut := run("build", "--source", dir, "--dest", public, now); code != 0 {
		t.Errorf("after deleting it: %s", errOut)
	}
}

func TestBuildSaysWhichBuildHoldsTheDestination(t *testing.T) {
	t.Parallel()
	dir := writeSite(t, map[string]string{"content/a.md": good})
	public := filepath.Join(dir, "public")
	holder, err := output.NewDisk(public)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run("build", "--source", dir, now)
	want := "another bantin build is writing " + public + " (process " + strconv.Itoa(os.Getpid()) + ", since "
	if code != 1 || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, "; wait for it to finish, or stop it, and build again\n") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	holder.Abort()
	if code, _, errOut := run("build", "--source", dir, now); code != 0 {
		t.Errorf("after the other build ended: %s", errOut)
	}
}
