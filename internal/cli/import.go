package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/importer"
)

// regionsFile is where a site adds or corrects places of the gazetteer.
const regionsFile = "data/regions.toml"

// runImport brings existing bulletins into a site.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("bantin import", flag.ContinueOnError)
	flags.SetOutput(stderr)
	source := flags.String("source", ".", "the site's folder (with site.toml)")
	publish := flags.Bool("publish", false, "write articles as published (draft: false); drafts of a WordPress export stay drafts")
	dryRun := flags.Bool("dry-run", false, "print what would be imported and write nothing")
	format := flags.String("format", "auto", "input format: auto, text, html, wxr or docx")
	encoding := flags.String("encoding", "auto", "text encoding: auto, utf-8, utf-16, windows-1258, tcvn3 or vni")
	sel := flags.String("select", "", "CSS selector of the article in HTML pages, when the automatic choice is wrong")
	// Flags may follow the paths, as users type them.
	var inputs []string
	rest := args
	for {
		if err := flags.Parse(rest); err != nil {
			return 2
		}
		if flags.NArg() == 0 {
			break
		}
		inputs = append(inputs, flags.Arg(0))
		rest = flags.Args()[1:]
	}
	if len(inputs) == 0 {
		fmt.Fprintln(stderr, "usage: bantin import [--source SITE] [--publish] [--dry-run] [--format auto|text|html|wxr|docx] [--encoding auto|utf-8|utf-16|windows-1258|tcvn3|vni] [--select CSS] PATH...")
		return 2
	}
	f, err := importer.ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "bantin import: --format: %v\n", err)
		return 2
	}
	enc, err := importer.ParseEncoding(*encoding)
	if err != nil {
		fmt.Fprintf(stderr, "bantin import: --encoding: %v\n", err)
		return 2
	}
	root, err := os.OpenRoot(*source)
	if err != nil {
		return reportFailed(stderr, fmt.Errorf("open site folder: %w", err), "import")
	}
	defer root.Close()
	cfg, err := config.Load(root.FS())
	if err != nil {
		return reportFailed(stderr, err, "import")
	}
	places := gazetteer.Default()
	if src, err := fs.ReadFile(root.FS(), regionsFile); err == nil {
		if places, err = places.WithOverrides(src, regionsFile); err != nil {
			return reportFailed(stderr, err, "import")
		}
	}
	opts := importer.Options{
		Site: &cfg, Root: root, Format: f, Encoding: enc, Select: *sel,
		Publish: *publish, DryRun: *dryRun, Fields: importer.DeclaredFields(&cfg), Gazetteer: places,
	}
	sum, err := importer.Import(ctx, opts, inputs, func(r importer.Result) {
		switch {
		case r.Err != nil:
			fmt.Fprintf(stdout, "%s -> failed: %v\n", r.Input, r.Err)
		case r.Skipped != "":
			fmt.Fprintf(stdout, "%s -> skipped: %s\n", r.Input, r.Skipped)
		default:
			fmt.Fprintf(stdout, "%s -> %s\n", r.Input, r.File)
		}
		for _, rv := range r.Review {
			fmt.Fprintf(stdout, "  %s\n", rv)
		}
	})
	if err != nil {
		return reportFailed(stderr, err, "import")
	}
	verb := "imported"
	if *dryRun {
		verb = "would import"
	}
	fmt.Fprintf(stdout, "%s %d, skipped %d, failed %d; %s to review", verb, sum.Imported, sum.Skipped, sum.Failed, count(sum.Reviews, "field"))
	if *dryRun {
		fmt.Fprint(stdout, " (dry run: nothing written)")
	}
	fmt.Fprintln(stdout)
	if sum.Failed > 0 {
		return 1
	}
	return 0
}
