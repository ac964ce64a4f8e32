package search

import (
	"syscall"
	"testing"
	"time"
)

// BenchmarkUpdate measures what a cached rebuild does with the search
// index after one article changed: read the State back, plan, apply the
// update and encode the next State, for a body edit in the middle of the
// index and for a new article at its end.
//
//	go test ./internal/search -run '^$' -bench Update -benchtime 20x
func BenchmarkUpdate(b *testing.B) {
	const n = 10000
	docs := benchDocs(n + 1)
	base := docs[:n]
	sb := NewBuilder(n, nil)
	sb.KeepState()
	for i, d := range base {
		if err := sb.Add(i, d); err != nil {
			b.Fatal(err)
		}
	}
	keys := benchKeys(base)
	_, st, err := sb.FinishState(keys)
	if err != nil {
		b.Fatal(err)
	}
	saved := st.AppendTo(nil)
	edited := append([]Doc(nil), base...)
	edited[n/2].Body += "\n\nMột đoạn văn thêm vào, về phong trào thi đua yêu nước.\n"
	cases := []struct {
		name string
		docs []Doc
	}{{"edit", edited}, {"new", docs}}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			keys := benchKeys(c.docs)
			start := cpuTime()
			for b.Loop() {
				st, err := DecodeState(saved)
				if err != nil {
					b.Fatal(err)
				}
				u := st.Plan(nil, keys)
				if u == nil {
					b.Fatal("no plan")
				}
				for id := range c.docs {
					if u.Needs(id) {
						u.Add(id, c.docs[id])
					}
				}
				for _, id := range u.Removed() {
					u.SetOldBody(id, base[id].Body)
				}
				_, _, next, err := u.Finish()
				if err != nil {
					b.Fatal(err)
				}
				next.AppendTo(nil)
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

func benchKeys(docs []Doc) []uint64 {
	keys := make([]uint64, len(docs))
	for i, d := range docs {
		keys[i] = uint64(len(d.Body))<<32 ^ uint64(i)
	}
	return keys
}

// cpuTime is the CPU time the process used: the machine may be shared,
// and wall time then says little.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
