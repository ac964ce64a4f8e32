//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// tmpDir is a build's temporary folder.
type tmpDir struct{ path string }

func openTmpDir(dir string) (*tmpDir, error) { return &tmpDir{path: dir}, nil }

func (t *tmpDir) close() {}

// mkdir makes folder rel and the folders above it that are missing. Its
// parent nearly always exists already, so one Mkdir comes before MkdirAll,
// which stats every folder on the way.
func (t *tmpDir) mkdir(rel string) error {
	dir := filepath.Join(t.path, filepath.FromSlash(rel))
	err := os.Mkdir(dir, 0o755)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	return os.MkdirAll(dir, 0o755)
}

// writeFile writes data as file rel, whose folder exists.
func (t *tmpDir) writeFile(rel string, data []byte) error {
	return os.WriteFile(filepath.Join(t.path, filepath.FromSlash(rel)), data, 0o644)
}
