#!/usr/bin/env python3
"""Generates rian's embedded Thai gazetteer from the PyPI package `geothai`.

    pip install geothai==3.2.1
    python3 tools/gazetteer/generate.py

Writes, deterministically (sorted, UTF-8, LF):
  crates/rian-core/data/gazetteer.tsv  code, level, name_th, name_en, parent_code
  crates/rian-core/data/places_th.txt  every distinct Thai name, for the segmenter's lexicon

Names are written without their administrative prefix (geothai writes Bangkok's districts
as "เขต…"); units geothai lists as abolished are not included (they are not in its main
lists). Run at development time only: rian never fetches anything at run time.
"""
import importlib.resources
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "crates" / "rian-core" / "data"
PREFIXES = ("จังหวัด", "อำเภอ", "เขต", "ตำบล", "แขวง")


def load(name):
    path = importlib.resources.files("geothai") / "_data" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def bare(name):
    for prefix in PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def main():
    rows = []
    for code, th, en, *_ in load("provinces"):
        rows.append((code, "province", bare(th), en, ""))
    for code, th, en, *_ in load("districts"):
        rows.append((code, "district", bare(th), en, code[:2]))
    for code, th, en, *_ in load("subdistricts"):
        rows.append((code, "subdistrict", bare(th), en, code[:4]))
    rows.sort()
    for row in rows:
        assert all("\t" not in field and "\n" not in field for field in row), row
    with open(DATA / "gazetteer.tsv", "w", encoding="utf-8", newline="\n") as out:
        out.write("code\tlevel\tname_th\tname_en\tparent_code\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    names = sorted({row[2] for row in rows})
    with open(DATA / "places_th.txt", "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(names) + "\n")
    counts = {}
    for row in rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    print(f"gazetteer.tsv: {counts}; places_th.txt: {len(names)} names")


if __name__ == "__main__":
    main()
