#!/usr/bin/env bash
# Fuzzes every parser that takes outside input, each for a bounded time.
#   bash fuzz/run.sh [SECONDS_PER_TARGET]   (default 60)
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz asks for nightly-only
# sanitizer flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus
for target in normalize segment dates figures search; do
  mkdir -p "corpus/$target"
  # Seed each corpus with real Thai text so the fuzzer starts from the interesting part.
  cp ../crates/rian-core/data/study-2566-sites.csv "corpus/$target/sites.csv"
  printf 'เมื่อวันศุกร์ที่ 31 มีนาคม 2566 มีผู้เข้าร่วม 25 คน ๔๓ ชุมชน 30 มี.ค. – 2 เม.ย. 2566 กว่า 1,500 คน' > "corpus/$target/seed.txt"
  if [ "$target" = search ]; then
    printf 'กองทุน OR "น้ำท่วม" -ขยะ (ผู้สูง* AND covid-19)\nกองทุนสวัสดิการชุมชนช่วยเหลือสมาชิก แกนนำทำงานเป็นทีม Covid-19' > corpus/search/query.txt
  fi
  echo "== fuzz $target for ${seconds}s"
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=4096 2>&1 | tail -n 3
done
echo "fuzz: no crash in $((seconds * 5))s over 5 targets"
