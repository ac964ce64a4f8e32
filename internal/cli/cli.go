// Package cli parses bantin's command line and wires the build stages
// together. It is the only package that prints.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin"
	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/input"
	"github.com/bantin/bantin/internal/layout"
	"github.com/bantin/bantin/internal/output"
	"github.com/bantin/bantin/internal/site"
)

const usage = `bantin builds static news sites of Vietnamese campaign bulletins.

Usage:
  bantin build [--source DIR] [--dest DIR] [--base-url URL] [--drafts] [--future] [--now RFC3339] [--profile DIR]
               [--cache DIR | --no-cache] [--changed FILE]
  bantin serve [--addr 127.0.0.1:1313] [--source DIR] [--drafts=false] [--future] [--poll DURATION]
               [--editor=false] [--password-file FILE] [--host NAMES]
  bantin passwd [--source DIR] [--user NAME] [--password-file FILE]   (password on stdin)
  bantin new "Tiêu đề bài viết" --region R [--slogan S] [--period P] [--topics a,b] [--set key=value]... [--source DIR]
  bantin check [--source DIR] [--drafts] [--future]
  bantin import [--source DIR] [--publish] [--dry-run] [--format F] [--encoding E] [--select CSS] PATH...
  bantin init DIR
  bantin version

Run "bantin COMMAND -h" for the flags of a command.
`

// Main runs bantin with args (without the program name) and returns the
// process exit status: 0 for success, 1 for a failed build, 2 for misuse.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return Run(ctx, args, os.Stdin, stdout, stderr)
}

// Run is Main reading from stdin, for commands that read input.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "new":
		return runNew(args[1:], stdout, stderr, time.Now())
	case "init":
		return runInit(args[1:], stdout, stderr, time.Now())
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "passwd":
		return runPasswd(args[1:], stdin, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "bantin", version())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "bantin: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// cacheVersion names the bantin that writes a build cache: its version,
// or, for a build from modified or unversioned sources, a hash of its
// executable, so that a cache never outlives the code that made it.
func cacheVersion() string {
	v := version()
	info, ok := debug.ReadBuildInfo()
	modified := !ok || info.Main.Version == "" || info.Main.Version == "(devel)"
	if ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.modified" && s.Value == "true" {
				modified = true
			}
		}
	}
	if !modified {
		return v
	}
	exe, err := os.Executable()
	if err != nil {
		return v
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		return v
	}
	return fmt.Sprintf("%s exe-%016x", v, xxhash.Sum64(data))
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v + " " + info.GoVersion
}

// buildFlags are the flags shared by commands that build a site.
type buildFlags struct {
	source  string
	drafts  bool
	future  bool
	now     string
	baseURL string
}

// newBuildCommand returns the flag set of a command that builds a site,
// with the flags such commands share.
func newBuildCommand(name string, stderr io.Writer) (*flag.FlagSet, *buildFlags) {
	fs := flag.NewFlagSet("bantin "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &buildFlags{}
	f.register(fs)
	if name == "serve" {
		// The preview is where editors read their drafts: a new article
		// (bantin new writes draft: true) must be there at once.
		fs.Lookup("drafts").Usage = "include articles marked draft: true, with a banner saying so (default true; --drafts=false hides them)"
		f.drafts = true
	}
	return fs, f
}

// parseNoArgs parses args, which must be flags only, and says why not.
func parseNoArgs(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return false
	}
	return true
}

func (f *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.source, "source", ".", "the site's folder (with site.toml)")
	fs.BoolVar(&f.drafts, "drafts", false, "include articles marked draft: true")
	fs.BoolVar(&f.future, "future", false, "include articles dated in the future")
	fs.StringVar(&f.now, "now", "", "build as if the time were `RFC3339` (for reproducible builds)")
	fs.StringVar(&f.baseURL, "base-url", "", "override base_url from site.toml")
}

// prepared is a loaded site ready to build.
type prepared struct {
	root *os.Root
	cfg  config.Site
	opts site.Options
}

func (f *buildFlags) prepare() (*prepared, error) {
	now := time.Now()
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return nil, fmt.Errorf("--now %q is not an RFC 3339 time such as 2026-11-21T08:00:00+07:00", f.now)
		}
		now = t
	}
	root, err := os.OpenRoot(f.source)
	if err != nil {
		return nil, fmt.Errorf("open site folder: %w", err)
	}
	// Reads through siteFS never block on a named pipe or device.
	siteFS := input.Dir(root)
	cfg, err := config.Load(siteFS)
	if err != nil {
		root.Close()
		return nil, err
	}
	if f.baseURL != "" {
		if err := cfg.SetBaseURL(f.baseURL); err != nil {
			root.Close()
			return nil, fmt.Errorf("--base-url: %w", err)
		}
	}
	return &prepared{root: root, cfg: cfg, opts: site.Options{
		Site:       siteFS,
		Theme:      bantin.Theme(),
		Content:    content.Options{Drafts: f.drafts, Future: f.future, Now: now},
		ImageCache: filepath.Join(f.source, filepath.FromSlash(cfg.Images.CacheDir)),
	}}, nil
}

// buildMemoryLimit is the soft heap limit of a build: a 100,000-article
// site keeps about 900 MB live at its peak. At 1.5 GiB its collector ran
// so often that it took 8% of the build's CPU; at 1.75 GiB the build is
// about 5% faster, with a peak RSS of 1.72 to 1.76 GiB.
const buildMemoryLimit = 1792 << 20

// buildGCPercent is the GOGC of a build: at 10,000 articles (about 120 MB
// live at the peak) 150 rather than 200 took the peak RSS from about 390
// to 310-330 MB for 0.1-0.2 s more of collector CPU (20 collections
// instead of 15).
const buildGCPercent = 150

// A build that found an earlier build's cache renders little, so its live
// heap is mostly what it decoded from the cache (articles, page keys, the
// search state, the last manifest) and the index, plus a fixed part
// (layouts, the gazetteer): about 90 MB for 22 MB of cache files at
// 10,000 articles, 420 MB for 212 MB at 100,000. Its soft memory limit
// is that fixed part plus three and a half times the files' size, so the
// collector does not let garbage grow to one and a half times the live
// heap. At 100,000 articles an edit's rebuild then peaks at about 0.45 of
// a cold build's RSS instead of 0.6, for about 15% more time (measured
// with GOMEMLIMIT=800MiB: 6.9-8.1 s against 6.0-6.8 s); at 10,000 the
// limit (about 170 MiB) stays where 8x the files' size had it, which
// took the peak from about 215 to 180 MiB for one more collection.
const (
	rebuildHeapFloor        = 96 << 20
	rebuildHeapPerCacheByte = 3.5
)

// rebuildMemoryLimit is the soft heap limit of a build whose cache's
// files take saved bytes: never above a cold build's.
func rebuildMemoryLimit(saved int64) int64 {
	return min(buildMemoryLimit, rebuildHeapFloor+int64(float64(saved)*rebuildHeapPerCacheByte))
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, f := newBuildCommand("build", stderr)
	dest := fs.String("dest", "", "output folder (default: public/ in the site's folder)")
	profile := fs.String("profile", "", "write CPU and heap profiles (cpu.pprof, heap.pprof) into `DIR`, to report a slow build")
	cacheDir := fs.String("cache", "", "keep the build cache in `DIR` (default: .bantin/cache in the site's folder)")
	noCache := fs.Bool("no-cache", false, "neither use nor write the build cache: render every page")
	changed := fs.String("changed", "", "write the output paths that differ from the previous build (added, changed, removed) into `FILE`, one per line")
	if !parseNoArgs(fs, args, stderr) {
		return 2
	}
	if *noCache && *cacheDir != "" {
		fmt.Fprintln(stderr, "bantin build: --cache and --no-cache exclude each other")
		return 2
	}
	start := time.Now()
	// A build is a batch job whose live heap is small next to its garbage:
	// collecting at two and a half times the live heap rather than twice
	// spends less time in the collector, and the soft limit makes it
	// collect sooner on very large sites. GOGC and GOMEMLIMIT, when set,
	// win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(buildGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(buildMemoryLimit)
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return report(stderr, err)
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintln(stderr, "profile:", err)
			}
		}()
	}
	p, err := f.prepare()
	if err != nil {
		return report(stderr, err)
	}
	defer p.root.Close()
	if *dest == "" {
		*dest = filepath.Join(f.source, "public")
	}
	if err := checkDest(f.source, *dest); err != nil {
		return report(stderr, err)
	}
	// The destination's lock first: a build refused because another
	// writes the same site says only that.
	disk, err := output.OpenGenerations(*dest)
	if err != nil {
		return report(stderr, err)
	}

	if !*noCache {
		if *cacheDir == "" {
			*cacheDir = filepath.Join(f.source, filepath.FromSlash(site.CacheDir))
		}
		if inside(*cacheDir, *dest) {
			disk.Abort()
			return report(stderr, fmt.Errorf("--cache %s is inside the output folder %s, which every build replaces; keep the cache elsewhere (the default is %s)", *cacheDir, *dest, filepath.Join(f.source, filepath.FromSlash(site.CacheDir))))
		}
		cache, notice := site.OpenCache(*cacheDir, &p.cfg, cacheVersion())
		if notice != "" {
			fmt.Fprintln(stderr, notice)
		}
		if cache != nil {
			defer cache.Release()
			p.opts.Cache = cache
			if saved := cache.SavedBytes(); saved > 0 && os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(rebuildMemoryLimit(saved))
			}
		}
	}
	stats, err := site.Build(ctx, &p.cfg, p.opts, disk)
	if notice := p.opts.Cache.Notice(); notice != "" {
		fmt.Fprintln(stderr, notice)
	}
	if err != nil {
		disk.Abort()
		return report(stderr, err)
	}
	if err := disk.Commit(); err != nil {
		return report(stderr, fmt.Errorf("publish %s: %w", *dest, err))
	}
	if err := p.opts.Cache.Save(&p.cfg); err != nil {
		fmt.Fprintln(stderr, "note:", err)
	}
	if *changed != "" {
		if err := output.WriteList(*changed, disk.Changed()); err != nil {
			return report(stderr, fmt.Errorf("--changed: %w", err))
		}
	}
	printWarnings(stderr, stats.Warnings)
	skipped := ""
	if stats.Skipped > 0 {
		skipped = fmt.Sprintf(" (%s or future left out)", count(stats.Skipped, "draft"))
	}
	written, _ := disk.Counts()
	fmt.Fprintf(stdout, "built %s%s, %s (%d rendered), %s, %s (%d written) in %d ms into %s\n", count(stats.Articles, "article"), skipped,
		count(stats.Pages, "page"), stats.Rendered, count(stats.Terms, "term"), count(stats.Files, "file"), written, time.Since(start).Milliseconds(), *dest)
	if *profile != "" {
		if err := writeStages(*profile, stats.Stages, stdout); err != nil {
			fmt.Fprintln(stderr, "profile:", err)
		}
	}
	return 0
}

// writeStages prints how long each stage of the build took, and how many
// cores it kept busy, to w and to stages.txt in dir.
func writeStages(dir string, stages []site.Stage, w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%-52s %9s %9s %9s\n", "stage", "wall ms", "CPU ms", "CPU/wall")
	for _, s := range stages {
		ratio := 0.0
		if s.Wall > 0 {
			ratio = float64(s.CPU) / float64(s.Wall)
		}
		fmt.Fprintf(&b, "%-52s %9d %9d %9.2f\n", s.Name, s.Wall.Milliseconds(), s.CPU.Milliseconds(), ratio)
	}
	fmt.Fprint(w, b.String())
	return os.WriteFile(filepath.Join(dir, "stages.txt"), []byte(b.String()), 0o644)
}

// startProfile starts a CPU profile in dir; the returned function stops it
// and writes a heap profile beside it.
func startProfile(dir string) (func() error, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return nil, fmt.Errorf("--profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		cpu.Close()
		heap, err := os.Create(filepath.Join(dir, "heap.pprof"))
		if err != nil {
			return err
		}
		defer heap.Close()
		return pprof.Lookup("allocs").WriteTo(heap, 0)
	}, nil
}

// inside reports whether path is dir or lies inside it, by their absolute
// names.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && (rel == "." || !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != "..")
}

// checkDest refuses output folders whose replacement would destroy the
// site's sources; NewDisk refuses folders that bantin did not write.
func checkDest(source, dest string) error {
	inputs := []string{content.Dir, layout.Dir, site.StaticDir}
	for i, in := range inputs {
		inputs[i] = filepath.Join(source, in)
	}
	return output.CheckDest(dest, source, inputs...)
}

// maxProblemsShown bounds the problems printed: a full disk fails every
// page, and twenty thousand lines would hide the first, which says why.
const maxProblemsShown = 100

// printWarnings prints problems that do not fail a build or check, one
// per line as "warning: file:line:col: message", at most maxProblemsShown.
func printWarnings(w io.Writer, warnings diag.List) {
	for i, e := range warnings {
		if i == maxProblemsShown {
			fmt.Fprintf(w, "warning: ... and %d more warnings\n", len(warnings)-i)
			break
		}
		fmt.Fprintf(w, "warning: %v\n", e)
	}
}

// count writes n and the noun, plural unless n is 1: "1 article", "2 pages".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// report prints an error of the build, one problem per line, and returns
// exit status 1.
func report(stderr io.Writer, err error) int { return reportFailed(stderr, err, "build") }

// reportFailed is report for a command that says what failed: "build
// failed: 2 problems", "check failed: 2 problems".
func reportFailed(stderr io.Writer, err error, what string) int {
	var list diag.List
	if errors.As(err, &list) {
		for i, e := range list {
			if i == maxProblemsShown {
				fmt.Fprintf(stderr, "... and %d more; fix the ones above and build again\n", len(list)-i)
				break
			}
			fmt.Fprintln(stderr, e)
		}
		noun := "problems"
		if len(list) == 1 {
			noun = "problem"
		}
		fmt.Fprintf(stderr, "%s failed: %d %s\n", what, len(list), noun)
		return 1
	}
	fmt.Fprintln(stderr, err)
	fmt.Fprintln(stderr, what, "failed")
	return 1
}
