#!/usr/bin/env python3
"""Builds the benchmark's corpus and the ORCHID gold set from files registry packages ship.

    python3 prepare.py ORCHID97_TXT SHARED_DIR OUTDIR

- OUTDIR/corpus.txt: real Thai prose, one sentence or post per line: the ORCHID sentences
  (technical papers, 1989–1990), the wisesight samples (social media) and the seed
  write-up; the whole is written twice, because the three together come to under 5 MB.
- OUTDIR/orchid.label: ORCHID's own segmentation, one sentence per line with | between
  words, for sentences whose words spell out the raw sentence exactly.
"""
import sys
from pathlib import Path

# ORCHID writes punctuation as <name> tokens.
SYMBOLS = {
    "space": " ", "minus": "-", "full_stop": ".", "comma": ",", "colon": ":",
    "semi_colon": ";", "left_parenthesis": "(", "right_parenthesis": ")", "slash": "/",
    "quotation": '"', "apostrophe": "'", "exclamation": "!", "question_mark": "?",
    "equal": "=", "plus": "+", "asterisk": "*", "ampersand": "&", "number": "#",
    "percent": "%", "at_mark": "@", "circumflex_accent": "^", "low_line": "_",
    "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
    "right_curly_bracket": "}", "less_than": "<", "greater_than": ">", "dollar": "$",
    "tilde": "~",
}


def orchid_sentences(path):
    """Yields (raw sentence, [words]) from orchid97.txt."""
    raw, words = None, []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith(("%", "#")):
            continue
        if line.endswith("//") and raw is None:
            raw, words = line[:-2], []
        elif line == "//" and raw is not None:
            yield raw, words
            raw = None
        elif raw is not None and "/" in line:
            word = line.rsplit("/", 1)[0]
            if word.startswith("<") and word.endswith(">"):
                word = SYMBOLS.get(word[1:-1], None)
                if word is None:
                    words.append("\0")
                    continue
            words.append(word)


def main():
    orchid, shared, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    lines, gold = [], []
    for raw, words in orchid_sentences(orchid):
        if raw.strip():
            lines.append(raw)
        if "".join(words) == raw and "|" not in raw and raw.strip():
            gold.append("|".join(words))
    wisesight = shared / "data" / "thai-gold" / "wisesight"
    for name in ("wisesight-1000-samples-tokenised.txt", "wisesight-160-samples-tokenised.txt"):
        lines += [l for l in (wisesight / name).read_text(encoding="utf-8").splitlines() if l.strip()]
    lines += [l for l in (shared / "seed" / "forum-thonburi-2566.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
    text = "\n".join(lines) + "\n"
    (out / "corpus.txt").write_text(text * 2, encoding="utf-8")
    (out / "orchid.label").write_text("\n".join(gold) + "\n", encoding="utf-8")
    size = len((text * 2).encode("utf-8"))
    print(f"corpus.txt: {size / 1e6:.2f} MB, {2 * len(lines)} lines; orchid.label: {len(gold)} sentences")


if __name__ == "__main__":
    main()
