package editor

import (
	"io/fs"
	"time"

	"github.com/bantin/bantin/internal/gazetteer"
	"github.com/bantin/bantin/internal/input"
)

// regionsFile is where a site adds or corrects places of the gazetteer.
const regionsFile = "data/regions.toml"

// gazetteerRegions are the names of the places that exist at now, from
// bantin's gazetteer of Vietnam with the site's own corrections, provinces
// first: what the region field suggests beyond the regions the site uses.
// A broken regions file leaves the built-in places; the build reports it.
func gazetteerRegions(site fs.FS, now time.Time) []string {
	g := gazetteer.Default()
	if src, err := input.ReadFile(site, regionsFile, maxReadBytes); err == nil {
		if withSite, err := g.WithOverrides(src, regionsFile); err == nil {
			g = withSite
		}
	}
	var out []string
	seen := map[string]bool{}
	add := func(p *gazetteer.Place) {
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p.Name)
		}
	}
	for _, p := range g.Provinces(now) {
		add(p)
	}
	for _, p := range g.Places() {
		if p.ValidAt(now) {
			add(p)
		}
	}
	return out
}
