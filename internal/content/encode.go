package content

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/cespare/xxhash/v2"
)

// errCorrupt is returned when a cached article cannot be decoded: the
// caller ignores the cache.
var errCorrupt = errors.New("corrupt cached article")

// AppendEncoded appends a compact binary form of a parsed article to dst,
// for the build cache. The body is not kept: DecodeArticle returns an
// article whose LoadBody reads it again from the file, checked against the
// size and checksum recorded here.
func AppendEncoded(dst []byte, a *Article, loc *time.Location) []byte {
	e := encoder{buf: dst, loc: loc}
	e.str(a.File)
	e.str(a.Title)
	e.time(a.Date)
	e.bool(a.HasTime)
	e.str(a.Region)
	e.str(a.Slogan)
	if a.Period != nil {
		e.bool(true)
		for _, d := range []Day{a.Period.Start, a.Period.End} {
			e.int(int64(d.Year))
			e.int(int64(d.Month))
			e.int(int64(d.Day))
		}
	} else {
		e.bool(false)
	}
	e.strs(a.Topics)
	e.str(a.Author)
	e.str(a.Source)
	e.str(a.Summary)
	e.str(a.Image)
	e.bool(a.Draft)
	e.str(a.Slug)
	e.str(a.Path)
	e.int(int64(a.BodyLine))
	e.int(int64(a.bodyOffset))
	e.int(int64(a.bodySize))
	e.int(int64(a.bodySum))
	e.bool(a.MentionsMarkdown)
	e.bool(a.bodyAsWritten)
	e.int(int64(len(a.positions)))
	for _, p := range a.positions {
		e.str(p.key)
		e.int(int64(p.line))
		e.int(int64(p.col))
	}
	e.int(int64(len(a.declared)))
	for _, d := range a.declared {
		e.str(d.field)
		e.strs(d.values)
	}
	return e.buf
}

// DecodeArticle reads an article written by AppendEncoded and returns it
// with the rest of data. loc is the site's time zone: dates that were read
// in it get it back.
func DecodeArticle(data []byte, loc *time.Location) (*Article, []byte, error) {
	d := decoder{buf: data, loc: loc}
	a := &Article{}
	a.File = d.str()
	a.Title = d.str()
	a.Date = d.time()
	a.HasTime = d.bool()
	a.Region = d.str()
	a.Slogan = d.str()
	if d.bool() {
		var days [2]Day
		for i := range days {
			days[i] = Day{Year: int(d.int()), Month: time.Month(d.int()), Day: int(d.int())}
		}
		a.Period = &Period{Start: days[0], End: days[1]}
	}
	a.Topics = d.strs()
	a.Author = d.str()
	a.Source = d.str()
	a.Summary = d.str()
	a.Image = d.str()
	a.Draft = d.bool()
	a.Slug = d.str()
	a.Path = d.str()
	a.BodyLine = int(d.int())
	a.bodyOffset = int(d.int())
	a.bodySize = int(d.int())
	a.bodySum = uint64(d.int())
	a.MentionsMarkdown = d.bool()
	a.bodyAsWritten = d.bool()
	if n := d.count(); n > 0 {
		a.positions = make([]fieldPos, n)
		for i := range a.positions {
			a.positions[i] = fieldPos{key: d.str(), line: int32(d.int()), col: int32(d.int())}
		}
	}
	if n := d.count(); n > 0 {
		a.declared = make([]declaredTerms, n)
		for i := range a.declared {
			a.declared[i] = declaredTerms{field: d.str(), values: d.strs()}
		}
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return a, d.buf, nil
}

type encoder struct {
	buf []byte
	loc *time.Location // the site's time zone
}

func (e *encoder) int(v int64) { e.buf = binary.AppendVarint(e.buf, v) }

func (e *encoder) str(s string) {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) strs(s []string) {
	if s == nil {
		e.int(-1)
		return
	}
	e.int(int64(len(s)))
	for _, v := range s {
		e.str(v)
	}
}

func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// Zones of a cached time: where its location came from.
const (
	zoneUTC   = 0
	zoneSite  = 1 // the site's time zone
	zoneLocal = 2 // the process's, which time.Parse uses for known offsets
	zoneFixed = 3
)

func (e *encoder) time(t time.Time) {
	e.int(t.Unix())
	e.int(int64(t.Nanosecond()))
	switch loc := t.Location(); loc {
	case time.UTC:
		e.int(zoneUTC)
	case e.loc:
		e.int(zoneSite)
	case time.Local:
		e.int(zoneLocal)
	default:
		// An offset written in the file: time.Parse made a fixed zone.
		name, offset := t.Zone()
		e.int(zoneFixed)
		e.str(name)
		e.int(int64(offset))
	}
}

type decoder struct {
	buf []byte
	loc *time.Location
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.buf = nil
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) count() int {
	n := d.int()
	if n < 0 || n > int64(len(d.buf)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n, k := binary.Uvarint(d.buf)
	if k <= 0 || n > uint64(len(d.buf)-k) {
		d.fail()
		return ""
	}
	s := string(d.buf[k : k+int(n)])
	d.buf = d.buf[k+int(n):]
	return s
}

func (d *decoder) strs() []string {
	n := d.int()
	if n == -1 {
		return nil
	}
	if n < 0 || n > int64(len(d.buf)) {
		d.fail()
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) bool() bool {
	if len(d.buf) == 0 || d.buf[0] > 1 {
		d.fail()
		return false
	}
	b := d.buf[0] == 1
	d.buf = d.buf[1:]
	return b
}

func (d *decoder) time() time.Time {
	sec, nsec := d.int(), d.int()
	if nsec < 0 || nsec > math.MaxInt32 {
		d.fail()
	}
	t := time.Unix(sec, nsec)
	switch d.int() {
	case zoneUTC:
		return t.UTC()
	case zoneLocal:
		return t.In(time.Local)
	case zoneSite:
		return t.In(d.loc)
	case zoneFixed:
		name, offset := d.str(), d.int()
		return t.In(time.FixedZone(name, int(offset)))
	}
	d.fail()
	return time.Time{}
}

// MetaSum hashes everything the article was parsed into but what comes of
// its body alone (the body, where it lies, whether it links to .md files):
// two versions of an article with the same MetaSum differ only in their
// bodies. It hashes the form AppendEncoded writes, which carries every
// field a build reads, with the date's zone by its name and offset rather
// than by which *time.Location it is (each build loads its own); buf is
// scratch space, returned for reuse.
func (a *Article) MetaSum(buf []byte) (uint64, []byte) {
	m := *a
	m.Body, m.MentionsMarkdown = nil, false
	m.bodyOffset, m.bodySize, m.bodySum, m.bodyAsWritten = 0, 0, 0, false
	buf = AppendEncoded(buf[:0], &m, nil)
	name, offset := a.Date.Zone()
	buf = append(buf, name...)
	buf = binary.AppendVarint(buf, int64(offset))
	return xxhash.Sum64(buf), buf
}
