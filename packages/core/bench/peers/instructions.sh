#!/usr/bin/env bash
# CPU instructions per event in the peer benchmark's harness, counted by valgrind's callgrind: the
# same for the same build whatever else the machine is doing, unlike CPU time. Each adapter runs in
# the harness's child mode at N=2,000 and N=22,000; (difference) / 20,000 is one event's cost with
# start-up removed. Slow: about a minute per adapter.
#   B=<copy of bench-peers> bash packages/core/bench/peers/instructions.sh "$B/adapters/waymark.mjs" packages/core/bench/peers/format-floor.mjs _batch-array
set -euo pipefail
: "${B:?set B to a copy of bench-peers with its packages installed}"
root=$(pwd)
out=$(mktemp -d)
count() { # adapter n
  (cd "$B" && PWD="$root" WAYMARK_ROOT="$root" valgrind --tool=callgrind --callgrind-out-file="$out/cg" --smc-check=all-non-file \
    node --expose-gc track-cost.mjs "$1" --child --n "$2" --settle-ms 100 >"$out/log" 2>&1)
  # a run that did not deliver everything measured something else
  grep -q '"drained":true' "$out/log" || { echo "$1 at N=$2 did not drain:" >&2; tail -5 "$out/log" >&2; exit 1; }
  sed -n 's/^summary: //p' "$out/cg"
}
for a in "$@"; do
  p=$a; [[ -f "$root/$a" ]] && p="$root/$a"
  small=$(count "$p" 2000)
  big=$(count "$p" 22000)
  echo "$(basename "$a" .mjs): $(( (big - small) / 20000 )) instructions/event"
done
rm -rf "$out"
