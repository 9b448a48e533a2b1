#!/usr/bin/env bash
# Seconds from starting `versus serve` until it answers its home page, and the server's peak
# RSS once it has (BENCHMARKS.md, "100,000 articles"): for each binary given, RUNS runs
# alternated, on the ../shared/bench/gen_corpus.py corpus of N articles (made once in WORK).
#
#   bench/serve_first.sh 100000 target/release/versus      # RUNS=3
set -euo pipefail
n=$1; shift
SHARED=${SHARED:-$(dirname "$0")/../../shared}
WORK=${WORK:-/dev/shm/versus-side-by-side}
RUNS=${RUNS:-3}
PORT=${PORT:-1393}
site=$WORK/$n/versus
[[ -d $site ]] || python3 "$SHARED/bench/gen_corpus.py" --format versus --pages "$n" --out "$site" >/dev/null 2>&1
echo "# $n articles, $RUNS runs each, alternated; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
printf '%-40s %14s %12s\n' binary first_page_s peak_rss_MiB
for ((i = 0; i < RUNS; i++)); do
  for bin in "$@"; do
    start=$(date +%s.%N)
    "$bin" serve --root "$site" --port "$PORT" >/dev/null 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; do
      kill -0 "$pid" 2>/dev/null || { echo "$bin: serve exited" >&2; exit 1; }
      sleep 0.05
    done
    first=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    printf '%-40s %14s %12s\n' "$bin" "$first" "$rss"
  done
done
