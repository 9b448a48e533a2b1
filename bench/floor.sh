#!/usr/bin/env bash
# The floor under a clean build on this machine: what reading the content and writing the
# output cost with nothing rendered. Times `cat` of every content file and `cp -r` of a built
# output folder (the same files, sizes and folders) into a fresh folder beside it: both in C,
# one process, so the figures are the file system's own. Medians of RUNS.
#
#   bench/floor.sh SITE OUTPUT        # e.g. /dev/shm/pb/10000/versus /dev/shm/o10k
set -euo pipefail
site=$1 out=$2 runs=${RUNS:-5}
copy="$out-floor-copy"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cat "$(find "$out" -type f | head -1)" >/dev/null
reads=() writes=()
for ((i = 0; i < runs; i++)); do
  s=$(date +%s%N); find "$site/content" -type f -exec cat {} + >/dev/null; e=$(date +%s%N)
  reads+=("$(( (e - s) / 1000000 ))")
  rm -rf "$copy"
  s=$(date +%s%N); cp -r "$out" "$copy"; e=$(date +%s%N)
  writes+=("$(( (e - s) / 1000000 ))")
done
rm -rf "$copy"
echo "read $(find "$site/content" -type f | wc -l) content files, $(du -sb "$site/content" | cut -f1) bytes: median $(printf '%s\n' "${reads[@]}" | median) ms"
echo "write $(find "$out" -type f | wc -l) output files, $(du -sb "$out" | cut -f1) bytes (cp -r): median $(printf '%s\n' "${writes[@]}" | median) ms"
