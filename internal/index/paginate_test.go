package index

import "testing"

// TestPaginateKeepsOlderPagesWhenItemsArrive: for every list length and
// page size, the pages hold every item once, newest first; the first page
// holds size to 2·size−1 items (all of a shorter list); page k holds the
// items k·size−size+1 to k·size counted from the oldest, so one more item
// leaves the items of every page but the first as they were.
func TestPaginateKeepsOlderPagesWhenItemsArrive(t *testing.T) {
	t.Parallel()
	for size := 1; size <= 5; size++ {
		for n := 0; n <= 40; n++ {
			pages := Paginate(n, size)
			if pages[0].Number != 0 || pages[0].Lo != 0 {
				t.Fatalf("n=%d size=%d: first page %+v", n, size, pages[0])
			}
			first := pages[0].Hi - pages[0].Lo
			if n < 2*size && (len(pages) != 1 || first != n) {
				t.Errorf("n=%d size=%d: a short list is %+v, want one page", n, size, pages)
			}
			if n >= 2*size && (first < size || first > 2*size-1) {
				t.Errorf("n=%d size=%d: the first page holds %d items", n, size, first)
			}
			next := pages[0].Hi
			for i, p := range pages[1:] {
				if want := len(pages) - 1 - i; p.Number != want {
					t.Errorf("n=%d size=%d: page %d is numbered %d, want %d", n, size, i+1, p.Number, want)
				}
				if p.Lo != next || p.Hi-p.Lo != size {
					t.Errorf("n=%d size=%d: page %+v does not follow at %d with %d items", n, size, p, next, size)
				}
				// Counted from the oldest, item j (0 the oldest) is at n−1−j.
				if oldest := n - 1 - (p.Hi - 1); oldest != (p.Number-1)*size {
					t.Errorf("n=%d size=%d: page %d starts at the oldest's item %d", n, size, p.Number, oldest)
				}
				next = p.Hi
			}
			if next != n {
				t.Errorf("n=%d size=%d: the pages end at %d", n, size, next)
			}
			// One more item, the newest: every older page keeps its items.
			after := Paginate(n+1, size)
			for _, p := range pages[1:] {
				q := after[len(after)-p.Number]
				if q.Number != p.Number || q.Lo != p.Lo+1 || q.Hi != p.Hi+1 {
					t.Errorf("n=%d size=%d: page %+v became %+v", n, size, p, q)
				}
			}
		}
	}
}
