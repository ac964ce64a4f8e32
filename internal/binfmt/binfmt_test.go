package binfmt

import (
	"bytes"
	"errors"
	"testing"
)

var errDamaged = errors.New("damaged test record")

func TestRecordsReadBackAsWritten(t *testing.T) {
	var buf []byte
	buf = AppendUint(buf, 300)
	buf = AppendInt(buf, -7)
	buf = AppendUint64(buf, 1<<63+5)
	buf = AppendBytes(buf, []byte("thi đua"))
	buf = AppendString(buf, "")
	buf = AppendUint(buf, 2) // a count of two one-byte items
	buf = append(buf, 'a', 'b')
	r := NewReader(buf, errDamaged)
	if v := r.Uint(); v != 300 {
		t.Errorf("Uint = %d", v)
	}
	if v := r.Int(); v != -7 {
		t.Errorf("Int = %d", v)
	}
	if v := r.Uint64(); v != 1<<63+5 {
		t.Errorf("Uint64 = %d", v)
	}
	if b := r.Bytes(); string(b) != "thi đua" {
		t.Errorf("Bytes = %q", b)
	}
	if s := r.String(); s != "" {
		t.Errorf("String = %q", s)
	}
	if n := r.Count(); n != 2 {
		t.Errorf("Count = %d", n)
	}
	if b := r.Take(2); string(b) != "ab" {
		t.Errorf("Take = %q", b)
	}
	if r.Err != nil || len(r.Buf) != 0 {
		t.Errorf("after reading everything: err %v, %d bytes left", r.Err, len(r.Buf))
	}
}

// A damaged record fails once, with the reader's message, and every read
// after it gives zero values instead of panicking or allocating what a
// damaged length asks for.
func TestDamagedRecordsFailWithoutPanics(t *testing.T) {
	cases := map[string]func(r *Reader){
		"truncated varint": func(r *Reader) { r.Uint() },
		"truncated int":    func(r *Reader) { r.Int() },
		"short uint64":     func(r *Reader) { r.Uint64() },
		"length past end":  func(r *Reader) { r.Bytes() },
		"count past end":   func(r *Reader) { r.Count() },
		"take past end":    func(r *Reader) { r.Take(100) },
		"negative take":    func(r *Reader) { r.Take(-1) },
	}
	inputs := map[string][]byte{
		"truncated varint": {0x80},
		"truncated int":    {0xff},
		"short uint64":     {1, 2, 3},
		"length past end":  AppendUint(nil, 1<<40),
		"count past end":   AppendUint(nil, 5),
		"take past end":    {1, 2},
		"negative take":    {1},
	}
	for name, read := range cases {
		r := NewReader(inputs[name], errDamaged)
		read(&r)
		if r.Err != errDamaged {
			t.Errorf("%s: err %v", name, r.Err)
		}
		if r.Uint() != 0 || r.Uint64() != 0 || r.Bytes() != nil || r.String() != "" || r.Count() != 0 || len(r.Buf) != 0 {
			t.Errorf("%s: reads after the damage give values", name)
		}
	}
}

// Bytes shares the input's memory but not beyond the record: appending to
// what it returns leaves the next record as it was.
func TestBytesCannotOverwriteTheNextRecord(t *testing.T) {
	buf := AppendBytes(nil, []byte("ab"))
	buf = AppendBytes(buf, []byte("cd"))
	r := NewReader(buf, errDamaged)
	first := r.Bytes()
	_ = append(first, 'X', 'X', 'X')
	if next := r.Bytes(); !bytes.Equal(next, []byte("cd")) {
		t.Errorf("next record %q", next)
	}
}
