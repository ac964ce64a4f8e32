package search

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// appendBlock returns the list block, encoded as encodeBlock does, with
// the postings adds after those of old: for documents added after every
// document of the list, as a new article is, when no document leaves the
// list. It works on the encoded bytes, copying old's sections and adding
// to their ends, rather than decode every posting and encode them again:
// the lists of a site's common words hold most of its documents. It
// returns false when the change is not such an append, or moves the list
// to another encoding (bitmap or deltas, coarse impacts, spellings
// recorded): apply then decodes the list. words are the syllable's
// spellings after the update, which must be those old records; count
// (the coarse document count) and norm give the new documents' impacts.
func appendBlock(old []byte, ranked bool, adds []addition, words []string, count int, norm func(uint32) float64) ([]byte, uint32, bool) {
	block, ok := appendPostings(old, ranked, adds, words, count, norm)
	if !ok {
		return nil, 0, false
	}
	df, _ := binary.Uvarint(block[1:])
	return block, uint32(df), true
}

func appendPostings(old []byte, ranked bool, adds []addition, words []string, count int, norm func(uint32) float64) ([]byte, bool) {
	if len(old) == 0 || len(adds) == 0 {
		return nil, false
	}
	flags := old[0]
	pos := 1
	df64, n := binary.Uvarint(old[pos:])
	if n <= 0 || df64 == 0 || df64 > uint64(len(old))*8 {
		return nil, false
	}
	pos += n
	df := int(df64)
	coarse := ranked && isCoarse(df+len(adds), count)
	if ranked != (flags&(flagImpacts|flagImpacts2) != 0) || ranked && coarse != (flags&flagImpacts2 != 0) {
		return nil, false
	}
	variants := ranked && hasVariants(len(words))
	if variants != (flags&flagVariants != 0) {
		return nil, false
	}
	spellingsAt := pos
	if variants {
		count, n := binary.Uvarint(old[pos:])
		if n <= 0 || count != uint64(len(words)) {
			return nil, false
		}
		pos += n
		for _, w := range words {
			l, n := binary.Uvarint(old[pos:])
			if n <= 0 || l != uint64(len(w)) || len(old)-pos-n < len(w) || string(old[pos+n:pos+n+len(w)]) != w {
				return nil, false
			}
			pos += n + len(w)
		}
	}
	spellings := old[spellingsAt:pos]
	// The documents: their last, and how long they would be as deltas.
	bitmap := flags&flagBitmap != 0
	docsAt := pos
	last, deltasLen := int64(-1), 0
	if bitmap {
		l, n := binary.Uvarint(old[pos:])
		if n <= 0 || l == 0 || l > uint64(len(old)-pos-n) {
			return nil, false
		}
		pos += n
		bm := old[pos : pos+int(l)]
		seen := 0
		for _, b := range bm {
			seen += bits.OnesCount8(b)
		}
		if seen != df || bm[len(bm)-1] == 0 {
			return nil, false
		}
		last = int64(len(bm)-1)*8 + int64(bits.Len8(bm[len(bm)-1])) - 1
		// Every delta takes a byte at least: the exact length is counted
		// below only when the bitmap is near as long.
		deltasLen = -1
		pos += int(l)
	} else {
		for range df {
			v, n := binary.Uvarint(old[pos:])
			if n <= 0 {
				return nil, false
			}
			pos += n
			last += int64(v) + 1
		}
		deltasLen = pos - docsAt
	}
	docsEnd := pos
	per, width := 1, 0 // impacts per byte, bits per impact
	if ranked {
		width = impactBits(coarse)
		per = 8 / width
	}
	impactsLen, variantsLen := 0, 0
	if ranked {
		impactsLen = (df + per - 1) / per
	}
	if variants {
		variantsLen = (df + 1) / 2
	}
	if len(old)-pos != impactsLen+variantsLen {
		return nil, false
	}
	// The new documents must come after the list's last, in order.
	newDeltas := 0
	prev := last
	for _, a := range adds {
		if int64(a.doc) <= prev {
			return nil, false
		}
		newDeltas += uvarintLen(uint64(int64(a.doc) - prev - 1))
		prev = int64(a.doc)
	}
	newDF := df + len(adds)
	bitmapLen := int(prev)/8 + 1
	if deltasLen < 0 {
		deltasLen = df
		if bitmapLen+1 >= df+newDeltas {
			deltasLen = bitmapDeltas(old[docsEnd-int(last/8+1) : docsEnd])
		}
	}
	if bitmap != (bitmapLen+1 < deltasLen+newDeltas) {
		return nil, false // the list changes encoding
	}
	out := make([]byte, 0, len(old)+newDeltas+bitmapLen-int(last/8+1)+len(adds)+8)
	out = append(out, flags)
	out = binary.AppendUvarint(out, uint64(newDF))
	out = append(out, spellings...)
	if bitmap {
		out = binary.AppendUvarint(out, uint64(bitmapLen))
		_, n := binary.Uvarint(old[docsAt:])
		start := len(out)
		out = append(out, old[docsAt+n:docsEnd]...)
		out = append(out, make([]byte, bitmapLen-(docsEnd-docsAt-n))...)
		for _, a := range adds {
			out[start+int(a.doc/8)] |= 1 << (a.doc % 8)
		}
	} else {
		out = append(out, old[docsAt:docsEnd]...)
		prev := last
		for _, a := range adds {
			out = binary.AppendUvarint(out, uint64(int64(a.doc)-prev-1))
			prev = int64(a.doc)
		}
	}
	if !ranked {
		return out, true
	}
	impacts := old[docsEnd : docsEnd+impactsLen]
	out = appendPacked(out, impacts, df, width, func(i int) byte {
		a := adds[i]
		return impactOf(a.tf, norm(a.doc), width)
	}, len(adds))
	if variants {
		out = appendPacked(out, old[docsEnd+impactsLen:], df, 4, func(i int) byte {
			if sp := adds[i].spellings; len(sp) == 1 {
				j, _ := slices.BinarySearch(words, sp[0])
				return byte(j)
			}
			return variantMixed
		}, len(adds))
	}
	return out, true
}

// appendPacked appends to out the n values packed (see pack) followed by
// k more, value(0) to value(k-1).
func appendPacked(out, packed []byte, n, width int, value func(int) byte, k int) []byte {
	per := 8 / width
	start := len(out)
	out = append(out, packed...)
	out = append(out, make([]byte, (n+k+per-1)/per-len(packed))...)
	for i := range k {
		at := n + i
		out[start+at/per] |= value(i) << (width * (at % per))
	}
	return out
}

// bitmapDeltas is the length of the documents of bitmap as delta varints.
func bitmapDeltas(bitmap []byte) int {
	n, prev := 0, int64(-1)
	for i, b := range bitmap {
		for ; b != 0; b &= b - 1 {
			d := int64(i*8 + bits.TrailingZeros8(b))
			n += uvarintLen(uint64(d - prev - 1))
			prev = d
		}
	}
	return n
}

// uvarintLen is the length of v as a uvarint.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}
