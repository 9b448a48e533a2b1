#!/usr/bin/env bash
# Clean builds of several versus binaries and Zola, alternated run by run so that a noisy
# machine weighs on each alike: medians of wall and CPU seconds, peak RSS, and each one's
# wall time over Zola's. The corpus is ../shared/bench/gen_corpus.py's (seed 1), made once
# per size in WORK (tmpfs by default).
#
#   ZOLA=/path/to/zola bench/side_by_side.sh 10000 old/versus target/release/versus
#   RUNS=7 bench/side_by_side.sh 1000 target/release/versus
set -euo pipefail
n=$1; shift
SHARED=${SHARED:-$(dirname "$0")/../../shared}
WORK=${WORK:-/dev/shm/versus-side-by-side}
RUNS=${RUNS:-5}
ZOLA=${ZOLA:-$(command -v zola || true)}
site=$WORK/$n
if [[ ! -d $site/versus ]]; then
  python3 "$SHARED/bench/gen_corpus.py" --format versus --pages "$n" --out "$site/versus" >/dev/null 2>&1
fi
tools=("$@")
if [[ -n $ZOLA ]]; then
  [[ -d $site/zola ]] || python3 "$SHARED/bench/gen_corpus.py" --format zola --pages "$n" --out "$site/zola" >/dev/null 2>&1
  tools+=(zola)
fi
declare -A wall cpu rss
for ((i = 0; i < RUNS; i++)); do
  for t in "${tools[@]}"; do
    rm -rf "$WORK/out"
    if [[ $t == zola ]]; then
      cmd=("$ZOLA" --root "$site/zola" build --output-dir "$WORK/out")
    else
      cmd=("$t" build --root "$site/versus" --output "$WORK/out")
    fi
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "${cmd[@]}" >/dev/null 2>&1
    read -r w u s m <"$WORK/time"
    wall[$t]+="$w " cpu[$t]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') " rss[$t]+="$m "
  done
done
rm -rf "$WORK/out"
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "# $n articles, $RUNS runs each, alternated; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
printf '%-40s %8s %8s %9s %8s\n' tool wall_s cpu_s rss_MiB vs_zola
zw=""
[[ -n $ZOLA ]] && zw=$(echo "${wall[zola]}" | median)
for t in "${tools[@]}"; do
  w=$(echo "${wall[$t]}" | median)
  ratio=-; [[ -n $zw ]] && ratio=$(awk -v a="$w" -v b="$zw" 'BEGIN {printf "%.2f", a / b}')
  printf '%-40s %8s %8s %9.0f %8s\n' "$t" "$w" "$(echo "${cpu[$t]}" | median)" \
    "$(awk -v k="$(echo "${rss[$t]}" | median)" 'BEGIN {print k / 1024}')" "$ratio"
done
