package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"github.com/bantin/bantin/internal/config"
	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/vi"
)

// existing indexes the site's articles by source and by title and day, to
// recognize an article imported before.
type existing struct {
	loc        *time.Location
	bySource   map[string]string
	byTitleDay map[string]string
	regions    map[string]int // how many articles each region has
}

// commonRegion is the region most of the site's articles have ("" for
// none); ties go to the first in sort order.
func (ex *existing) commonRegion() string {
	best := ""
	for r, n := range ex.regions {
		if best == "" || n > ex.regions[best] || n == ex.regions[best] && r < best {
			best = r
		}
	}
	return best
}

// sourceKey compares sources without scheme, "www." or a final slash.
func sourceKey(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(u, "www.")
	return strings.TrimRight(u, "/")
}

func (ex *existing) titleDayKey(title string, t time.Time) string {
	return vi.Fold(collapseSpace(title)) + "\x00" + content.DayOf(t.In(ex.loc)).String()
}

// scanExisting reads the front matter of every article under content/.
// Files that do not parse are left out: they are the site's own problem,
// which bantin check reports.
func scanExisting(root *os.Root, cfg *config.Site) (*existing, error) {
	ex := &existing{loc: cfg.TimeZone, bySource: map[string]string{}, byTitleDay: map[string]string{}, regions: map[string]int{}}
	site := root.FS()
	err := fs.WalkDir(site, content.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == content.Dir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.EqualFold(path.Ext(p), ".md") {
			return nil
		}
		src, err := fs.ReadFile(site, p)
		if err != nil {
			return nil
		}
		a, err := content.Parse(p, src, cfg)
		if err != nil {
			return nil
		}
		if a.Source != "" {
			ex.bySource[sourceKey(a.Source)] = p
		}
		ex.byTitleDay[ex.titleDayKey(a.Title, a.Date)] = p
		ex.regions[a.Region]++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", content.Dir, err)
	}
	return ex, nil
}

// find returns the file that holds a, and why it is the same article.
func (ex *existing) find(a *article) (file, why string) {
	if a.source != "" {
		if f, ok := ex.bySource[sourceKey(a.source)]; ok {
			return f, "same source"
		}
	}
	if f, ok := ex.byTitleDay[ex.titleDayKey(a.title, a.date.t)]; ok {
		return f, "same title and date"
	}
	return "", ""
}

func (ex *existing) add(a *article, file string) {
	if a.source != "" {
		ex.bySource[sourceKey(a.source)] = file
	}
	ex.byTitleDay[ex.titleDayKey(a.title, a.date.t)] = file
}
