#!/usr/bin/env bash
# compare-hugo.sh [N] [ROUNDS]: builds the shared corpus of N articles
# (default 10000) with Hugo and with bantin, interleaved, ROUNDS times
# (default 3), both writing to a tmpfs, and prints the medians and the
# ratios bantin/Hugo of wall time, CPU time and peak memory, plus output
# files and bytes. Hugo builds the comparable site of ../shared/bench
# (lists of 10, four taxonomies, sitemap), with feeds capped at 20 items as
# bantin's are. Needs ../shared/bench beside this repository; installs Hugo
# with run_hugo.sh's recipe when /tmp/hugobin/hugo is missing.
set -euo pipefail
N=${1:-10000}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
HUGO=${HUGO:-/tmp/hugobin/hugo}
TMPFS=${TMPFS:-/tmp/bench-tmpfs}
export PATH=$PATH:/usr/local/go/bin

if [ ! -x "$HUGO" ]; then
  GOTOOLCHAIN=auto CGO_ENABLED=0 GOBIN=$(dirname "$HUGO") go install github.com/gohugoio/hugo@v0.166.0
fi
# The same articles for both: Hugo's copy has the two list fields its
# taxonomies need, bantin's has not (bantin rejects unknown keys).
[ -d /tmp/corpus-hugo-$N ] || go run "$SHARED/gencorpus.go" -hugo -n "$N" -seed 1 -out /tmp/corpus-hugo-$N -clean
[ -d /tmp/hugo-compare-$N ] || "$SHARED/hugo_site.sh" /tmp/corpus-hugo-$N /tmp/hugo-compare-$N >/dev/null
SITE=/tmp/bantin-compare-$N
if [ ! -d "$SITE/content" ]; then
  go run "$SHARED/gencorpus.go" -n "$N" -seed 1 -out "$SITE/content" -clean
fi
printf 'title = "Bản tin thi đua"\nbase_url = "https://example.gov.vn/"\n' > "$SITE/site.toml"
go build -o /tmp/bantin-compare "$ROOT/cmd/bantin"

if ! mountpoint -q "$TMPFS"; then
  mkdir -p "$TMPFS"
  mount -t tmpfs -o size=8g,mode=755 tmpfs "$TMPFS" || { echo "cannot mount a tmpfs on $TMPFS" >&2; exit 1; }
fi
res=$(mktemp -d)
measure() { # name, output dir, command...
  local name=$1 out=$2; shift 2
  rm -rf "$out"
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$res/t" "$@" >/dev/null 2>"$res/err" || { cat "$res/err" >&2; exit 1; }
  read -r wall user sys rss < "$res/t"
  files=$(find "$out" -type f | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  echo "$name $wall $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') $rss $files $bytes" >> "$res/runs"
}
for round in $(seq 1 "$ROUNDS"); do
  measure hugo "$TMPFS/hugo-out-$N" env HUGO_SERVICES_RSS_LIMIT=20 HUGO_CACHEDIR=/tmp/hugo-cache-cmp \
    "$HUGO" --quiet -s /tmp/hugo-compare-$N -d "$TMPFS/hugo-out-$N"
  measure bantin "$TMPFS/bantin-out-$N" /tmp/bantin-compare build --no-cache --source "$SITE" --dest "$TMPFS/bantin-out-$N"
  rm -rf /tmp/hugo-compare-$N/resources /tmp/hugo-cache-cmp
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v n="$1" -v c="$2" '$1==n {print $c}' "$res/runs" | median; }
printf '\n%d articles, %d rounds, medians (output on tmpfs)\n' "$N" "$ROUNDS"
printf '%-8s %10s %10s %12s %8s %12s\n' tool wall_s cpu_s peak_MiB files bytes
for t in hugo bantin; do
  printf '%-8s %10s %10s %12d %8s %12s\n' "$t" "$(col $t 2)" "$(col $t 3)" "$(( $(col $t 4) / 1024 ))" "$(col $t 5)" "$(col $t 6)"
done
ratio() { awk -v a="$(col bantin "$1")" -v b="$(col hugo "$1")" 'BEGIN {printf "%.2f", a / b}'; }
printf '\nbantin/Hugo: wall %s, CPU %s, peak memory %s\n' "$(ratio 2)" "$(ratio 3)" "$(ratio 4)"
