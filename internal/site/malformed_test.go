package site_test

import (
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/bantin/bantin/internal/sitetest"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/malformed")

// TestMalformedSites builds every site under testdata/malformed and checks
// its problems against the file's "want" section, line for line: each
// "file:line:col: message", or "ok" for input that must be accepted.
// Run with -update to rewrite the want sections after reviewing a change.
func TestMalformedSites(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("testdata/malformed/*.txtar")
	if len(paths) < 40 {
		t.Fatalf("only %d malformed sites", len(paths))
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			a := txtar.Parse(data)
			var want string
			var site []txtar.File
			for _, f := range a.Files {
				if f.Name == "want" {
					want = strings.TrimSpace(string(f.Data))
					continue
				}
				site = append(site, f)
			}
			fsys := sitetest.FS(string(txtar.Format(&txtar.Archive{Files: site})))
			got := "ok"
			if _, err := sitetest.BuildFS(t, fsys); err != nil {
				got = strings.Join(sitetest.Problems(err), "\n")
			}
			if *update {
				a.Files = append(site, txtar.File{Name: "want", Data: []byte(got + "\n")})
				if err := os.WriteFile(p, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want == "" {
				t.Fatalf("no want section; review the output and run with -update:\n%s", got)
			}
			if got != want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestMalformedFiles covers what a txtar archive cannot hold: a huge file,
// symbolic links that loop or dangle, a folder named like an article and a
// content/ that is a file. Each is a real folder read through os.Root.
func TestMalformedFiles(t *testing.T) {
	t.Parallel()
	good := "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\n---\n"
	cases := []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"50 MB article", func(dir string) {
			big := append([]byte(good), make([]byte, 50<<20)...)
			os.WriteFile(filepath.Join(dir, "content", "lon.md"), big, 0o644)
		}, "content/lon.md: file is 52428857 bytes, over the limit of 5242880 bytes; split the article, or raise [limits] max_article_bytes in site.toml"},
		{"symlink loop", func(dir string) {
			os.Symlink("vong.md", filepath.Join(dir, "content", "vong.md"))
		}, "content/vong.md: cannot read: too many levels of symbolic links"},
		{"dangling symlink", func(dir string) {
			os.Symlink("khong-co.md", filepath.Join(dir, "content", "lac.md"))
		}, "content/lac.md: cannot read: no such file or directory"},
		{"symlink out of the site", func(dir string) {
			os.Symlink("/etc/hostname", filepath.Join(dir, "content", "ngoai.md"))
		}, "content/ngoai.md: cannot read: path escapes from parent"},
		{"socket named like an article", func(dir string) {
			ln, err := net.Listen("unix", filepath.Join(dir, "content", "o.md"))
			if err == nil {
				t.Cleanup(func() { ln.Close() })
			}
		}, "content/o.md: is a socket, not a regular file; bantin reads only regular files: remove it, or replace it with a file"},
		{"link to a socket", func(dir string) {
			ln, err := net.Listen("unix", filepath.Join(dir, "content", ".o"))
			if err == nil {
				t.Cleanup(func() { ln.Close() })
			}
			os.Symlink(".o", filepath.Join(dir, "content", "o.md"))
		}, "content/o.md: is a socket, not a regular file; bantin reads only regular files: remove it, or replace it with a file"},
		{"folder named like an article", func(dir string) {
			os.MkdirAll(filepath.Join(dir, "content", "thu-muc.md"), 0o755)
		}, "ok"},
		{"content is a file", func(dir string) {
			os.RemoveAll(filepath.Join(dir, "content"))
			os.WriteFile(filepath.Join(dir, "content"), []byte(good), 0o644)
		}, "content: content must be a folder of Markdown files, but it is a file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "content"), 0o755)
			os.WriteFile(filepath.Join(dir, "site.toml"), []byte(sitetest.DefaultConfig), 0o644)
			os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(good), 0o644)
			tc.setup(dir)
			root, err := os.OpenRoot(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			got := "ok"
			if _, err := sitetest.BuildDir(t, root.FS()); err != nil {
				got = strings.Join(sitetest.Problems(err), "\n")
			}
			if got != tc.want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
