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
# Each build writes into an emptied folder, as compare-hugo.sh does: the
# time to delete the previous output is not the index's cost.
ROUNDS=${ROUNDS:-5}
runs=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  for s in "$SITE-nosearch" "$SITE"; do
    rm -rf "$OUT/$(basename "$s")-public"
    /usr/bin/time -f "$(basename "$s") %e %U %S %M" -a -o "$runs" \
      /tmp/bantin-bench build --no-cache --source "$s" --dest "$OUT/$(basename "$s")-public" --now 2026-11-21T08:00:00+07:00 >/dev/null
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v n="$1" -v c="$2" '$1==n {print $c}' "$runs" | median; }
without=$(col "$(basename "$SITE")-nosearch" 2); with=$(col "$(basename "$SITE")" 2)
walls() { awk -v n="$1" '$1==n {printf "%s ", $2}' "$runs"; }
printf 'build wall time, median of %d interleaved rounds: %s s without search (%s), %s s with (%s)\n' \
  "$ROUNDS" "$without" "$(walls "$(basename "$SITE")-nosearch")" "$with" "$(walls "$(basename "$SITE")")"
awk -v a="$without" -v b="$with" 'BEGIN {printf "search index adds %.1f%% to the build time\n", 100 * (b - a) / a}'
printf 'peak memory: %d MB without search, %d MB with\n' "$(( $(col "$(basename "$SITE")-nosearch" 5) / 1024 ))" "$(( $(col "$(basename "$SITE")" 5) / 1024 ))"
rm -f "$runs"
PUB=$OUT/$(basename "$SITE")-public
du -sh --apparent-size "$PUB/tim-kiem" | sed 's/^/search index size: /'
ls -l "$PUB"/tim-kiem/chi-muc/*/facets.bin | awk '{print "facet table: " $5 " bytes"}'
cd "$ROOT" && BANTIN_BENCH_SITE="$PUB" go test ./internal/site -run '^$' -bench SearchPayload -benchtime 1x -v | grep -v '^goos\|^goarch\|^pkg\|^cpu'
