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
	if strings.TrimSpace(*region) == "" {
		fmt.Fprintln(stderr, `bantin new: --region is required: every article names its province, city or district, e.g. --region "Ngã Bảy"`)
		return 2
	}
	if *period != "" {
		if _, err := content.ParsePeriodText(*period); err != nil {
			fmt.Fprintf(stderr, "bantin new: --period: %v\n", err)
			return 2
		}
	}
	root, err := os.OpenRoot(*source)
	if err != nil {
		return report(stderr, fmt.Errorf("open site folder: %w", err))
	}
	defer root.Close()
	cfg, err := config.Load(input.Dir(root))
	if err != nil {
		return report(stderr, err)
	}
	local := now.In(cfg.TimeZone)
	rel := filepath.Join(content.Dir, strconv.Itoa(local.Year()), slug+".md")

	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", quote(title))
	fmt.Fprintf(&b, "date: %s\n", local.Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "region: %s\n", quote(vi.NFC(strings.TrimSpace(*region))))
	if s := strings.TrimSpace(*slogan); s != "" {
		fmt.Fprintf(&b, "slogan: %s\n", quote(vi.NFC(s)))
	}
	if p := strings.TrimSpace(*period); p != "" {
		fmt.Fprintf(&b, "period: %s\n", quote(p))
	}
	var list []string
	for _, t := range strings.Split(*topics, ",") {
		if t = strings.TrimSpace(t); t != "" {
			list = append(list, quote(vi.NFC(t)))
		}
	}
	if len(list) > 0 {
		fmt.Fprintf(&b, "topics: [%s]\n", strings.Join(list, ", "))
	}
	b.WriteString("draft: true\n---\n\nViết nội dung bài ở đây. Đoạn đầu tiên là phần tóm tắt.\n")

	// The article must be valid as written: check it with the real parser.
	article, err := content.Parse(filepath.ToSlash(rel), []byte(b.String()), &cfg)
	if err != nil {
		return report(stderr, err)
	}
	if err := root.MkdirAll(filepath.Dir(rel), 0o755); err != nil {
		return report(stderr, err)
	}
	f, err := root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "bantin new: %s already exists; choose another title or edit that file\n", filepath.Join(*source, rel))
		return 1
	}
	if err != nil {
		return report(stderr, err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return report(stderr, err)
	}
	if err := f.Close(); err != nil {
		return report(stderr, err)
	}
	fmt.Fprintln(stdout, filepath.Join(*source, rel))
	// The preview serves the site at the root of its own address, drafts
	// included.
	fmt.Fprintf(stdout, "preview: http://%s/%s (while bantin serve runs)\n", defaultServeAddr, article.Path)
	return 0
}

// quote writes a YAML double-quoted string.
func quote(s string) string {
	return strconv.Quote(s)
}
