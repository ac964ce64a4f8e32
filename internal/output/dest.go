package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckDest refuses a destination whose replacement would destroy what a
// build reads: one that is the site's folder or contains it, or that is
// one of inputs (content/, layouts/, static/) or lies inside one.
//
// Folders are compared by identity (device and inode), not by name, and
// each folder's parent is the one the kernel finds through "..": so a path
// through a symbolic link, a "..", or a bind mount of the same folder
// cannot hide that two paths meet.
func CheckDest(dest, site string, inputs ...string) error {
	dest = filepath.Clean(dest) // as NewDisk writes it
	shown := abs(site)          // for messages; the site is read as given
	siteInfo, err := os.Stat(site)
	if err != nil {
		return fmt.Errorf("site folder %s: %w", site, err)
	}
	if destInfo, err := os.Stat(dest); err == nil {
		for i, up := range ancestors(site, siteInfo) {
			if os.SameFile(destInfo, up) {
				if i == 0 {
					return fmt.Errorf("--dest %s is the site's own folder %s; a build replaces its destination whole, so choose an output folder such as %s", dest, shown, filepath.Join(shown, "public"))
				}
				return fmt.Errorf("--dest %s contains the site's own folder %s; a build replaces its destination whole, so choose an output folder such as %s", dest, shown, filepath.Join(shown, "public"))
			}
		}
	}
	// dest may not exist yet: its nearest folder that does tells where it is.
	existing := dest
	info, err := os.Stat(existing)
	for errors.Is(err, fs.ErrNotExist) && filepath.Dir(existing) != existing {
		existing = filepath.Dir(existing)
		info, err = os.Stat(existing)
	}
	if err != nil {
		return nil // NewDisk reports what is wrong with it
	}
	above := ancestors(existing, info)
	for _, in := range inputs {
		inInfo, err := os.Stat(in)
		if err != nil {
			continue // a site without static/, say
		}
		for _, up := range above {
			if os.SameFile(inInfo, up) {
				return fmt.Errorf("--dest %s is or is inside %s, which the build reads; a build replaces its destination whole, so choose an output folder such as %s", dest, abs(in), filepath.Join(shown, "public"))
			}
		}
	}
	return nil
}

// abs makes a path absolute for messages; as given if it cannot.
func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// ancestors returns dir (described by info) and every folder above it up
// to the root, as the kernel resolves "..".
func ancestors(dir string, info fs.FileInfo) []fs.FileInfo {
	out := []fs.FileInfo{info}
	for range 1024 {
		dir += string(filepath.Separator) + ".." // not Join: it would drop ".." by name
		up, err := os.Stat(dir)
		if err != nil || os.SameFile(up, out[len(out)-1]) {
			break
		}
		out = append(out, up)
	}
	return out
}
