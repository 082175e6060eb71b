#!/usr/bin/env bash
# Fuzzes every parser that takes outside input, each for a bounded time.
#   bash fuzz/run.sh [SECONDS_PER_TARGET]   (default 60)
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz asks for nightly-only
# sanitizer flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/qdpx corpus/docx corpus/sheets logs
# Seeds of the archive formats: the demo study exported by rian itself, and a small
# Word file with Thai text.
(cd .. && cargo build -q -p rian)
seed_store=$(mktemp -d)
../target/debug/rian --data-dir "$seed_store" init --demo >/dev/null
../target/debug/rian --data-dir "$seed_store" export --format qdpx -o corpus/qdpx/demo.qdpx >/dev/null
../target/debug/rian --data-dir "$seed_store" export --format qdc -o corpus/qdpx/demo.qdc >/dev/null
../target/debug/rian --data-dir "$seed_store" export --format xlsx -o corpus/sheets/demo.xlsx >/dev/null
rm -rf "$seed_store"
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("corpus/docx/seed.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>เวทีสรุปบทเรียน ตำบลพระแท่น</w:t></w:r></w:p><w:p><w:r><w:t>วันที่ 31 มีนาคม 2566</w:t></w:r></w:p></w:body></w:document>')
PY
targets=(normalize segment dates figures search extract docx qdpx sheets)
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  # Seed each corpus with real Thai text so the fuzzer starts from the interesting part.
  cp ../crates/rian-core/data/study-2566-sites.csv "corpus/$target/sites.csv"
  printf 'เมื่อวันศุกร์ที่ 31 มีนาคม 2566 มีผู้เข้าร่วม 25 คน ๔๓ ชุมชน 30 มี.ค. – 2 เม.ย. 2566 กว่า 1,500 คน' > "corpus/$target/seed.txt"
  if [ "$target" = search ]; then
    printf 'กองทุน OR "น้ำท่วม" -ขยะ (ผู้สูง* AND covid-19)\nกองทุนสวัสดิการชุมชนช่วยเหลือสมาชิก แกนนำทำงานเป็นทีม Covid-19' > corpus/search/query.txt
  fi
  echo "== fuzz $target for ${seconds}s"
  # Archives need room for a whole small project; text targets stay short and fast.
  case "$target" in docx|qdpx|sheets) max_len=262144 ;; *) max_len=4096 ;; esac
  # The whole output stays in logs/<target>.log; a crash shows its panic and the input
  # libFuzzer kept (artifacts/<target>/), which becomes a regression test.
  if ! cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len="$max_len" \
      > "logs/$target.log" 2>&1; then
    grep -A3 -E "panicked|ERROR: libFuzzer|SUMMARY" "logs/$target.log" | head -n 20
    echo "fuzz: $target crashed; input in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E "^Done [0-9]+ runs" "logs/$target.log"
done
echo "fuzz: no crash in $((seconds * ${#targets[@]}))s over ${#targets[@]} targets"
