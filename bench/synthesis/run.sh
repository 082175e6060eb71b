#!/usr/bin/env bash
# The framework matrix and co-occurrence for a study of 1,000 sites and 100,000 accepted
# codings (the goal in issue 7: under 200 ms each), beside a plain SQL GROUP BY that counts
# the same matrix cells without co-occurrence. Prints the Markdown for BENCHMARKS.md.
#
#   bash bench/synthesis/run.sh              # 1000 sites, 100000 codings
#   bash bench/synthesis/run.sh 100 10000    # a quick look
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
(cd "$here" && cargo build --release -q)
"$here/target/release/rian-bench-synthesis" "${1:-1000}" "${2:-100000}"
