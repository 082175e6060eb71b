#!/usr/bin/env bash
# Search at scale: rian's index beside SQLite FTS5 (unicode61 and trigram) on the same
# generated corpus of Thai forum write-ups, at 10k and 100k documents (or the sizes given).
#
#   bash bench/search/run.sh            # 10000 and 100000 documents
#   bash bench/search/run.sh 2000       # a quick look
#
# Each size is generated once into bench/search/.work/N/ (kept for the next run), then
# every phase runs in its own process: build, query (in process and over HTTP), peers
# (FTS5 build and queries), recall. Prints the Markdown that goes into BENCHMARKS.md.
# Needs ../shared/ beside the repository (or RIAN_SHARED).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${RIAN_SHARED:-$(cd "$repo/.." && pwd)/shared}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

(cd "$here" && cargo build --release -q)
# CARGO_TARGET_DIR=/path/to/repo/target shares the repository's build (no cold build).
bench="${CARGO_TARGET_DIR:-$here/target}/release/rian-bench-search"
dirs=()
for n in "${sizes[@]}"; do
  out="$here/.work/$n"
  db="$out/rian.sqlite"
  mkdir -p "$out"
  if [ ! -f "$out/generate.json" ]; then
    rm -rf "$db" "$db-wal" "$db-shm" "$out/rian.index"
    echo "generating $n documents" >&2
    "$bench" generate --db "$db" --docs "$n" --shared "$shared" --repo "$repo" --out "$out/generate.json.tmp"
    mv "$out/generate.json.tmp" "$out/generate.json"
  fi
  for phase in build query peers recall; do
    echo "$n documents: $phase" >&2
    "$bench" "$phase" --db "$db" --out "$out/$phase.json"
  done
  dirs+=("$out")
done
"$bench" report "${dirs[@]}" | tee "$here/.work/report.md"
