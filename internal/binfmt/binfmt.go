// Package binfmt reads and writes the records bantin's build cache is made
// of: unsigned varints, little-endian uint64s, and byte strings behind
// their varint length. Both the cache's own files and the search index's
// state use it, so that one decoder guards against damaged input.
package binfmt

import (
	"encoding/binary"
	"errors"
	"unsafe"
)

// AppendUint appends v as a varint.
func AppendUint(dst []byte, v uint64) []byte { return binary.AppendUvarint(dst, v) }

// AppendInt appends v as a zig-zag varint.
func AppendInt(dst []byte, v int64) []byte { return binary.AppendVarint(dst, v) }

// AppendUint64 appends v as eight little-endian bytes.
func AppendUint64(dst []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(dst, v) }

// AppendBytes appends b behind its length.
func AppendBytes(dst, b []byte) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(b))), b...)
}

// AppendString appends s behind its length.
func AppendString(dst []byte, s string) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(s))), s...)
}

// Reader decodes records from Buf, which holds what is left to read. The
// first malformed record sets Err and empties Buf: every later read
// returns zero values, so a decoder checks Err once, at the end.
type Reader struct {
	Buf []byte
	Err error
	// damaged is the error a malformed record gives.
	damaged error
}

// NewReader reads buf; a malformed record gives the error damaged.
func NewReader(buf []byte, damaged error) Reader {
	return Reader{Buf: buf, damaged: damaged}
}

// Fail marks the input damaged.
func (r *Reader) Fail() {
	if r.Err == nil {
		r.Err = r.damaged
		if r.Err == nil {
			r.Err = errors.New("damaged input")
		}
	}
	r.Buf = nil
}

// Uint reads a varint.
func (r *Reader) Uint() uint64 {
	v, n := binary.Uvarint(r.Buf)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.Buf = r.Buf[n:]
	return v
}

// Int reads a zig-zag varint.
func (r *Reader) Int() int64 {
	v, n := binary.Varint(r.Buf)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.Buf = r.Buf[n:]
	return v
}

// Count reads a number of items that are each at least a byte long, so
// that a damaged count cannot make a decoder allocate more than the input.
func (r *Reader) Count() int {
	n := r.Uint()
	if n > uint64(len(r.Buf)) {
		r.Fail()
		return 0
	}
	return int(n)
}

// Uint64 reads eight little-endian bytes.
func (r *Reader) Uint64() uint64 {
	if len(r.Buf) < 8 {
		r.Fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(r.Buf)
	r.Buf = r.Buf[8:]
	return v
}

// Bytes reads a byte string. It shares Buf's memory, capped at its
// length, so that appending to it never overwrites what follows.
func (r *Reader) Bytes() []byte {
	return r.Take(int(min(r.Uint(), uint64(len(r.Buf)+1))))
}

// Take reads the next n bytes, sharing Buf's memory as Bytes does.
func (r *Reader) Take(n int) []byte {
	if n < 0 || n > len(r.Buf) {
		r.Fail()
		return nil
	}
	b := r.Buf[:n:n]
	r.Buf = r.Buf[n:]
	return b
}

// String reads a byte string as a string.
func (r *Reader) String() string { return string(r.Bytes()) }

// Alias reads a byte string as a string that shares Buf's memory rather
// than a copy: for decoders of a buffer that nothing writes to again,
// whose strings then keep the whole buffer in memory. Decoding a cache
// file of 100,000 articles this way saves a million small copies.
func (r *Reader) Alias() string {
	b := r.Bytes()
	return unsafe.String(unsafe.SliceData(b), len(b))
}
