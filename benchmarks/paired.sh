#!/usr/bin/env bash
# Paired comparison of two builds of the benchmarks on a noisy machine: builds `overhead` at two commits, runs them
# alternately ROUNDS times (each run: 40 interleaved timed blocks, the median), and prints the medians of each measure
# per build and their ratio. Usage: benchmarks/paired.sh OLD_REV [NEW_REV|worktree] [ROUNDS]
set -euo pipefail
old=$1 new=${2:-worktree} rounds=${3:-10}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() { # $1 revision or "worktree", $2 directory
  mkdir -p "$2"
  if [ "$1" = worktree ]; then (cd "$root" && git ls-files -co --exclude-standard | tar -T - -c) | tar -x -C "$2"
  else git -C "$root" archive "$1" | tar -x -C "$2"; fi
  dotnet build "$2/benchmarks/NnGen.Benchmarks" -c Release -o "$2/out" -v q -nologo > "$2.log" 2>&1 || { cat "$2.log"; exit 1; }
}
build "$old" "$work/old"
build "$new" "$work/new"
for i in $(seq "$rounds"); do
  for b in old new; do "$work/$b/out/NnGen.Benchmarks" overhead | sed "s/^/$b /" >> "$work/results"; done
done
python3 - "$work/results" <<'PY'
import sys, statistics, collections
m = collections.defaultdict(list)
for line in open(sys.argv[1]):
    build, measure, value = line.split()
    m[(measure, build)].append(float(value))
for measure in sorted({k[0] for k in m}):
    old, new = statistics.median(m[(measure, "old")]), statistics.median(m[(measure, "new")])
    print(f"{measure}: old {old:.3f}, new {new:.3f}, new/old {new / old:.4f} (runs: old {sorted(m[(measure, 'old')])}, new {sorted(m[(measure, 'new')])})")
PY
