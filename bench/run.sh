#!/usr/bin/env bash
# Reproduces the tables of BENCHMARKS.md: clean builds of versus and Hugo side by side at
# 1,000 and 10,000 articles (../shared/bench/peers.sh, output on tmpfs), the real site's build,
# and the size of the largest pages at 10,000 articles. Needs Hugo (apt-get install hugo).
# Zola is timed too when found: $ZOLA, or `zola` on the PATH (Zola is not in Debian: build it
# from its public source, outside this repository).
#
#   bench/run.sh            # 5 timed runs per tool and size
#   RUNS=3 SIZES="1000" bench/run.sh
#   ZOLA=/path/to/zola bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
WORK=${WORK:-/dev/shm/versus-bench}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 10000"}

cargo build --release --quiet
command -v hugo >/dev/null || { echo "bench/run.sh: Hugo not found (apt-get install hugo)" >&2; exit 1; }

echo "== machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
uptime

PEERS=(versus hugo)
if [[ -n ${ZOLA:-} ]] || command -v zola >/dev/null; then PEERS+=(zola); fi
for n in $SIZES; do
  echo "== clean builds, $n articles"
  "$SHARED/bench/peers.sh" -r "$RUNS" -d "$WORK" "$n" "${PEERS[@]}"
done

echo "== the real site (5 articles), $RUNS runs, process start included"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e s wall, %M KB peak RSS" ./target/release/versus build --output "$WORK/real-out" 2>&1 >/dev/null | tail -1
done
rm -rf "$WORK/real-out"

if [[ $SIZES == *10000* ]]; then
  echo "== the largest files at 10,000 articles"
  site="$WORK/size-site"; out="$WORK/size-out"
  rm -rf "$site" "$out"
  python3 "$SHARED/bench/gen_corpus.py" --format versus --pages 10000 --out "$site" >/dev/null
  ./target/release/versus build --root "$site" --output "$out" >/dev/null
  # (head closes the pipe early: not an error)
  (cd "$out" && find . -type f -printf '%s %p\n' | sort -rn | head -8) || true
  echo "largest HTML pages:"
  (cd "$out" && find . -name '*.html' -printf '%s %p\n' | sort -rn | head -5) || true
  echo "search index: $(find "$out/search-index" -type f | wc -l) files, largest $(find "$out/search-index" -type f -printf '%s\n' | sort -rn | head -1) bytes" || true
  rm -rf "$site" "$out"
fi
