package gazetteer

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bantin/bantin/internal/vi"
)

// maxSuggestRunes bounds the names Suggest compares; longer input is no
// near miss of a place name.
const maxSuggestRunes = 64

// Suggest returns up to n canonical names close to name, for "did you
// mean": "Hâu Giang" gives "Hậu Giang". Distance counts a wrong diacritic
// on the right letter as half an edit; a name written without diacritics
// is compared without them. A leading kind word is ignored. Best first.
func (g *Gazetteer) Suggest(name string, n int) []string {
	words := wordsOf(name)
	_, bare := stripKind(g.kinds, words)
	if n <= 0 || len(bare) == 0 {
		return nil
	}
	ascii := true
	for _, w := range bare {
		ascii = ascii && w.ascii
	}
	target := []rune(joinForm(bare, ascii))
	if len(target) > maxSuggestRunes {
		return nil
	}
	// Costs are doubled so that a diacritic-only difference costs 1.
	limit := 2 * max(1, len(target)/4)
	type cand struct {
		place *Place
		cost  int
	}
	best := map[*Place]int{}
	for _, refs := range g.names {
		for _, r := range refs {
			c := editCost(target, []rune(joinForm(r.words, ascii)), limit)
			if c <= limit {
				if old, ok := best[r.place]; !ok || c < old {
					best[r.place] = c
				}
			}
		}
	}
	cands := make([]cand, 0, len(best))
	for p, c := range best {
		cands = append(cands, cand{p, c})
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.cost != b.cost {
			return a.cost - b.cost
		}
		if d := a.place.Kind.Level() - b.place.Kind.Level(); d != 0 {
			return d
		}
		return byRank(a.place, b.place)
	})
	var out []string
	for _, c := range cands {
		if len(out) == n {
			break
		}
		if !slices.Contains(out, c.place.Name) {
			out = append(out, c.place.Name)
		}
	}
	return out
}

func joinForm(words []word, folded bool) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = w.exact
		if folded {
			parts[i] = w.fold
		}
	}
	return strings.Join(parts, " ")
}

// editCost is the edit distance between a and b with doubled costs: 1 to
// swap a letter for the same letter with other diacritics, 2 for any
// other substitution, insertion or deletion. It stops early past limit.
func editCost(a, b []rune, limit int) int {
	if d := len(a) - len(b); 2*max(d, -d) > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = 2 * i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				if baseLetter(a[i-1]) == baseLetter(b[j-1]) {
					sub++
				} else {
					sub += 2
				}
			}
			cur[j] = min(sub, prev[j]+2, cur[j-1]+2)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// baseLetter is r without diacritics ('ậ' -> 'a', 'đ' -> 'd').
func baseLetter(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	f := vi.Fold(string(r))
	if first, size := utf8.DecodeRuneInString(f); size == len(f) {
		return first
	}
	return r
}

// closest returns the option nearest to s by edit distance, or "" when
// none is within a third of its length (at least one edit).
func closest(s string, options []string) string {
	target := []rune(s)
	if len(target) > maxSuggestRunes {
		return ""
	}
	limit := 2 * max(1, len(target)/3)
	best, bestCost := "", limit+1
	for _, o := range options {
		// A candidate must keep something of s: "x" is no typo of "a".
		if c := editCost(target, []rune(o), limit); c < bestCost && c < 2*len(target) {
			best, bestCost = o, c
		}
	}
	return best
}
