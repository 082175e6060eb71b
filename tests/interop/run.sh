#!/usr/bin/env bash
# Interoperability checks with other tools' own code, on the built `rian` binary:
#  1. schemathesis runs the JSON API (/api/v1) against its OpenAPI document on a live
#     server holding the demo study: no 5xx, every response matches the schema, for a
#     bounded number of examples per operation;
#  2. pyxform (what KoboToolbox and ODK use) converts the field form rian writes;
#  3. coder agreement (Cohen's kappa, Krippendorff's alpha) recomputed by scikit-learn and
#     the krippendorff package from the yes/no vectors rian reports, on codings made
#     through the API by two coders.
# REFI-QDA exports are validated with xmllint inside `cargo test` (crates/rian-core/tests).
#
#   bash tests/interop/run.sh            # after cargo build -p rian
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rian="$repo/target/debug/rian"
[ -x "$rian" ] || { echo "build rian first: cargo build -p rian" >&2; exit 1; }
venv="$repo/target/interop-venv"
if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== pyxform converts rian's XLSForm"
"$rian" --data-dir "$work/data" init --demo >/dev/null
"$rian" --data-dir "$work/data" form -o "$work/form.xlsx" 2>/dev/null
"$venv/bin/xls2xform" --skip_validate "$work/form.xlsx" "$work/form.xml"
grep -q '<h:title>บันทึกเวที' "$work/form.xml"
grep -q 'jr:itext' "$work/form.xml"   # Thai and English labels became translations

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$rian" --data-dir "$work/data" serve --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/studies", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("rian serve did not answer")
PY
echo "== coder agreement against scikit-learn and krippendorff"
"$venv/bin/python" "$here/agreement.py" "http://127.0.0.1:$port"

echo "== schemathesis against /api/v1"
# From the scratch folder: schemathesis keeps a cache where it runs.
(cd "$work" && "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "${RIAN_SCHEMATHESIS_EXAMPLES:-25}" \
  --seed 2566 \
  --no-color)
echo "== interop checks passed"
