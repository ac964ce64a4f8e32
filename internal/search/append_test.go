package search

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAppendBlockEqualsEncoding: postings added after a list's last
// document, spliced into the encoded list, give the bytes encodeBlock
// gives for the whole list, for lists of every encoding (bitmap or
// deltas, fine or coarse impacts, with spellings or not, pairs without
// impacts); a change of encoding is declined, never encoded wrong.
func TestAppendBlockEqualsEncoding(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 5))
	words := []string{"hoa", "hòa", "hóa", "họa"}
	norm := func(doc uint32) float64 { return 0.5 + float64(doc%7)/5 }
	spliced, declined := 0, 0
	for round := range 3000 {
		ranked := round%4 != 0
		n := 1 + r.IntN(400)
		gap := 1 + r.IntN(1+r.IntN(40)) // dense lists are bitmaps
		count := 16 + r.IntN(2000)
		var p postings
		p.ranked = ranked
		doc := uint32(r.IntN(gap))
		for range n {
			p.docs = append(p.docs, doc)
			doc += uint32(1 + r.IntN(gap))
		}
		nWords := 1 + r.IntN(len(words))
		if ranked {
			p.nSpellings = nWords
			if hasVariants(nWords) {
				p.spellings = words[:nWords]
			}
		}
		var adds []addition
		next := doc + uint32(r.IntN(3*gap))
		for range 1 + r.IntN(3) {
			a := addition{doc: next, tf: uint16(1 + r.IntN(30))}
			if r.IntN(3) > 0 {
				a.spellings = []string{words[r.IntN(nWords)]}
			} else {
				a.spellings = []string{words[0], words[nWords-1]}
			}
			adds = append(adds, a)
			next += uint32(1 + r.IntN(gap))
		}
		df := n + len(adds)
		if ranked {
			// The old list as the index had it, with the coarseness of
			// the new one (a change of it makes the update rebuild).
			p.coarse = isCoarse(df, count)
			bits := impactBits(p.coarse)
			for range n {
				p.impacts = append(p.impacts, byte(1+r.IntN(1<<bits-1)))
				if p.spellings != nil {
					v := byte(r.IntN(nWords))
					if r.IntN(5) == 0 {
						v = variantMixed
					}
					p.variants = append(p.variants, v)
				}
			}
		}
		old := encodeBlock(&p)
		want := p
		want.docs, want.impacts, want.variants = slices.Clone(p.docs), slices.Clone(p.impacts), slices.Clone(p.variants)
		for _, a := range adds {
			want.docs = append(want.docs, a.doc)
			if ranked {
				want.impacts = append(want.impacts, impactOf(a.tf, norm(a.doc), impactBits(want.coarse)))
				if want.spellings != nil {
					v := byte(variantMixed)
					if len(a.spellings) == 1 {
						v = byte(slices.Index(want.spellings, a.spellings[0]))
					}
					want.variants = append(want.variants, v)
				}
			}
		}
		wantBlock := encodeBlock(&want)
		var ws []string
		if ranked {
			ws = words[:nWords]
		}
		got, gotDF, ok := appendBlock(old, ranked, adds, ws, count, norm)
		if !ok {
			declined++
			// Declined only for a change of encoding.
			if old[0]&flagBitmap == wantBlock[0]&flagBitmap {
				t.Fatalf("round %d: declined an append that keeps the list's encoding (flags %x)", round, old[0])
			}
			continue
		}
		spliced++
		if !bytes.Equal(got, wantBlock) || int(gotDF) != df {
			t.Fatalf("round %d (ranked %v, flags %x): spliced list differs from its encoding\n got %x\nwant %x", round, ranked, old[0], got, wantBlock)
		}
		if _, err := decodeList(got, ranked); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	if spliced < 2500 || declined == 0 {
		t.Errorf("spliced %d lists and declined %d: the cases are not covered", spliced, declined)
	}
}
