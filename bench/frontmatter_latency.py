#!/usr/bin/env python3
"""Edit-to-page latency of `versus serve` for front-matter edits (the shared
rebuild_latency.py appends to the body, which takes the body-only fast path).

Starts the server, waits for the first 200, then RUNS times rewrites the `summary = "…"`
line of FILE with a unique marker (`--edit note`: the first claim's `note = "…"` line;
`--edit verdict`: that note and the claim's `favors`, turned to another verdict each time)
and polls URL until the page shows it. Prints the median,
min and max, and the server's own rebuild lines. Only loopback is contacted.

  bench/frontmatter_latency.py --cwd /dev/shm/c10k --port 1193 \
      --cmd "$PWD/target/release/versus serve --port {port}" \
      --file content/articles/article-05000.md \
      --url 'http://127.0.0.1:{port}/articles/article-05000/'
"""
import argparse
import http.client
import os
import re
import shlex
import signal
import statistics
import subprocess
import time
import uuid


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", path, headers={"Cache-Control": "no-cache"})
        r = conn.getresponse()
        return r.status, r.read()
    except (OSError, http.client.HTTPException):
        return None, b""
    finally:
        conn.close()


VERDICTS = ["tie", "depends", "django", "nodejs"]


def edited(original, edit, marker, n):
    """The file's text with the marker put in by the kind of edit asked for."""
    if edit == "summary":
        return re.sub(r'(?m)^summary = ".*"$', f'summary = "Edited summary {marker}."',
                      original, count=1)
    text = re.sub(r'(?m)^note = ".*"$', f'note = "Edited note {marker}."', original, count=1)
    if edit == "verdict":
        old = re.search(r'(?m)^favors = "(.*)"$', text).group(1)
        others = [v for v in VERDICTS if v != old]
        text = re.sub(r'(?m)^favors = ".*"$', f'favors = "{others[n % len(others)]}"', text,
                      count=1)
    return text


def add_delete(a, path, target, original):
    """The add-delete runs: (added ms, deleted ms) samples, printed like the others."""
    copy = target[:-3] + "-copy.md"
    copy_path = path.rstrip("/") + "-copy/"
    added, deleted = [], []
    try:
        for n in range(a.runs):
            time.sleep(a.settle)
            marker = "m" + uuid.uuid4().hex[:12]
            start = time.perf_counter()
            if n % 2 == 0:
                with open(copy, "w", encoding="utf-8") as f:
                    f.write(edited(original, "summary", marker, n))
                done = lambda: marker.encode() in fetch(a.port, copy_path)[1]
            else:
                os.remove(copy)
                done = lambda: fetch(a.port, copy_path)[0] == 404
            while not done():
                if time.perf_counter() - start > 60:
                    raise SystemExit("the edit never showed")
                time.sleep(0.002)
            (added if n % 2 == 0 else deleted).append((time.perf_counter() - start) * 1000)
    finally:
        if os.path.exists(copy):
            os.remove(copy)
    for name, samples in (("new digest", added), ("deleted digest", deleted)):
        print(f"{name} to page over {len(samples)} edits: median "
              f"{statistics.median(samples):.1f} ms, min {min(samples):.1f} ms, "
              f"max {max(samples):.1f} ms")
        print("  samples ms: " + " ".join(f"{s:.1f}" for s in samples))
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--cwd", default=".")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--log", default="/tmp/frontmatter-latency.log")
    ap.add_argument("--edit", choices=["summary", "note", "verdict", "add-delete"],
                    default="summary",
                    help="add-delete: each odd run writes a copy of FILE beside it (its page "
                         "at URL with `-copy` after the slug) and waits for its page, each "
                         "even run deletes it and waits for the 404")
    a = ap.parse_args()
    url = a.url.replace("{port}", str(a.port))
    path = "/" + url.split("/", 3)[3]
    target = os.path.join(a.cwd, a.file)
    original = open(target, encoding="utf-8").read()
    log = open(a.log, "w")
    proc = subprocess.Popen(shlex.split(a.cmd.replace("{port}", str(a.port))), cwd=a.cwd,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    samples = []
    try:
        deadline = time.time() + 300
        while fetch(a.port, path)[0] != 200:
            if time.time() > deadline:
                raise SystemExit("server did not answer")
            time.sleep(0.05)
        if a.edit == "add-delete":
            return add_delete(a, path, target, original)
        for _ in range(a.runs):
            time.sleep(a.settle)
            marker = "m" + uuid.uuid4().hex[:12]
            text = edited(original, a.edit, marker, len(samples))
            start = time.perf_counter()
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            while marker.encode() not in fetch(a.port, path)[1]:
                if time.perf_counter() - start > 60:
                    raise SystemExit("the edit never showed")
                time.sleep(0.002)
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        log.close()
    print(f"front-matter edit ({a.edit}) to page over {len(samples)} edits: median "
          f"{statistics.median(samples):.1f} ms, min {min(samples):.1f} ms, max {max(samples):.1f} ms")
    print("  samples ms: " + " ".join(f"{s:.1f}" for s in samples))
    rebuilt = [l.strip() for l in open(a.log) if l.startswith("rebuilt after")]
    for line in rebuilt[-3:]:
        print("  server: " + line)


if __name__ == "__main__":
    main()
