package content

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/bantin/bantin/internal/binfmt"
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
	d := decoder{Reader: binfmt.NewReader(data, errCorrupt), loc: loc}
	a := d.article()
	if d.Err != nil {
		return nil, nil, d.Err
	}
	return a, d.Buf, nil
}

// article reads an article written by AppendEncoded; d.Err tells whether
// it could.
func (d *decoder) article() *Article {
	a := &Article{}
	a.File = d.String()
	a.Title = d.String()
	a.Date = d.time()
	a.HasTime = d.bool()
	a.Region = d.String()
	a.Slogan = d.String()
	if d.bool() {
		var days [2]Day
		for i := range days {
			days[i] = Day{Year: int(d.Int()), Month: time.Month(d.Int()), Day: int(d.Int())}
		}
		a.Period = &Period{Start: days[0], End: days[1]}
	}
	a.Topics = d.strs()
	a.Author = d.String()
	a.Source = d.String()
	a.Summary = d.String()
	a.Image = d.String()
	a.Draft = d.bool()
	a.Slug = d.String()
	a.Path = d.String()
	a.BodyLine = int(d.Int())
	a.bodyOffset = int(d.Int())
	a.bodySize = int(d.Int())
	a.bodySum = uint64(d.Int())
	a.MentionsMarkdown = d.bool()
	a.bodyAsWritten = d.bool()
	if n := d.count(); n > 0 {
		a.positions = make([]fieldPos, n)
		for i := range a.positions {
			a.positions[i] = fieldPos{key: d.String(), line: int32(d.Int()), col: int32(d.Int())}
		}
	}
	if n := d.count(); n > 0 {
		a.declared = make([]declaredTerms, n)
		for i := range a.declared {
			a.declared[i] = declaredTerms{field: d.String(), values: d.strs()}
		}
	}
	return a
}

type encoder struct {
	buf []byte
	loc *time.Location // the site's time zone
}

func (e *encoder) int(v int64) { e.buf = binfmt.AppendInt(e.buf, v) }

func (e *encoder) str(s string) { e.buf = binfmt.AppendString(e.buf, s) }

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

// decoder reads what encoder writes: binfmt's records, with signed counts
// (-1 for a nil list), bytes for booleans, and times with their zone.
type decoder struct {
	binfmt.Reader
	loc *time.Location
	// alias makes strings share the decoded buffer rather than copy it
	// (binfmt.Reader.Alias), where nothing writes to the buffer again.
	alias bool
}

// String reads a string, shared with the buffer or copied.
func (d *decoder) String() string {
	if d.alias {
		return d.Alias()
	}
	return d.Reader.String()
}

func (d *decoder) count() int {
	n := d.Int()
	if n < 0 || n > int64(len(d.Buf)) {
		d.Fail()
		return 0
	}
	return int(n)
}

func (d *decoder) strs() []string {
	n := d.Int()
	if n == -1 {
		return nil
	}
	if n < 0 || n > int64(len(d.Buf)) {
		d.Fail()
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.String()
	}
	return out
}

func (d *decoder) bool() bool {
	if len(d.Buf) == 0 || d.Buf[0] > 1 {
		d.Fail()
		return false
	}
	b := d.Buf[0] == 1
	d.Buf = d.Buf[1:]
	return b
}

func (d *decoder) time() time.Time {
	sec, nsec := d.Int(), d.Int()
	if nsec < 0 || nsec > math.MaxInt32 {
		d.Fail()
	}
	t := time.Unix(sec, nsec)
	switch d.Int() {
	case zoneUTC:
		return t.UTC()
	case zoneLocal:
		return t.In(time.Local)
	case zoneSite:
		return t.In(d.loc)
	case zoneFixed:
		name, offset := d.String(), d.Int()
		return t.In(time.FixedZone(name, int(offset)))
	}
	d.Fail()
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
