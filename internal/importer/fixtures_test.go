package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/gazetteer"
)

// A fixture (testdata/fixtures/*.txtar) is one input with the fields a
// reader would label in it:
//
//	-- want --            (or "-- want post-12 --" per post of an export)
//	title: ...
//	date: 2023-02-16      (the day)
//	period: 2022-2023 | 2024-07-01..2025-06-30 | -  (- : none stated)
//	-- encode --          (optional: nfd, utf-16le, windows-1258, tcvn3, vni)
//	-- select --          (optional: a CSS selector)
//	-- input.txt --       (the input; docx/... parts are zipped into input.docx)

type fixture struct {
	name   string
	files  map[string][]byte // input files to write, by name
	input  string            // the file to import
	sel    string
	wants  map[string]map[string]string // by article ("" for a single one)
	fields []string                     // label order, for stable output
}

func loadFixtures(t testing.TB) []fixture {
	t.Helper()
	names, err := filepath.Glob("testdata/fixtures/*.txtar")
	if err != nil || len(names) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	sort.Strings(names)
	var out []fixture
	for _, name := range names {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f := fixture{name: strings.TrimSuffix(filepath.Base(name), ".txtar"), files: map[string][]byte{}, wants: map[string]map[string]string{}}
		encoding := ""
		var docx []txtar.File
		for _, file := range ar.Files {
			switch {
			case file.Name == "encode":
				encoding = strings.TrimSpace(string(file.Data))
			case file.Name == "select":
				f.sel = strings.TrimSpace(string(file.Data))
			case file.Name == "want" || strings.HasPrefix(file.Name, "want "):
				key := strings.TrimSpace(strings.TrimPrefix(file.Name, "want"))
				w := map[string]string{}
				for _, line := range strings.Split(string(file.Data), "\n") {
					k, v, ok := strings.Cut(line, ":")
					if !ok {
						continue
					}
					k, v = strings.TrimSpace(k), strings.TrimSpace(v)
					w[k] = v
				}
				f.wants[key] = w
			case strings.HasPrefix(file.Name, "docx/"):
				docx = append(docx, file)
			case strings.HasPrefix(file.Name, "input.") || strings.HasPrefix(file.Name, "export."):
				f.input = file.Name
				f.files[file.Name] = encodeAs(t, encoding, string(file.Data))
			default:
				f.files[file.Name] = file.Data
			}
		}
		if len(docx) > 0 {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for _, p := range docx {
				w, err := zw.Create(strings.TrimPrefix(p.Name, "docx/"))
				if err != nil {
					t.Fatal(err)
				}
				w.Write(p.Data)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			f.input = "input.docx"
			f.files[f.input] = buf.Bytes()
		}
		if f.input == "" {
			t.Fatalf("%s: no input file", name)
		}
		out = append(out, f)
	}
	return out
}

// newTestSite makes an empty site folder and opens it.
func newTestSite(t testing.TB, siteTOML string) (string, *os.Root, *config.Site) {
	t.Helper()
	dir := t.TempDir()
	if siteTOML == "" {
		siteTOML = "title = \"Thử\"\nbase_url = \"https://example.gov.vn/\"\ntime_zone = \"Asia/Ho_Chi_Minh\"\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte(siteTOML), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	cfg, err := config.Load(root.FS())
	if err != nil {
		t.Fatal(err)
	}
	return dir, root, &cfg
}

// importedFields reads the fields of a written article as bantin does.
func importedFields(t testing.TB, root *os.Root, cfg *config.Site, file string) map[string]string {
	return importedFieldsIn(t, root, cfg, file, nil)
}

// importedFieldsIn is importedFields with the region as the canonical name
// the gazetteer resolves it to.
func importedFieldsIn(t testing.TB, root *os.Root, cfg *config.Site, file string, g *gazetteer.Gazetteer) map[string]string {
	t.Helper()
	src, err := root.ReadFile(filepath.FromSlash(file))
	if err != nil {
		t.Fatal(err)
	}
	a, err := content.Parse(file, src, cfg)
	if err != nil {
		t.Fatalf("%s does not parse: %v", file, err)
	}
	got := map[string]string{
		"title":  a.Title,
		"date":   content.DayOf(a.Date).String(),
		"region": a.Region,
		"slogan": a.Slogan,
		"author": a.Author,
		"period": "-",
		"draft":  fmt.Sprint(a.Draft),
	}
	for k, v := range got {
		if v == "" {
			got[k] = "-"
		}
	}
	if g != nil {
		if p, err := g.Resolve(a.Region, a.Date); err == nil {
			got["region"] = p.Name
		}
	}
	if a.Period != nil {
		got["period"] = a.Period.Start.String() + ".." + a.Period.End.String()
	}
	return got
}

// periodDays writes a labelled period as start..end days.
func periodDays(label string) string {
	if label == "-" || label == "" {
		return "-"
	}
	if strings.Contains(label, "..") {
		return label
	}
	p, err := content.ParsePeriodText(label)
	if err != nil {
		return "bad label " + label
	}
	return p.Start.String() + ".." + p.End.String()
}

// runFixture imports one fixture into a fresh site with places (nil: no
// gazetteer) and returns, per labelled article, the fields found.
func runFixture(t testing.TB, f fixture, places *gazetteer.Gazetteer) map[string]map[string]string {
	t.Helper()
	in := t.TempDir()
	for name, data := range f.files {
		p := filepath.Join(in, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, root, cfg := newTestSite(t, "")
	got := map[string]map[string]string{}
	input := filepath.Join(in, f.input)
	opts := Options{Site: cfg, Root: root, Select: f.sel, Gazetteer: places, Publish: true, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, err := Import(context.Background(), opts, []string{input}, func(r Result) {
		key := strings.TrimPrefix(strings.TrimPrefix(r.Input, input), "#")
		if r.Err != nil {
			t.Errorf("%s %s: %v", f.name, key, r.Err)
			return
		}
		if r.File == "" {
			t.Errorf("%s %s: skipped: %s", f.name, key, r.Skipped)
			return
		}
		if _, ok := f.wants[key]; !ok {
			t.Errorf("%s: an article %q that is not labelled (a page or an attachment of an export?)", f.name, key)
		}
		got[key] = importedFieldsIn(t, root, cfg, r.File, places)
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// scoreFixtures compares found fields with the labels, field by field.
func scoreFixtures(t testing.TB, places *gazetteer.Gazetteer, log func(string)) (right, total int) {
	for _, f := range loadFixtures(t) {
		got := runFixture(t, f, places)
		keys := make([]string, 0, len(f.wants))
		for k := range f.wants {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			want := f.wants[k]
			fields := make([]string, 0, len(want))
			for field := range want {
				fields = append(fields, field)
			}
			sort.Strings(fields)
			for _, field := range fields {
				w := collapseSpace(want[field])
				g := collapseSpace(got[k][field])
				if field == "period" {
					w = periodDays(w)
				}
				if w == "" {
					w = "-"
				}
				total++
				if g == w {
					right++
				} else {
					log(fmt.Sprintf("%s %s %s: got %q, want %q", f.name, k, field, g, w))
				}
			}
		}
	}
	return right, total
}

func TestFixturesImportWithTheirLabelledFields(t *testing.T) {
	t.Parallel()
	right, total := scoreFixtures(t, testPlaces(), func(s string) { t.Log(s) })
	share := float64(right) / float64(total)
	fmt.Printf("importer field accuracy on %d labelled fields of the fixtures: %d right (%.1f%%)\n", total, right, 100*share)
	if share < 0.9 {
		t.Errorf("field accuracy %.1f%% is under 90%%", 100*share)
	}
}
