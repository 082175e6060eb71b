#!/usr/bin/env python3
"""Scores a predicted segmentation against gold with PyThaiNLP's own benchmark module.

    python3 score.py GOLD.label PREDICTED.label

Prints char-level precision/recall/F1 summed over samples, as `thainlp benchmark` does;
run.sh uses it to check that the Rust harness computes the same figures.
"""
import sys

from pythainlp.benchmarks import word_tokenization


def main():
    gold_path, pred_path = sys.argv[1], sys.argv[2]
    with open(gold_path, encoding="utf-8") as f:
        gold = [line.rstrip("\n") for line in f]
    with open(pred_path, encoding="utf-8") as f:
        pred = [line.rstrip("\n") for line in f]
    assert len(gold) == len(pred), f"{len(gold)} gold lines, {len(pred)} predicted"
    df = word_tokenization.benchmark(gold, pred)
    tp, fp, fn = (float(df[f"char_level:{k}"].sum()) for k in ("tp", "fp", "fn"))
    p, r = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * p * r / (p + r)
    print(f"P {p:.4f} R {r:.4f} F1 {f1:.4f}")


if __name__ == "__main__":
    main()
