"""rian's coder agreement against reference implementations from PyPI.

Two coders code the demo document through rian's JSON API (a fixed pseudo-random
pattern over its clauses: each coder applies each of a few codes to a clause with some
probability, the second often copying the first), then rian's figures for every code and
over all codes are recomputed from the yes/no vectors rian reports, with scikit-learn's
cohen_kappa_score and the krippendorff package's nominal alpha. Any difference beyond
1e-9 fails.

    python agreement.py http://127.0.0.1:PORT
"""

import json
import math
import random
import sys
import urllib.parse
import urllib.request

import krippendorff
from sklearn.metrics import cohen_kappa_score

base = sys.argv[1].rstrip("/") + "/api/v1"


def call(method, path, body=None, user=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if user:
        request.add_header("X-Rian-User", user)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


study = call("GET", "/studies")[0]["id"]
codes = [c for c in call("GET", f"/studies/{study}/codes") if c["parent_id"] is not None][:4]
site = call("GET", f"/studies/{study}/sites")[0]["id"]
forum = call("GET", f"/sites/{site}/forums")[0]["id"]
document = call("GET", f"/forums/{forum}/documents")[0]
text = document["text"]

# Clauses as Thai writes them: runs between spaces and line ends, in characters.
clauses, start = [], None
for i, ch in enumerate(text + " "):
    if ch.isspace():
        if start is not None and i - start >= 2:
            clauses.append((start, i))
        start = None
    elif start is None:
        start = i

dice = random.Random(2566)
made = 0
for s, e in clauses:
    for code in codes:
        first = dice.random() < 0.15
        second = first if dice.random() < 0.7 else dice.random() < 0.15
        for coder, applied in (("coder-a", first), ("coder-b", second)):
            if applied:
                call("POST", "/codings", {
                    "document_id": document["id"], "code_id": code["id"],
                    "span": {"start": s, "end": e}, "coder": coder,
                    "status": "accepted", "memo": None, "cue": None,
                }, user=coder)
                made += 1

query = urllib.parse.urlencode({"a": "coder-a", "b": "coder-b"})
found = call("GET", f"/studies/{study}/agreement?{query}")
print(f"{made} codings, {len(found['units'])} units, {len(found['codes'])} codes")


def close(ours, theirs, what):
    if ours is None:
        if not (theirs is None or math.isnan(theirs)):
            sys.exit(f"{what}: rian says undefined, the reference {theirs}")
        return
    if theirs is None or math.isnan(theirs) or abs(ours - theirs) > 1e-9:
        sys.exit(f"{what}: rian {ours}, the reference {theirs}")


def reference_alpha(a, b):
    if len(set(a) | set(b)) < 2:
        return None
    return krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")


def reference_kappa(a, b):
    if len(set(a) | set(b)) < 2:
        return None
    return cohen_kappa_score(a, b)


all_a, all_b = [], []
for c in found["codes"]:
    a, b = c["a"], c["b"]
    all_a += a
    all_b += b
    close(c["kappa"], reference_kappa(a, b), f"kappa of code {c['code_id']}")
    close(c["alpha"], reference_alpha(a, b), f"alpha of code {c['code_id']}")
    same = sum(x == y for x, y in zip(a, b)) / len(a) * 100
    close(c["percent"], same, f"percent of code {c['code_id']}")
close(found["kappa"], reference_kappa(all_a, all_b), "kappa over all codes")
close(found["alpha"], reference_alpha(all_a, all_b), "alpha over all codes")
if len(found["codes"]) < 2 or found["kappa"] is None:
    sys.exit("the pattern gave too little to compare")
print(f"agreement matches scikit-learn and krippendorff: kappa {found['kappa']:.4f}, alpha {found['alpha']:.4f}")
