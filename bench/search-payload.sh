#!/usr/bin/env bash
# search-payload.sh [N]: builds the shared corpus of N articles (default
# 20000) with bantin, with and without its search index, and measures in
# headless Chromium what each query downloads and how long it takes.
# Needs ../shared/bench/gencorpus.go beside this repository, and chromium.
set -euo pipefail
N=${1:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GEN=${GEN:-$ROOT/../shared/bench/gencorpus.go}
SITE=/tmp/bantin-search-$N
mkdir -p "$SITE"
[ -d "$SITE/content" ] || go run "$GEN" -n "$N" -seed 1 -out "$SITE/content" -clean
printf 'title = "Bản tin thi đua"\nbase_url = "http://127.0.0.1/"\n' > "$SITE/site.toml"
cp -r "$SITE" "$SITE-nosearch" 2>/dev/null || true
printf 'title = "Bản tin thi đua"\nbase_url = "http://127.0.0.1/"\n[search]\nenabled = false\n' > "$SITE-nosearch/site.toml"
go build -o /tmp/bantin-bench "$ROOT/cmd/bantin"
# Output goes to a tmpfs when one is mounted (run_hugo.sh mounts
# /tmp/bench-tmpfs): disk timings here swing by a third from run to run.
OUT=/tmp
mountpoint -q "${TMPFS:-/tmp/bench-tmpfs}" && OUT=${TMPFS:-/tmp/bench-tmpfs}
for round in 1 2 3; do
  for s in "$SITE-nosearch" "$SITE"; do
    /usr/bin/time -f "$(basename "$s") round $round: %e s wall, %U s user, %M KB peak" \
      /tmp/bantin-bench build --source "$s" --dest "$OUT/$(basename "$s")-public" --now 2026-11-21T08:00:00+07:00 >/dev/null
  done
done
PUB=$OUT/$(basename "$SITE")-public
du -sh --apparent-size "$PUB/tim-kiem" | sed 's/^/search index size: /'
ls -l "$PUB"/tim-kiem/chi-muc/*/facets.bin | awk '{print "facet table: " $5 " bytes"}'
cd "$ROOT" && BANTIN_BENCH_SITE="$PUB" go test ./internal/site -run '^$' -bench SearchPayload -benchtime 1x -v | grep -v '^goos\|^goarch\|^pkg\|^cpu'
