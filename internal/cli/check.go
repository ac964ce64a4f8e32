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
	fmt.Fprintf(stdout, "ok: %d articles, %d pages, every internal link leads to a page or file\n", stats.Articles, stats.Pages)
	return 0
}
