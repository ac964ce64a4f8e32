#!/usr/bin/env bash
# incremental.sh [N] [ROUNDS]: measures cached rebuilds against cold builds
# on the shared corpus of N articles (default 10000), ROUNDS times
# (default 3), interleaved, on a tmpfs (/dev/shm). Each round restores the
# corpus, makes a cold build (empty cache, no previous output), two
# untimed builds that set up both output generations, then times a rebuild
# after one article's body is edited and one after a new article (dated
# newest) is added. It prints the medians of wall time, CPU time and peak
# memory and the rebuild/cold ratios, and checks that the tree after the
# last rebuild of the last round equals a clean build's, byte for byte.
# Needs ../shared/bench/gencorpus.go beside this repository.
set -euo pipefail
N=${1:-10000}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GEN=${GEN:-$ROOT/../shared/bench/gencorpus.go}
WORK=${WORK:-/dev/shm/bantin-incremental-$N}
export PATH=$PATH:/usr/local/go/bin
mkdir -p "$WORK"
[ -d "$WORK/pristine" ] || go run "$GEN" -n "$N" -seed 1 -out "$WORK/pristine" -clean >/dev/null
go build -o "$WORK/bantin" "$ROOT/cmd/bantin"
SITE=$WORK/site OUT=$WORK/public BIN=$WORK/bantin
NOW=--now=2030-01-01T08:00:00+07:00
printf 'title = "Bản tin thi đua"\nbase_url = "https://example.gov.vn/"\n' > "$WORK/site.toml"
runs=$WORK/runs.txt
: > "$runs"
measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  read -r wall user sys rss < "$WORK/t"
  echo "$name $wall $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') $rss" >> "$runs"
}
files=("$WORK"/pristine/*.md)
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$SITE" "$OUT" "$WORK"/.public.* "$WORK/clean" "$WORK"/.clean.*
  mkdir -p "$SITE"
  cp -r "$WORK/pristine" "$SITE/content"
  cp "$WORK/site.toml" "$SITE/site.toml"
  measure cold "$BIN" build --source "$SITE" --dest "$OUT" "$NOW"
  "$BIN" build --source "$SITE" --dest "$OUT" "$NOW" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  "$BIN" build --source "$SITE" --dest "$OUT" "$NOW" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  # One article's body, a different one each round.
  target=$SITE/content/$(basename "${files[$(( (round * 7919) % ${#files[@]} ))]}")
  printf '\nMột đoạn văn thêm vào ở vòng %d, về phong trào thi đua yêu nước.\n' "$round" >> "$target"
  measure edit "$BIN" build --source "$SITE" --dest "$OUT" "$NOW" --changed "$WORK/changed-edit.txt"
  cat > "$SITE/content/zz-moi-$round.md" <<EOF
---
title: "Bản tin mới nhất vòng $round"
date: 2029-12-31 08:00
region: Cần Thơ
topics: [Thi đua khen thưởng]
---
Bản tin mới về phong trào thi đua của vòng $round, đăng sau mọi bản tin khác.
EOF
  measure new "$BIN" build --source "$SITE" --dest "$OUT" "$NOW" --changed "$WORK/changed-new.txt"
done
# The last tree against a clean build of the same sources.
"$BIN" build --source "$SITE" --dest "$WORK/clean" --no-cache "$NOW" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
if diff -rq "$OUT" "$WORK/clean" >/dev/null; then same="byte-identical to a clean build"; else same="DIFFERENT from a clean build"; fi
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v n="$1" -v c="$2" '$1==n {print $c}' "$runs" | median; }
printf '\n%d articles, %d rounds, medians (tmpfs)\n' "$N" "$ROUNDS"
printf '%-22s %9s %9s %10s\n' build wall_s cpu_s peak_MiB
for b in cold edit new; do
  printf '%-22s %9s %9s %10d\n' "$b" "$(col $b 2)" "$(col $b 3)" "$(( $(col $b 4) / 1024 ))"
done
ratio() { awk -v a="$(col "$1" "$2")" -v b="$(col cold "$2")" 'BEGIN {printf "%.3f", a / b}'; }
printf '\nrebuild/cold after an edit: wall %s, CPU %s, peak memory %s\n' "$(ratio edit 2)" "$(ratio edit 3)" "$(ratio edit 4)"
printf 'rebuild/cold after a new article: wall %s, CPU %s, peak memory %s\n' "$(ratio new 2)" "$(ratio new 3)" "$(ratio new 4)"
printf 'paths changed by the last edit: %d, by the last new article: %d\n' "$(wc -l < "$WORK/changed-edit.txt")" "$(wc -l < "$WORK/changed-new.txt")"
printf 'cache: %s; the final tree is %s\n' "$(du -sh "$SITE/.bantin/cache" | cut -f1)" "$same"
