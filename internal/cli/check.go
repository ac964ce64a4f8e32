package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
)

// runCheck builds the site in memory, writing nothing, and reports every
// problem a build would meet plus every internal link that leads nowhere.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, f := newBuildCommand("check", stderr)
	if !parseNoArgs(fs, args, stderr) {
		return 2
	}
	p, err := f.prepare()
	if err != nil {
		return reportFailed(stderr, err, "check")
	}
	defer p.root.Close()
	p.opts.CheckLinks = true
	stats, err := site.Build(ctx, &p.cfg, p.opts, output.NewMemory())
	if err != nil {
		return reportFailed(stderr, err, "check")
	}
	for _, h := range stats.Hidden {
		fmt.Fprintf(stdout, "note: %s is hidden and is not published (only .well-known/ is)\n", diag.Name(h))
	}
	printWarnings(stdout, stats.Warnings)
	// Drafts are left out of the pages, so their links went unchecked: say
	// so, or a site of imported drafts looks checked when it is not.
	skipped := ""
	if stats.Skipped > 0 {
		skipped = fmt.Sprintf(" (%s or future left out; --drafts --future checks them too)", count(stats.Skipped, "draft"))
	}
	fmt.Fprintf(stdout, "ok: %s%s, %s, every internal link leads to a page or file\n", count(stats.Articles, "article"), skipped, count(stats.Pages, "page"))
	return 0
}
