package search

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// updateWords mixes common words, spellings of one folded syllable (the
// many of "do", more than maxVariants), and rare words.
var updateWords = strings.Fields(`thi đua phong trào yêu nước hòa hóa họa hỏa hoa Hoa
	do dò dó dỏ dõ dọ đo đò đó đỏ đõ đọ đô đồ đố đổ đỗ độ dô
	khen thưởng tập thể cá nhân xuất sắc`)

func updateCorpus(n int, seed uint64) []Doc {
	r := rand.New(rand.NewPCG(seed, 1))
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = randomDoc(r, i)
	}
	return docs
}

func randomDoc(r *rand.Rand, i int) Doc {
	words := func(k int) string {
		var b strings.Builder
		for range k {
			if r.IntN(4) == 0 {
				fmt.Fprintf(&b, "hiếm%d ", r.IntN(20000))
			} else {
				b.WriteString(updateWords[r.IntN(len(updateWords))] + " ")
			}
		}
		return b.String()
	}
	region := fmt.Sprintf("Vùng %d", r.IntN(5))
	return Doc{
		URL: fmt.Sprintf("/bai/%d-%d/", i, r.IntN(1000)), Title: words(4), Date: "1/2/2024", Region: region,
		Meta: []string{region, words(2)}, Facets: [][]string{{region}},
		Body: words(20 + r.IntN(60)),
	}
}

var updateFacets = []Facet{{Key: "region", Label: "Vùng", Values: []string{"Vùng 0", "Vùng 1", "Vùng 2", "Vùng 3", "Vùng 4"}}}

func docKeys(docs []Doc) []uint64 {
	keys := make([]uint64, len(docs))
	for i, d := range docs {
		keys[i] = xxhash.Sum64String(fmt.Sprintf("%q", d))
	}
	return keys
}

// fullIndex builds the index of docs from scratch, with its state.
func fullIndex(t *testing.T, docs []Doc, facets []Facet) (map[string][]byte, *State) {
	t.Helper()
	b := NewBuilder(len(docs), facets)
	b.KeepState()
	for i, d := range docs {
		if err := b.Add(i, d); err != nil {
			t.Fatal(err)
		}
	}
	files, st, err := b.FinishState(docKeys(docs))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Name] = f.Data
	}
	// The state goes to disk and back between builds.
	st, err = DecodeState(st.AppendTo(nil))
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

// updated applies the Update from the index prev of old to docs.
func updated(t *testing.T, prev map[string][]byte, st *State, old, docs []Doc, facets []Facet) (map[string][]byte, *State, *Update, error) {
	t.Helper()
	u := st.Plan(facets, docKeys(docs))
	if u == nil {
		return nil, nil, nil, errors.New("no plan")
	}
	for id := range docs {
		if u.Needs(id) {
			if err := u.Add(id, docs[id]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range u.Removed() {
		u.SetOldBody(id, old[id].Body)
	}
	write, keep, next, err := u.Finish()
	if err != nil {
		return nil, nil, u, err
	}
	out := map[string][]byte{}
	for _, k := range keep {
		data, ok := prev[k.Name]
		if !ok || xxhash.Sum64(data) != k.Sum {
			t.Fatalf("kept %s is not the previous file", k.Name)
		}
		out[k.Name] = data
	}
	for _, f := range write {
		if _, dup := out[f.Name]; dup {
			t.Fatalf("%s both kept and written", f.Name)
		}
		out[f.Name] = f.Data
	}
	next, err = DecodeState(next.AppendTo(nil))
	if err != nil {
		t.Fatal(err)
	}
	return out, next, u, nil
}

func sameIndex(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s: the update wrote %s, a full build does not", step, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		if g, ok := got[n]; !ok {
			t.Errorf("%s: the update lacks %s", step, n)
		} else if !bytes.Equal(g, want[n]) {
			t.Errorf("%s: %s differs from a full build", step, n)
		}
	}
}

// TestUpdateEqualsFullBuild changes documents the ways editors do, and
// checks after each change that the updated index is byte for byte the
// one built from scratch, and that the update tokenized only the changed
// documents and encoded fewer files than the index has.
func TestUpdateEqualsFullBuild(t *testing.T) {
	t.Parallel()
	docs := updateCorpus(1500, 1)
	facets := updateFacets
	files, st := fullIndex(t, docs, facets)
	own := 0
	for n := range files {
		if strings.HasPrefix(n, "t/") {
			own++
		}
	}
	if own == 0 || len(st.shards) < 16 {
		t.Fatalf("the corpus makes %d lists of their own and %d shards: too small to test", own, len(st.shards))
	}
	r := rand.New(rand.NewPCG(7, 7))
	steps := []struct {
		name string
		edit func(docs []Doc) []Doc
		// tokenized is how many documents the update must tokenize.
		tokenized int
		// few: the update must encode fewer than half the files.
		few bool
	}{
		{"body edit", func(d []Doc) []Doc { d[1200].Body += " thi đua yêu nước mới"; return d }, 2, true},
		{"title edit", func(d []Doc) []Doc { d[30].Title = "Tin mới hỏa tốc"; return d }, 2, true},
		{"new spelling", func(d []Doc) []Doc { d[31].Body += " hõa đợ"; return d }, 2, true},
		{"spelling removed", func(d []Doc) []Doc { d[31].Body = strings.ReplaceAll(d[31].Body, "hõa đợ", ""); return d }, 2, true},
		{"facet change", func(d []Doc) []Doc {
			d[500].Facets, d[500].Region = [][]string{{"Vùng 4"}}, "Vùng 4"
			return d
		}, 2, true},
		{"new article", func(d []Doc) []Doc { return append(d, randomDoc(r, len(d))) }, 1, false},
		// A new region is listed first: every row of the facet table moves.
		{"new facet value", func(d []Doc) []Doc {
			facets = slices.Clone(facets)
			facets[0].Values = append([]string{"Vùng Mới"}, facets[0].Values...)
			doc := randomDoc(r, len(d))
			doc.Facets, doc.Region = [][]string{{"Vùng Mới"}}, "Vùng Mới"
			return append(d, doc)
		}, 1, false},
		{"two new articles", func(d []Doc) []Doc { return append(d, randomDoc(r, len(d)), randomDoc(r, len(d)+1)) }, 2, false},
		{"last article deleted", func(d []Doc) []Doc { return d[:len(d)-1] }, 1, false},
		{"article before the last", func(d []Doc) []Doc { return slices.Insert(d, len(d)-1, randomDoc(r, len(d))) }, 3, false},
		{"several edits", func(d []Doc) []Doc {
			for _, i := range []int{3, 800, 1299, len(d) - 1} {
				d[i] = randomDoc(r, i)
			}
			return d
		}, 8, false},
		{"emptied body", func(d []Doc) []Doc { d[77].Body = ""; return d }, 2, false},
	}
	for _, s := range steps {
		old := docs
		docs = s.edit(slices.Clone(docs))
		got, next, u, err := updated(t, files, st, old, docs, facets)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		want, _ := fullIndex(t, docs, facets)
		sameIndex(t, s.name, got, want)
		tokenized, encoded := u.Counts()
		if tokenized != s.tokenized {
			t.Errorf("%s: tokenized %d documents, want %d", s.name, tokenized, s.tokenized)
		}
		if s.few && encoded*2 >= len(st.shards)+own {
			t.Errorf("%s: encoded %d lists and shards of %d, want fewer than half", s.name, encoded, len(st.shards)+own)
		}
		t.Logf("%s: tokenized %d documents, encoded %d of %d files", s.name, tokenized, encoded, len(st.shards)+own)
		files, st = got, next
	}
}

// TestEditEncodesOnlyTheListsItChanges: an edit that swaps one word of a
// document for another, its length unchanged, leaves the lists of every
// other term of the document as they were: the update encodes only the
// shards of the two words and of the word pairs they are in, not every
// shard the document's terms are in.
func TestEditEncodesOnlyTheListsItChanges(t *testing.T) {
	t.Parallel()
	docs := updateCorpus(1500, 9)
	files, st := fullIndex(t, docs, updateFacets)
	edited := slices.Clone(docs)
	words := strings.Fields(edited[700].Body)
	if len(words) < 20 {
		t.Fatalf("document of %d words: too short to test", len(words))
	}
	words[10] = "chữmới"
	edited[700].Body = strings.Join(words, " ")
	got, _, u, err := updated(t, files, st, docs, edited, updateFacets)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := fullIndex(t, edited, updateFacets)
	sameIndex(t, "word swapped", got, want)
	// One word and two pairs gone, as many come: at most six shards and
	// their six lists, of which the word gone may have a file of its own.
	if read := u.read.Load(); read > 12 {
		t.Errorf("read %d shards and lists for a word swapped, want at most 12", read)
	}
}

// TestUpdateDeclinesWhatRenumbers: a document inserted before others, or
// many changed, are left to a full build.
func TestUpdateDeclinesWhatRenumbers(t *testing.T) {
	t.Parallel()
	docs := updateCorpus(400, 2)
	_, st := fullIndex(t, docs, updateFacets)
	inserted := slices.Insert(slices.Clone(docs), 10, randomDoc(rand.New(rand.NewPCG(1, 2)), 10))
	if u := st.Plan(updateFacets, docKeys(inserted)); u != nil {
		t.Error("planned an update for a document inserted before 390 others")
	}
	other := slices.Clone(updateFacets)
	other[0].Key = "place"
	if u := st.Plan(other, docKeys(docs)); u != nil {
		t.Error("planned an update with another facet")
	}
}

// TestUpdateFallsBackWhenAverageMoves: a change that moves the documents'
// average length to another step of coarseAverage changes every impact;
// the update says so rather than write a wrong index.
func TestUpdateFallsBackWhenAverageMoves(t *testing.T) {
	t.Parallel()
	docs := updateCorpus(20, 3)
	files, st := fullIndex(t, docs, updateFacets)
	edited := slices.Clone(docs)
	edited[5].Body = strings.Repeat("thi đua yêu nước ", 400)
	if _, _, _, err := updated(t, files, st, docs, edited, updateFacets); !errors.Is(err, ErrNeedsRebuild) {
		t.Fatalf("got %v, want ErrNeedsRebuild", err)
	}
}

// TestDamagedStateIsRefused: a state cut short does not decode.
func TestDamagedStateIsRefused(t *testing.T) {
	t.Parallel()
	_, st := fullIndex(t, updateCorpus(50, 4), updateFacets)
	data := st.AppendTo(nil)
	for _, cut := range []int{1, len(data) / 2, len(data) - 1} {
		if _, err := DecodeState(data[:cut]); err == nil {
			t.Errorf("a state cut to %d of %d bytes decoded", cut, len(data))
		}
	}
}

// FuzzDecodeState: a state file that passed its checksum but was not
// written by AppendTo (a bug, a crafted file) gives an error, never a
// panic, and so do its lists; and an update from it either works or says
// why.
func FuzzDecodeState(f *testing.F) {
	docs := updateCorpus(12, 5)
	b := NewBuilder(len(docs), updateFacets)
	b.KeepState()
	for i, d := range docs {
		b.Add(i, d)
	}
	_, st, err := b.FinishState(docKeys(docs))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(st.AppendTo(nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeState(data)
		if err != nil {
			return
		}
		for _, sh := range s.shards {
			raw, err := inflateData(sh.data)
			if err != nil {
				continue
			}
			lists, err := parseShard(raw)
			if err != nil {
				continue
			}
			for k, block := range lists {
				if len(block) > 0 {
					decodeList(block, !strings.HasPrefix(k, bigramPrefix))
				}
			}
		}
		edited := slices.Clone(docs)
		edited[0].Body += " thi đua"
		u := s.Plan(updateFacets, docKeys(edited))
		if u == nil {
			return
		}
		for id := range edited {
			if u.Needs(id) {
				u.Add(id, edited[id])
			}
		}
		for _, id := range u.Removed() {
			u.SetOldBody(id, docs[min(id, len(docs)-1)].Body)
		}
		u.Finish()
	})
}
