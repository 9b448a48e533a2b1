#!/usr/bin/env bash
# Edit-to-page latency of `versus serve` at 1,000 and 10,000 articles (BENCHMARKS.md, "Edit
# latency at 10,000 articles"): for each binary given (e.g. main's and this branch's, side by
# side), a body edit (../shared/bench/rebuild_latency.py), a front-matter edit the same way
# (`--edit summary`), a note, a verdict (bench/frontmatter_latency.py) and a new then deleted
# digest. With ZOLA set to a Zola binary (built outside the repository), `zola serve --fast
# --debounce 1` at 1,000 articles with 1 ms and 3 ms polling, beside versus's body edit.
#
#   bench/edit_latency.sh BIN...                       # SIZES="1000 10000" RUNS=8
#   ZOLA=/path/to/zola SIZES=1000 bench/edit_latency.sh target/release/versus
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
WORK=${WORK:-/dev/shm/versus-edits}
RUNS=${RUNS:-8}
SIZES=${SIZES:-"1000 10000"}
PORT=${PORT:-1391}
[[ $# -gt 0 ]] || { echo "usage: bench/edit_latency.sh BIN..." >&2; exit 2; }
bins=()
for b in "$@"; do bins+=("$(realpath "$b")"); done
mkdir -p "$WORK"
uptime
for n in $SIZES; do
  site="$WORK/versus-$n"
  [[ -d $site ]] || python3 "$SHARED/bench/gen_corpus.py" --format versus --pages "$n" --out "$site" >/dev/null
  file=$(printf 'content/articles/article-%05d.md' $((n / 2)))
  url="http://127.0.0.1:{port}/articles/$(basename "$file" .md)/"
  echo "== $n articles, $file"
  for edit in body summary; do
    for b in "${bins[@]}"; do
      python3 "$SHARED/bench/rebuild_latency.py" --cwd "$site" --port "$PORT" --cmd "$b serve --port {port}" \
        --file "$file" --url "$url" --runs "$RUNS" --settle 0.5 --edit "$edit" --ready-timeout 300 \
        --label "$b $edit (rebuild_latency.py)"
    done
  done
  for edit in summary note verdict; do
    for b in "${bins[@]}"; do
      echo "$b:"
      bench/frontmatter_latency.py --cwd "$site" --port "$PORT" --cmd "$b serve --port {port}" \
        --file "$file" --url "$url" --runs "$RUNS" --settle 0.5 --edit "$edit"
    done
  done
  for b in "${bins[@]}"; do
    echo "$b:"
    # The whole rebuild of a new or deleted digest takes seconds at 10,000: wait it out.
    bench/frontmatter_latency.py --cwd "$site" --port "$PORT" --cmd "$b serve --port {port}" \
      --file "$file" --url "$url" --runs "$RUNS" --settle 3 --edit add-delete
  done
  if [[ -n ${ZOLA:-} && $n == 1000 ]]; then
    zsite="$WORK/zola-$n"
    [[ -d $zsite ]] || python3 "$SHARED/bench/gen_corpus.py" --format zola --pages "$n" --out "$zsite" >/dev/null
    for poll in 1 3; do
      for b in "${bins[@]}"; do
        python3 "$SHARED/bench/rebuild_latency.py" --cwd "$site" --port "$PORT" --cmd "$b serve --port {port}" \
          --file "$file" --url "$url" --runs "$RUNS" --settle 0.5 --poll-ms "$poll" --label "$b body, $poll ms polling"
      done
      python3 "$SHARED/bench/rebuild_latency.py" --cwd "$zsite" --port "$PORT" \
        --cmd "$ZOLA serve --fast --debounce 1 --interface 127.0.0.1 --port {port}" \
        --file "$file" --url "$url" --runs "$RUNS" --settle 0.5 --poll-ms "$poll" \
        --label "zola serve --fast --debounce 1, $poll ms polling"
    done
  fi
done
