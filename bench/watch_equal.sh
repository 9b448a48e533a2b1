#!/usr/bin/env bash
# Issue 19, item 1: after a run of single-file edits, is the output of `versus watch` still
# equal to a clean build? On a copy of the ../shared/bench/gen_corpus.py corpus of N
# articles (made once in WORK): starts `watch`, makes each kind of edit in turn (a body, a
# summary, a claim's verdict, a claim's note, a title, a new digest, a deleted digest, and a
# verdict that fails and is then fixed), waits for each rebuild, then builds the edited copy
# afresh and compares the two output folders file by file (`diff -r`). Exits 1 if they differ.
#
#   bench/watch_equal.sh 10000 target/release/versus
set -euo pipefail
n=$1 bin=$(realpath "$2")
SHARED=${SHARED:-$(dirname "$0")/../../shared}
WORK=${WORK:-/dev/shm/versus-side-by-side}
[[ -d $WORK/$n/versus ]] ||
  python3 "$SHARED/bench/gen_corpus.py" --format versus --pages "$n" --out "$WORK/$n/versus" >/dev/null 2>&1
site=$WORK/watch-equal-$n
rm -rf "$site" "$site-out" "$site-clean"
cp -r "$WORK/$n/versus" "$site"
log=$site.log
"$bin" watch --root "$site" --output "$site-out" >"$log" 2>&1 &
watcher=$!
trap 'kill $watcher 2>/dev/null || true' EXIT
# Lines of the log that end a build or rebuild, good or failed.
ended() { grep -cE '^(built|rebuilt|error: rebuild failed)' "$log" || true; }
wait_for() {
  local want=$1 tries=0
  until (($(ended) >= want)); do
    sleep 0.05
    ((++tries < 1200)) || { echo "no rebuild within 60 s; log:" >&2; tail "$log" >&2; exit 2; }
  done
}
wait_for 1
done_so_far=1
edit() {
  "$@"
  done_so_far=$((done_so_far + 1))
  wait_for "$done_so_far"
  sleep 0.3 # a second event for the same save would start one more rebuild
  done_so_far=$(ended)
}
a=$site/content/articles
pick() { printf '%s/article-%05d.md' "$a" "$1"; }
first_verdict() { # file, new verdict: the first claim's `favors`
  python3 - "$1" "$2" <<'E'
import re, sys
p, v = sys.argv[1], sys.argv[2]
s = open(p).read()
open(p, "w").write(re.sub(r'(?m)^favors = "[^"]*"', f'favors = "{v}"', s, count=1))
E
}
mid=$((n / 2))
edit sed -i 's/^## Overview$/## Overview, edited/' "$(pick "$mid")"
edit sed -i 's/^summary = "/summary = "Edited: /' "$(pick "$mid")"
edit first_verdict "$(pick "$mid")" tie
edit sed -i '0,/^note = "/s//note = "Edited note: /' "$(pick $((n / 3)))"
edit sed -i 's/^title = "\(.*\)"$/title = "\1 (retitled)"/' "$(pick $((n / 4)))"
edit sh -c "sed 's/^title = \"\\(.*\\)\"\$/title = \"\\1 (a copy)\"/' '$(pick "$mid")' > '$a/zz-new-digest.md'"
edit rm "$(pick $((n - 1)))"
edit first_verdict "$(pick 1)" no-such-subject
grep -q 'unknown verdict' "$log" || { echo "the bad verdict was not reported" >&2; exit 2; }
edit first_verdict "$(pick 1)" depends
"$bin" build --root "$site" --output "$site-clean" >/dev/null
echo "$(grep -cE '^rebuilt' "$log") rebuilds, $(grep -c 'rebuild failed' "$log") failed; last: $(grep -E '^rebuilt' "$log" | tail -1)"
if diff -r "$site-out" "$site-clean" >/dev/null; then
  echo "watch output equals a clean build: $(find "$site-out" -type f | wc -l) files"
  rm -rf "$site" "$site-out" "$site-clean" "$log"
else
  echo "watch output DIFFERS from a clean build:"
  diff -rq "$site-out" "$site-clean" | head -20
  exit 1
fi
