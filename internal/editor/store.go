package editor

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/content"
	"github.com/bantin/bantin/internal/input"
)

// errBadPath is a path the API refuses: outside its folder, hidden, or
// not a file of the expected kind.
var errBadPath = errors.New("bad path")

// checkRelPath validates a slash-separated path relative to a folder the
// API serves: no empty, "." or ".." segment, no hidden segment, no
// backslash, NUL, colon or control character, and valid UTF-8. os.Root
// then keeps symbolic links from leading out.
func checkRelPath(p string) error {
	if p == "" || len(p) > 512 || !utf8.ValidString(p) || strings.HasPrefix(p, "/") {
		return errBadPath
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".") || len(seg) > 255 {
			return errBadPath
		}
		for _, r := range seg {
			if r < 0x20 || r == 0x7f || r == '\\' || r == ':' {
				return errBadPath
			}
		}
	}
	return nil
}

// checkArticleID validates an article's path under content/.
func checkArticleID(id string) error {
	if err := checkRelPath(id); err != nil {
		return err
	}
	if !content.IsArticleFile(id) {
		return errBadPath
	}
	return nil
}

// store reads and writes the site's files, each kind inside its own
// os.Root: articles in content/, uploads in static/, the trash in
// .bantin/trash/. No path given to the API can reach anything else.
type store struct {
	site *os.Root
}

func (s *store) sub(dir string, create bool) (*os.Root, error) {
	if create {
		if err := s.site.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	return s.site.OpenRoot(dir)
}

// read returns a file of dir.
func (s *store) read(dir, name string) ([]byte, error) {
	r, err := s.sub(dir, false)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	// Never a pipe or device (opening one would block), never unbounded.
	return input.ReadFile(input.Dir(r), name, maxReadBytes)
}

// maxReadBytes bounds every file the editor reads; the build's own limit
// (max_article_bytes) is checked when the article is parsed.
const maxReadBytes = 1 << 30

// write replaces or creates name in dir atomically: the bytes go to a
// temporary file in the same folder, reach the disk, and are renamed over
// the old file, so a reader (the preview's watcher, the build) sees the
// old file or the new one, never half of one. With exclusive, an existing
// file is left alone and fs.ErrExist returned.
func (s *store) write(dir, name string, data []byte, exclusive bool) error {
	r, err := s.sub(dir, true)
	if err != nil {
		return err
	}
	defer r.Close()
	folder := path.Dir(name)
	if err := r.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	// A hidden name: the build and the editor's list skip it.
	tmp := path.Join(folder, "."+path.Base(name)+".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if exclusive {
			// A hard link fails when the name exists: no window in which
			// another writer's file could be replaced.
			if err = r.Link(tmp, name); err == nil {
				err = r.Remove(tmp)
			}
		} else {
			err = r.Rename(tmp, name)
		}
	}
	if err != nil {
		r.Remove(tmp)
		return err
	}
	syncDir(r, folder)
	return nil
}

// syncDir makes a rename in folder durable.
func syncDir(r *os.Root, folder string) {
	if d, err := r.Open(folder); err == nil {
		d.Sync()
		d.Close()
	}
}

// remove deletes a file of dir.
func (s *store) remove(dir, name string) error {
	r, err := s.sub(dir, false)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.Remove(name); err != nil {
		return err
	}
	syncDir(r, path.Dir(name))
	return nil
}

// trashDir holds deleted articles, under the site's .bantin folder, which
// the build and the watcher ignore.
const trashDir = ".bantin/trash"

// TrashItem is a deleted article that can be restored.
type TrashItem struct {
	// ID names the item: the deletion time and the article's path.
	ID        string `json:"id"`
	Article   string `json:"article"` // its path under content/
	DeletedAt string `json:"deletedAt"`
	Title     string `json:"title"`
}

const trashStamp = "20060102T150405.000000000Z"

// trash moves an article to the trash and returns the item's id.
func (s *store) trash(id string, data []byte, now time.Time) (string, error) {
	item := now.UTC().Format(trashStamp) + "/" + id
	if err := s.write(trashDir, item, data, true); err != nil {
		return "", fmt.Errorf("copy to the trash: %w", err)
	}
	if err := s.remove(content.Dir, id); err != nil {
		return "", fmt.Errorf("remove: %w", err)
	}
	return item, nil
}

// splitTrashID returns a trash item's time and article path.
func splitTrashID(item string) (time.Time, string, error) {
	stamp, id, ok := strings.Cut(item, "/")
	if !ok || checkArticleID(id) != nil {
		return time.Time{}, "", errBadPath
	}
	t, err := time.Parse(trashStamp, stamp)
	if err != nil {
		return time.Time{}, "", errBadPath
	}
	return t, id, nil
}

// trashItems lists the trash, newest first.
func (s *store) trashItems() ([]TrashItem, error) {
	r, err := s.sub(trashDir, false)
	if errors.Is(err, fs.ErrNotExist) {
		return []TrashItem{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	items := []TrashItem{}
	err = fs.WalkDir(r.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		t, id, perr := splitTrashID(name)
		if perr != nil {
			return nil
		}
		it := TrashItem{ID: name, Article: id, DeletedAt: t.Format(time.RFC3339)}
		if data, err := input.ReadFile(input.Dir(r), name, maxReadBytes); err == nil {
			if doc, err := parseDocument(name, data); err == nil {
				it.Title, _ = doc.values(builtinFields)["title"].(string)
			}
		}
		items = append(items, it)
		return nil
	})
	// Folders are named by time: walking in lexical order is oldest first.
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	return items, err
}
