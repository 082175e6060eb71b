#!/usr/bin/env python3
"""Crash safety: kill rian with SIGKILL at random points and check what it left.

Three kinds of work are cut short, in turn: a large import (many write-ups in one
command), a re-index, and a burst of coding and memo writes to `rian serve` over its API.
After each kill, `rian check --json` opens the store (which applies any index changes the
crash left queued) and checks it: SQLite's integrity and foreign-key checks, every memo
with its line in the activity log (each write whole or absent), and the search index
matching the store. For the writes, every write the server acknowledged (201) must be
there afterwards.

    python3 tests/crash/run.py [KILLS] [--seed N]      # default 60 kill points

RIAN_BIN names the binary (default the newer of target/release/rian and
target/debug/rian). Prints
one line per kill point and, last, a JSON summary; exits 1 if any kill point failed.
"""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def binary():
    if os.environ.get("RIAN_BIN"):
        return os.environ["RIAN_BIN"]
    # The newer of the two builds: an older one may lack `rian check`.
    built = [REPO / b for b in ("target/release/rian", "target/debug/rian") if (REPO / b).exists()]
    if not built:
        sys.exit("build rian first: cargo build -p rian")
    return str(max(built, key=lambda p: p.stat().st_mtime))


RIAN = binary()


def rian(data, *args, **kw):
    return subprocess.run([RIAN, "--data-dir", str(data), *args], capture_output=True, text=True, **kw)


def write_ups(folder, count, rng):
    """`count` write-ups recombined from the fictional extraction cases, each different."""
    sentences = []
    for case in sorted((REPO / "crates/rian-core/tests/extract-cases").glob("*.txt")):
        for line in case.read_text(encoding="utf-8").splitlines():
            sentences.extend(s for s in line.split(" ") if len(s) > 20)
    folder.mkdir()
    files = []
    for i in range(count):
        body = " ".join(rng.choice(sentences) for _ in range(120))
        path = folder / f"write-up-{i:03}.txt"
        path.write_text(f"เวทีที่ {i}\n{body}\n", encoding="utf-8")
        files.append(str(path))
    return files


def timed(fn):
    start = time.monotonic()
    fn()
    return time.monotonic() - start


def check(data):
    out = rian(data, "check", "--json")
    try:
        verdict = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        verdict = {"ok": False, "problems": [f"rian check said: {out.stderr.strip()}"]}
    if out.returncode != 0 and verdict.get("ok"):
        verdict = {"ok": False, "problems": [out.stderr.strip()]}
    search = rian(data, "search", "ชุมชน", "--json", "--limit", "5")
    if search.returncode != 0:
        verdict["ok"] = False
        verdict.setdefault("problems", []).append(f"search after restart: {search.stderr.strip()}")
    return verdict


def kill_during(command, delay):
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return not finished


def post(url, path, body):
    req = urllib.request.Request(url + path, json.dumps(body).encode(),
                                 {"Content-Type": "application/json", "X-Rian-User": "crash"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status, json.load(r)


def writes(data, delay, rng):
    """Serves the store, writes from four threads, kills the server after `delay`.
    Returns the ids of codings and memos the server acknowledged."""
    proc = subprocess.Popen([RIAN, "--data-dir", str(data), "serve", "--addr", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = None
    for line in proc.stdout:
        if "http://" in line:
            url = "http://" + line.split("http://", 1)[1].strip()
            break
    acknowledged = {"coding": [], "memo": []}
    stop = threading.Event()

    def writer(k):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 3 == 0:
                    status, body = post(url, "/api/v1/memos", {
                        "study_id": 1, "target": "site", "target_id": 1,
                        "text": f"บันทึกระหว่างทดสอบ {k}-{n}"})
                    kind = "memo"
                else:
                    start = rng.randrange(0, 1500)
                    status, body = post(url, "/api/v1/codings", {
                        "document_id": 1, "code_id": rng.choice([2, 3, 4, 5, 7, 8]),
                        "span": {"start": start, "end": start + 8}, "coder": "crash",
                        "status": "accepted", "memo": None, "cue": None})
                    kind = "coding"
                if status == 201:
                    acknowledged[kind].append(body["id"])
            except Exception:
                if stop.is_set():
                    return
                time.sleep(0.01)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join()
    proc.wait()
    return acknowledged


def lost(data, acknowledged):
    db = sqlite3.connect(data / "rian.sqlite")
    missing = []
    for table, ids in acknowledged.items():
        for i in ids:
            if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (i,)).fetchone() is None:
                missing.append(f"{table} {i}")
    db.close()
    return missing


def main():
    args = sys.argv[1:]
    kills = int(args[0]) if args and args[0].isdigit() else 60
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 2566
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="rian-crash-"))
    try:
        template = work / "template"
        if rian(template, "init", "--demo").returncode != 0:
            sys.exit("rian init --demo failed")
        files = write_ups(work / "write-ups", 40, rng)
        # How long each piece of work takes uninterrupted: kill points fall inside it.
        probe = work / "probe"
        shutil.copytree(template, probe)
        import_time = timed(lambda: rian(probe, "import", *files, "--site", "1015"))
        reindex_time = timed(lambda: rian(probe, "reindex"))
        shutil.rmtree(probe)
        print(f"# {RIAN}: import of {len(files)} write-ups {import_time:.1f} s, "
              f"reindex {reindex_time:.1f} s, seed {seed}", flush=True)
        results = []
        for i in range(kills):
            kind = ("import", "reindex", "writes")[i % 3]
            data = work / f"kill-{i}"
            # The re-index is killed on a store that holds the import, so it has work to do.
            shutil.copytree(template, data)
            if kind == "reindex":
                rian(data, "import", *files[:10], "--site", "1015")
            acknowledged = {}
            if kind == "import":
                delay = rng.uniform(0.05, import_time * 0.95)
                cut = kill_during([RIAN, "--data-dir", str(data), "import", *files, "--site", "1015"], delay)
            elif kind == "reindex":
                delay = rng.uniform(0.02, reindex_time * 0.95)
                cut = kill_during([RIAN, "--data-dir", str(data), "reindex"], delay)
            else:
                delay = rng.uniform(0.3, 2.0)
                acknowledged = writes(data, delay, rng)
                cut = True
            verdict = check(data)
            missing = lost(data, acknowledged) if acknowledged else []
            ok = verdict.get("ok", False) and not missing
            problems = verdict.get("problems", []) + [f"acknowledged but lost: {m}" for m in missing]
            acked = sum(len(v) for v in acknowledged.values())
            results.append({"kind": kind, "delay_s": round(delay, 3), "cut": cut,
                            "acknowledged": acked, "ok": ok, "problems": problems})
            print(f"{i + 1:3} {kind:8} kill at {delay:6.2f} s  "
                  f"{'cut short' if cut else 'had finished'}"
                  f"{f', {acked} writes acknowledged' if kind == 'writes' else ''}  "
                  f"{'ok' if ok else 'FAILED: ' + '; '.join(problems)}", flush=True)
            shutil.rmtree(data)
        summary = {
            "kill_points": len(results),
            "cut_short": sum(r["cut"] for r in results),
            "survived": sum(r["ok"] for r in results),
            "by_kind": {k: sum(1 for r in results if r["kind"] == k) for k in ("import", "reindex", "writes")},
            "writes_acknowledged": sum(r["acknowledged"] for r in results),
            "failed": [r for r in results if not r["ok"]],
        }
        print(json.dumps(summary, ensure_ascii=False))
        sys.exit(0 if not summary["failed"] else 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
