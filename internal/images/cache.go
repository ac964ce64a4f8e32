package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// cacheMagic starts every cache entry; a new layout gets a new magic.
const cacheMagic = "BNTIMG1\n"

// maxCacheEntry bounds the entry the cache reads back: a processed image
// is a few hundred kilobytes.
const maxCacheEntry = 256 << 20

// diskCache keeps processed images in a folder, one file per image named
// by its key: a magic, the manifest as JSON, the files' bytes, and a
// SHA-256 of all that. An entry that fails its checksum (a torn write, a
// disk error, an edit) is a miss, and is written again.
type diskCache struct{ dir string }

type cacheManifest struct {
	Width, Height int
	Variants      []Variant
	OG            Variant
	Files         []cacheFile // in the order of their bytes
}

type cacheFile struct {
	Name string
	Size int
}

func (c *diskCache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".bin")
}

func (c *diskCache) load(key string) (*Result, bool) {
	data, err := os.ReadFile(c.path(key))
	if err != nil || len(data) > maxCacheEntry {
		return nil, false
	}
	r, err := decodeEntry(data)
	return r, err == nil
}

// errCorrupt is wrapped by decodeEntry's errors.
var errCorrupt = errors.New("corrupt image cache entry")

func decodeEntry(data []byte) (*Result, error) {
	if len(data) < len(cacheMagic)+4+sha256.Size || !bytes.HasPrefix(data, []byte(cacheMagic)) {
		return nil, errCorrupt
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(want[:], sum) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}
	rest := body[len(cacheMagic):]
	n := int(binary.BigEndian.Uint32(rest))
	rest = rest[4:]
	if n > len(rest) {
		return nil, errCorrupt
	}
	var m cacheManifest
	if err := json.Unmarshal(rest[:n], &m); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	rest = rest[n:]
	r := &Result{Width: m.Width, Height: m.Height, Variants: m.Variants, OG: m.OG, data: map[string][]byte{}}
	for _, f := range m.Files {
		if f.Size < 0 || f.Size > len(rest) {
			return nil, errCorrupt
		}
		r.data[f.Name], rest = rest[:f.Size:f.Size], rest[f.Size:]
	}
	if len(rest) != 0 {
		return nil, errCorrupt
	}
	return r, nil
}

func encodeEntry(r *Result) ([]byte, error) {
	m := cacheManifest{Width: r.Width, Height: r.Height, Variants: r.Variants, OG: r.OG}
	for name, data := range r.data {
		m.Files = append(m.Files, cacheFile{Name: name, Size: len(data)})
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Name < m.Files[j].Name })
	js, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(cacheMagic)
	buf.Write(binary.BigEndian.AppendUint32(nil, uint32(len(js))))
	buf.Write(js)
	for _, f := range m.Files {
		buf.Write(r.data[f.Name])
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	return buf.Bytes(), nil
}

// store writes an entry atomically: into a temporary file in the same
// folder, then renamed over the old one, so a reader sees the old entry or
// the new one whole (and a torn file fails its checksum anyway).
func (c *diskCache) store(key string, r *Result) error {
	data, err := encodeEntry(r)
	if err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	final := c.path(key)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".tmp-*")
	if err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("image cache: %w", err)
	}
	return nil
}
