package gazetteer

import (
	"errors"
	"io/fs"

	"github.com/bantin/bantin/internal/diag"
	"github.com/bantin/bantin/internal/input"
)

// SiteFile is where a site adds places to the gazetteer and corrects them,
// relative to the site's folder.
const SiteFile = "data/regions.toml"

// ForSite returns the gazetteer a site's build uses: the built-in data
// with the site's data/regions.toml, when it has one, over it. Problems of
// that file are reported at data/regions.toml:line:col, all at once.
func ForSite(site fs.FS) (*Gazetteer, error) {
	src, err := input.ReadFile(site, SiteFile, maxDataBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, diag.Errorf(diag.Pos{File: SiteFile}, "%s", input.Message(err))
	}
	return Default().WithOverrides(src, SiteFile)
}
