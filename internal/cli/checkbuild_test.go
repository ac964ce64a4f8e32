package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// problems are the problem lines of a failed run, without its summary.
func problems(errOut string) string {
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) > 0 && (strings.HasPrefix(lines[len(lines)-1], "build failed") || strings.HasPrefix(lines[len(lines)-1], "check failed")) {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// TestCheckFindsWhatBuildWould builds sites whose output paths are too
// long to write, and wants check to report exactly what build reports.
func TestCheckFindsWhatBuildWould(t *testing.T) {
	t.Parallel()
	deep := "static/" + strings.Repeat(strings.Repeat("b", 200)+"/", 11) + "x.txt"
	cases := map[string]struct {
		files map[string]string
		want  string // the one problem; "" when the site may build
	}{
		"a static file nested too deep": {map[string]string{"content/a.md": good, deep: "x"},
			deep + ": output path " + strings.TrimPrefix(deep, "static/")[:60] + "… is 2216 bytes long, over the limit of 2048; shorten the names that make it"},
		// Slugs may be shortened where they are made; whatever happens to
		// this one, check and build must agree.
		"a 300-character slug": {map[string]string{"content/a.md": "---\ntitle: Tin A\ndate: 2024-01-01\nregion: Cần Thơ\nslug: " + strings.Repeat("a", 300) + "\n---\nNội dung.\n"}, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := writeSite(t, c.files)
			checkCode, _, checkErr := run("check", "--source", dir)
			buildCode, _, buildErr := run("build", "--source", dir, "--dest", filepath.Join(t.TempDir(), "public"), now)
			if checkCode != buildCode || problems(checkErr) != problems(buildErr) {
				t.Fatalf("check: exit %d\n%s\nbuild: exit %d\n%s", checkCode, checkErr, buildCode, buildErr)
			}
			if c.want != "" && problems(buildErr) != c.want {
				t.Errorf("got  %s\nwant %s", problems(buildErr), c.want)
			}
			if buildCode != 0 && !strings.HasPrefix(buildErr, "content/a.md:5:7: ") && !strings.HasPrefix(buildErr, "static/") {
				t.Errorf("the problem has no position in the input: %s", buildErr)
			}
		})
	}
}

func TestFileNamesWithLineBreaksCannotForgeProblems(t *testing.T) {
	t.Parallel()
	name := "a.md\nb.md:1:1: forged problem\n"
	dir := writeSite(t, map[string]string{"content/ok.md": good})
	if err := os.WriteFile(filepath.Join(dir, "content", name+".md"), []byte("---\ntitle: Tin\ndate: hôm qua\nregion: Cần Thơ\n---\n"), 0o644); err != nil {
		t.Skipf("this file system refuses such names: %v", err)
	}
	code, _, errOut := run("check", "--source", dir)
	want := `"content/a.md\nb.md:1:1: forged problem\n.md":3:7: date "hôm qua" is not a date;`
	if code != 1 || !strings.HasPrefix(errOut, want) || strings.Count(errOut, "\n") != 2 {
		t.Errorf("exit %d:\n%s\nwant:\n%s", code, errOut, want)
	}
}
