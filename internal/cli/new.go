package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/index"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/vi"
)

// runNew writes a new draft article with valid front matter.
func runNew(args []string, stdout, stderr io.Writer, now time.Time) int {
	flags := flag.NewFlagSet("bantin new", flag.ContinueOnError)
	flags.SetOutput(stderr)
	source := flags.String("source", ".", "the site's folder (with site.toml)")
	region := flags.String("region", "", "the article's region, e.g. \"Hậu Giang\" (required by every article)")
	slogan := flags.String("slogan", "", "the campaign's slogan")
	period := flags.String("period", "", "the campaign period: \"2024\", \"2022-2023\"")
	topics := flags.String("topics", "", "comma-separated topics: \"Thi đua khen thưởng,Chuyển đổi số\"")
	var sets setFlags
	flags.Var(&sets, "set", "key=value: the value of a taxonomy site.toml declares, e.g. --set unit=\"Sở Y tế\" (repeatable; comma-separated values for multiple = true)")
	// Flags may follow the title, as users type them.
	var title string
	rest := args
	for len(rest) > 0 {
		if err := flags.Parse(rest); err != nil {
			return 2
		}
		if flags.NArg() == 0 {
			break
		}
		if title != "" {
			fmt.Fprintf(stderr, "bantin new: unexpected argument %q; put the title in quotes\n", flags.Arg(0))
			return 2
		}
		title, rest = flags.Arg(0), flags.Args()[1:]
	}
	title = vi.NFC(strings.TrimSpace(title))
	if title == "" {
		fmt.Fprintln(stderr, `bantin new: give the title in quotes: bantin new "Tiêu đề bài viết" --region "Hậu Giang"`)
		return 2
	}
	slug := vi.Slug(title)
	if slug == "" {
		fmt.Fprintf(stderr, "bantin new: the title %q has no letters or digits to make a file name from; write a title with words\n", title)
		return 1
	}
	if *period != "" {
		if _, err := content.ParsePeriodText(*period); err != nil {
			fmt.Fprintf(stderr, "bantin new: --period: %v\n", err)
			return 2
		}
	}
	root, err := os.OpenRoot(*source)
	if err != nil {
		return reportFailed(stderr, fmt.Errorf("open site folder: %w", err), "new")
	}
	defer root.Close()
	cfg, err := config.Load(input.Dir(root))
	if err != nil {
		return reportFailed(stderr, err, "new")
	}
	if r := cfg.Taxonomy(config.Region); r != nil && r.Required && strings.TrimSpace(*region) == "" {
		fmt.Fprintln(stderr, `bantin new: --region is required: every article names its province, city or district, e.g. --region "Ngã Bảy"`)
		return 2
	}
	for _, f := range []struct{ key, flag, value string }{
		{config.Region, "--region", *region}, {config.Slogan, "--slogan", *slogan},
		{config.Period, "--period", *period}, {config.Topic, "--topics", *topics},
	} {
		if strings.TrimSpace(f.value) != "" && cfg.Taxonomy(f.key) == nil {
			fmt.Fprintf(stderr, "bantin new: %s: site.toml turns the %s taxonomy off; leave %s out\n", f.flag, f.key, f.flag)
			return 2
		}
	}
	declared, err := sets.values(&cfg)
	if err != nil {
		fmt.Fprintf(stderr, "bantin new: %v\n", err)
		return 2
	}
	local := now.In(cfg.TimeZone)
	rel := filepath.Join(content.Dir, strconv.Itoa(local.Year()), slug+".md")

	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", quote(title))
	fmt.Fprintf(&b, "date: %s\n", local.Format("2006-01-02 15:04"))
	if r := strings.TrimSpace(*region); r != "" {
		fmt.Fprintf(&b, "region: %s\n", quote(vi.NFC(r)))
	}
	if s := strings.TrimSpace(*slogan); s != "" {
		fmt.Fprintf(&b, "slogan: %s\n", quote(vi.NFC(s)))
	}
	if p := strings.TrimSpace(*period); p != "" {
		fmt.Fprintf(&b, "period: %s\n", quote(p))
	}
	if list := quoteList(*topics); len(list) > 0 {
		fmt.Fprintf(&b, "topics: [%s]\n", strings.Join(list, ", "))
	}
	for _, d := range declared {
		if d.taxonomy.Multiple {
			fmt.Fprintf(&b, "%s: [%s]\n", d.taxonomy.Field, strings.Join(quoteList(d.value), ", "))
		} else {
			fmt.Fprintf(&b, "%s: %s\n", d.taxonomy.Field, quote(vi.NFC(strings.TrimSpace(d.value))))
		}
	}
	b.WriteString("draft: true\n---\n\nViết nội dung bài ở đây. Đoạn đầu tiên là phần tóm tắt.\n")

	// The article must be valid as written: check it with the real parser.
	article, err := content.Parse(filepath.ToSlash(rel), []byte(b.String()), &cfg)
	if err != nil {
		// The file is not written, so its lines would point nowhere: say
		// what is wrong with the values given.
		var list diag.List
		if !errors.As(err, &list) {
			return reportFailed(stderr, err, "new")
		}
		for _, e := range list {
			fmt.Fprintf(stderr, "bantin new: %v\n", e.Err)
		}
		fmt.Fprintf(stderr, "bantin new: nothing written; fix the values above\n")
		return 2
	}
	if err := root.MkdirAll(filepath.Dir(rel), 0o755); err != nil {
		return reportFailed(stderr, err, "new")
	}
	f, err := root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "bantin new: %s already exists; choose another title or edit that file\n", filepath.Join(*source, rel))
		return 1
	}
	if err != nil {
		return reportFailed(stderr, err, "new")
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return reportFailed(stderr, err, "new")
	}
	if err := f.Close(); err != nil {
		return reportFailed(stderr, err, "new")
	}
	fmt.Fprintln(stdout, filepath.Join(*source, rel))
	// The preview serves the site at the root of its own address, drafts
	// included.
	fmt.Fprintf(stdout, "preview: http://%s/%s (while bantin serve runs)\n", defaultServeAddr, article.Path)
	// Where the region's value starts in the file just written.
	text := b.String()
	regionPos := diag.Pos{File: filepath.Join(*source, rel), Line: strings.Count(text[:strings.Index(text, "\nregion: ")+1], "\n") + 1, Col: len("region: ") + 1}
	warnUnknownRegion(input.Dir(root), &cfg, *region, regionPos, local, stderr)
	return 0
}

// warnUnknownRegion warns, as check would, when region names no place the
// site's gazetteer knows, or several that the build cannot choose between:
// it still builds, as a page of its own, but is most often a typo ("Hâu
// Giang") or a name two places share ("Long Mỹ"), best fixed now. A broken
// data/regions.toml is left to the build to report.
func warnUnknownRegion(site fs.FS, cfg *config.Site, region string, pos diag.Pos, at time.Time, stderr io.Writer) {
	region = vi.NFC(strings.TrimSpace(region))
	if t := cfg.Taxonomy(config.Region); t == nil || t.Values != config.PlaceValues || region == "" {
		return
	}
	places, err := gazetteer.ForSite(site)
	if err != nil {
		return
	}
	// The build prefers places inside region_near's; a broken one is the
	// build's to report.
	var near []string
	for _, name := range cfg.RegionNear {
		if p, err := places.Resolve(name, time.Time{}); err == nil {
			near = append(near, p.ID)
		}
	}
	var unknown *gazetteer.UnknownError
	var amb *gazetteer.AmbiguousError
	_, err = places.ResolveNear(region, at, near...)
	switch {
	case errors.As(err, &unknown):
		// After a question, a new sentence; else one more clause.
		next := "; it"
		if len(unknown.Suggestions) > 0 {
			next = " It"
		}
		fmt.Fprintf(stderr, "warning: %v\n", diag.Errorf(pos, "%v%s gets a page of its own; if it is a real place, add it to %s, else correct the region in the file",
			unknown, next, gazetteer.SiteFile))
	case errors.As(err, &amb) && (len(near) > 0 || !settledByProvince(places, region, at, amb)):
		fmt.Fprintf(stderr, "warning: %v\n", diag.Errorf(pos, "%s", index.PlaceProblem(places, string(config.Region), region, err, true)))
	}
}

// settledByProvince reports whether a site without region_near may still
// settle an ambiguous region: the build prefers the places inside the
// province its articles name most, which only new's one article cannot
// tell. When every candidate lies in the same province, no province
// settles it.
func settledByProvince(places *gazetteer.Gazetteer, region string, at time.Time, amb *gazetteer.AmbiguousError) bool {
	for _, c := range amb.Candidates {
		if p := places.Province(c, time.Time{}); p != nil {
			if _, err := places.ResolveNear(region, at, p.ID); err == nil {
				return true
			}
		}
	}
	return false
}

// quoteList quotes the items of a comma-separated list, leaving out empty
// ones.
func quoteList(s string) []string {
	var list []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			list = append(list, quote(vi.NFC(t)))
		}
	}
	return list
}

// setFlags collects the --set key=value flags of bantin new.
type setFlags []string

func (s *setFlags) String() string { return strings.Join(*s, " ") }

func (s *setFlags) Set(v string) error {
	if _, _, ok := strings.Cut(v, "="); !ok {
		return fmt.Errorf("write key=value, such as unit=\"Sở Y tế\"")
	}
	*s = append(*s, v)
	return nil
}

// declaredValue is the value --set gives a declared taxonomy.
type declaredValue struct {
	taxonomy *config.Taxonomy
	value    string
}

// values checks the --set flags against the taxonomies site.toml declares,
// and returns their values in the order of the declarations. A required
// declared taxonomy must be set.
func (s setFlags) values(cfg *config.Site) ([]declaredValue, error) {
	var names []string
	for _, t := range cfg.Taxonomies {
		if !t.Builtin {
			names = append(names, t.Key)
		}
	}
	given := map[string]string{}
	for _, kv := range s {
		k, v, _ := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		t := cfg.Taxonomy(k)
		switch {
		case t != nil && t.Builtin:
			flag := map[string]string{config.Topic: "--topics", config.Year: "the date"}[k]
			if flag == "" {
				flag = "--" + k
			}
			return nil, fmt.Errorf("--set %s: %s is a built-in field; use %s", kv, k, flag)
		case t == nil && len(names) == 0:
			return nil, fmt.Errorf("--set %s: site.toml declares no taxonomy; declare %q with [[taxonomies]] first", kv, k)
		case t == nil:
			return nil, fmt.Errorf("--set %s: site.toml declares no taxonomy %q; it declares %s", kv, k, strings.Join(names, ", "))
		}
		if _, dup := given[k]; dup {
			return nil, fmt.Errorf("--set %s: %s is set twice", kv, k)
		}
		if len(quoteList(v)) == 0 || !t.Multiple && strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("--set %s: give a value", kv)
		}
		given[k] = v
	}
	var out []declaredValue
	for i := range cfg.Taxonomies {
		t := &cfg.Taxonomies[i]
		v, ok := given[t.Key]
		if !ok {
			if t.Required && !t.Builtin {
				return nil, fmt.Errorf("--set %s=... is required: site.toml declares %s with required = true", t.Key, t.Key)
			}
			continue
		}
		out = append(out, declaredValue{t, v})
	}
	return out, nil
}

// quote writes a YAML double-quoted string.
func quote(s string) string {
	return strconv.Quote(s)
}
