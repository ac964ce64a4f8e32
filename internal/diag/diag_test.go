package diag

import (
	"errors"
	"strings"
	"testing"
)

func TestFileNamesWithControlCharactersAreQuoted(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pos  Pos
		want string
	}{
		{Pos{File: "content/tin tức/bài một.md", Line: 3, Col: 7}, "content/tin tức/bài một.md:3:7"},
		{Pos{File: "content/tin tu\u0301c.md", Line: 1}, "content/tin tu\u0301c.md:1"}, // decomposed Vietnamese stays readable
		{Pos{File: "content/a.md\ncontent/b.md:1:1: forged", Line: 2, Col: 1}, `"content/a.md\ncontent/b.md:1:1: forged":2:1`},
		{Pos{File: "content/a\rb.md"}, `"content/a\rb.md"`},
		{Pos{File: "content/\x1b[31mred.md", Line: 1, Col: 1}, `"content/\x1b[31mred.md":1:1`},
		{Pos{File: "content/\u202egpj.md", Line: 1, Col: 1}, `"content/\u202egpj.md":1:1`}, // right-to-left override
		{Pos{File: "content/\xff.md", Line: 1, Col: 1}, `"content/\xff.md":1:1`},
		{Pos{File: "content/a\tb.md", Line: 1, Col: 1}, `"content/a\tb.md":1:1`},
	} {
		if got := c.pos.String(); got != c.want {
			t.Errorf("%q: got %s, want %s", c.pos.File, got, c.want)
		}
	}
	// However a name is made, a list of problems keeps one line per problem.
	var l List
	l.Addf(Pos{File: "content/x\n-: forged problem\n.md", Line: 1, Col: 1}, "bad date")
	l.Addf(Pos{File: "content/y.md", Line: 2, Col: 1}, "bad region")
	if lines := strings.Split(l.Err().Error(), "\n"); len(lines) != 2 {
		t.Errorf("two problems printed as %d lines: %q", len(lines), lines)
	}
	if got := Name("content/b.md"); got != "content/b.md" {
		t.Errorf("Name quoted a plain name: %s", got)
	}
	if got := (&Error{Pos: Pos{File: "a\nb"}, Err: errors.New("x")}).Error(); got != `"a\nb": x` {
		t.Errorf("Error() = %s", got)
	}
	if got := (&Error{Err: errors.New("cannot write public/index.html: no space left on device")}).Error(); got != "cannot write public/index.html: no space left on device" {
		t.Errorf("a problem without a position reads %q", got)
	}
}
