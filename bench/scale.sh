#!/usr/bin/env bash
# How a clean build grows with the site (issue 19: 100,000 articles in at most 11× the time
# of 10,000): builds of SMALL and LARGE articles alternated RUNS times, so that a noisy
# machine weighs on both alike; medians of wall, CPU (user + system) and peak RSS, and the
# ratio of the medians. Corpora from ../shared/bench/gen_corpus.py, made once in WORK.
#
#   bench/scale.sh target/release/versus               # SMALL=10000 LARGE=100000 RUNS=3
set -euo pipefail
bin=$1
SHARED=${SHARED:-$(dirname "$0")/../../shared}
WORK=${WORK:-/dev/shm/versus-side-by-side}
SMALL=${SMALL:-10000}
LARGE=${LARGE:-100000}
RUNS=${RUNS:-3}
for n in "$SMALL" "$LARGE"; do
  [[ -d $WORK/$n/versus ]] ||
    python3 "$SHARED/bench/gen_corpus.py" --format versus --pages "$n" --out "$WORK/$n/versus" >/dev/null 2>&1
done
declare -A wall cpu rss
for ((i = 0; i < RUNS; i++)); do
  for n in "$SMALL" "$LARGE"; do
    rm -rf "$WORK/out"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$bin" build --root "$WORK/$n/versus" --output "$WORK/out" >/dev/null 2>&1
    read -r w u s m <"$WORK/time"
    wall[$n]+="$w " cpu[$n]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') " rss[$n]+="$m "
  done
done
rm -rf "$WORK/out"
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "# $bin, $RUNS runs each, alternated; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
printf '%-10s %8s %8s %9s\n' articles wall_s cpu_s rss_MiB
for n in "$SMALL" "$LARGE"; do
  printf '%-10s %8s %8s %9.0f\n' "$n" "$(echo "${wall[$n]}" | median)" "$(echo "${cpu[$n]}" | median)" \
    "$(awk -v k="$(echo "${rss[$n]}" | median)" 'BEGIN {print k / 1024}')"
done
awk -v a="$(echo "${wall[$SMALL]}" | median)" -v b="$(echo "${wall[$LARGE]}" | median)" \
  -v s="$SMALL" -v l="$LARGE" 'BEGIN {printf "%s articles take %.1f× the time of %s\n", l, b / a, s}'
