#!/usr/bin/env bash
# Times the data-return report (issue 8: one site's PDF under 2 s, the ten-site study
# synthesis under 10 s) on a generated study of ten fictional sites, and Chromium printing
# the same reports' HTML to PDF as the peer. Prints the Markdown for BENCHMARKS.md.
#
#   bash bench/report/run.sh            # 10 rounds
#   bash bench/report/run.sh 3          # a quick look
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
(cd "$here" && cargo build --release -q)
"$here/target/release/rian-bench-report" "${1:-10}"
