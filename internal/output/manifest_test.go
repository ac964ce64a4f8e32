package output

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// TestManifestsReadBackOrNotAtAll: a manifest reads back as written,
// sorted; one cut short, with a flipped byte, or whose names are out of
// order or repeated (though its checksum is right) reads as none, so that
// the build takes no file on its word.
func TestManifestsReadBackOrNotAtAll(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "m")
	files := sortedEntries(Manifest{"b/index.html": {1, 10}, "a.css": {2, 20}, "b/c/d.json": {3, 30}})
	if err := writeManifest(name, files); err != nil {
		t.Fatal(err)
	}
	m, list := readManifest(name)
	if len(m) != 3 || m["b/c/d.json"] != (Entry{3, 30}) || !slices.Equal(list, files) {
		t.Fatalf("read back %v %v", m, list)
	}
	good, _ := os.ReadFile(name)
	// rewrite gives the manifest body with a right checksum.
	rewrite := func(body []byte) []byte {
		return binary.LittleEndian.AppendUint64(slices.Clone(body), xxhash.Sum64(body))
	}
	body := good[:len(good)-8]
	// by hand: the files' names in the order given, each with a sum and size.
	by := func(names ...string) []byte {
		b := binary.AppendUvarint([]byte(manifestMagic), uint64(len(names)))
		for _, n := range names {
			b = binary.AppendUvarint(b, uint64(len(n)))
			b = append(b, n...)
			b = binary.LittleEndian.AppendUint64(b, 7)
			b = binary.AppendUvarint(b, 70)
		}
		return b
	}
	if m, _ := readManifest(writeRaw(t, name, rewrite(by("a", "b")))); len(m) != 2 {
		t.Fatalf("a manifest made by hand does not read: %v", m)
	}
	for what, data := range map[string][]byte{
		"cut short":    good[:len(good)-3],
		"flipped byte": append(slices.Clone(good[:20]), append([]byte{good[20] ^ 1}, good[21:]...)...),
		"out of order": rewrite(by("b", "a")),
		"repeated":     rewrite(by("a", "a")),
		"extra bytes":  rewrite(append(slices.Clone(body), 0)),
		"only magic":   []byte(manifestMagic),
	} {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if m, list := readManifest(name); m != nil || list != nil {
			t.Errorf("%s: read as %v", what, m)
		}
	}
}

func writeRaw(t *testing.T, name string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}
