// Package diag holds the positions and errors every build stage reports, so
// that an editor can jump straight to the offending file, line and column.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is a position in a site file. File is relative to the site root and
// uses forward slashes; Line and Col start at 1, and 0 means unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, leaving out unknown parts.
// A file name that holds a line break or another control character is
// quoted (see Name), so that it can never forge a line of its own.
func (p Pos) String() string {
	file := Name(p.File)
	switch {
	case p.File == "":
		return "-"
	case p.Line <= 0:
		return file
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", file, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", file, p.Line, p.Col)
}

// Name returns a file name fit to print in a message: as it is when every
// character is printable, else Go-quoted ("content/a\nb.md"), so that a
// name holding a line break, a terminal escape or invalid UTF-8 cannot
// forge extra problem lines or rewrite the terminal. Messages that mention
// a second file use it too.
func Name(name string) string {
	for _, r := range name {
		if r == utf8.RuneError || unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' {
			return strconv.Quote(name)
		}
	}
	return name
}

// Error is a problem found at a position.
type Error struct {
	Pos Pos
	Err error
}

// Errorf returns an *Error at pos with a formatted message.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Err: fmt.Errorf(format, args...)}
}

// Error formats the problem as "file:line:col: message"; a problem that
// is not at a position (a full disk, say) names its path in the message.
func (e *Error) Error() string {
	if e.Pos.File == "" {
		return e.Err.Error()
	}
	return e.Pos.String() + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// List is a set of problems, reported whole so that one run shows every bad
// file. Its zero value is ready to use.
type List []*Error

// Add appends an error at pos.
func (l *List) Add(pos Pos, err error) { *l = append(*l, &Error{Pos: pos, Err: err}) }

// Addf appends a formatted error at pos.
func (l *List) Addf(pos Pos, format string, args ...any) {
	*l = append(*l, Errorf(pos, format, args...))
}

// Append adds err, flattening Lists and keeping *Error positions; any other
// error is added without a position.
func (l *List) Append(err error) {
	if err == nil {
		return
	}
	var list List
	if errors.As(err, &list) {
		*l = append(*l, list...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*l = append(*l, e)
		return
	}
	*l = append(*l, &Error{Err: err})
}

// Sort orders the list by file, line, column and message, and drops exact
// duplicates, so that output is stable from run to run.
func (l List) Sort() List {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Err.Error(), b.Err.Error()),
		)
	})
	return slices.CompactFunc(l, func(a, b *Error) bool {
		return a.Pos == b.Pos && a.Err.Error() == b.Err.Error()
	})
}

// Err returns the sorted list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l.Sort()
}

func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// PosOf returns the position of the byte at offset in src, counting columns
// in characters (runes), the way editors do.
func PosOf(file string, src []byte, offset int) Pos {
	if offset > len(src) {
		offset = len(src)
	}
	line, col := 1, 1
	for i := 0; i < offset; {
		if src[i] == '\n' {
			line++
			col = 1
			i++
			continue
		}
		_, size := utf8.DecodeRune(src[i:])
		i += size
		col++
	}
	return Pos{File: file, Line: line, Col: col}
}
