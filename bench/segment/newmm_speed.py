#!/usr/bin/env python3
"""PyThaiNLP's newmm (Python), the segmenter users know: speed on the corpus and its
output on each gold set, for score.py.

    python3 newmm_speed.py CORPUS OUTDIR GOLD.label...
"""
import sys
import time
from pathlib import Path

from pythainlp.tokenize import word_tokenize


def main():
    corpus, outdir, golds = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    lines = Path(corpus).read_text(encoding="utf-8").splitlines()
    size = sum(len(l.encode("utf-8")) + 1 for l in lines)
    for l in lines[:2000]:
        word_tokenize(l, engine="newmm", keep_whitespace=True)
    start = time.perf_counter()
    for l in lines:
        word_tokenize(l, engine="newmm", keep_whitespace=True)
    seconds = time.perf_counter() - start
    print(f"{size / seconds / 1e6:.2f}")
    for gold in golds:
        out = []
        for label in Path(gold).read_text(encoding="utf-8").splitlines():
            raw = label.replace("|", "")
            out.append("|".join(word_tokenize(raw, engine="newmm", keep_whitespace=True)))
        (outdir / ("newmm-" + Path(gold).stem + ".label")).write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
