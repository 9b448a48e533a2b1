#!/usr/bin/env python3
"""Time of `versus check --external` without and with its cache, against HTTP servers on
127.0.0.1 that this script starts (HOSTS servers, each answering after DELAY seconds).

Writes a small site into a temporary folder with LINKS links spread over the servers, then
RUNS times: deletes .versus-cache/ and checks (uncached), and checks again (cached). Prints
the medians, min and max, and how many requests the servers saw per run. Only loopback is
contacted.

  bench/external_links.py --versus target/release/versus --links 400 --hosts 4 --delay 0.05
"""
import argparse
import http.server
import shutil
import socketserver
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REQUESTS = 0
LOCK = threading.Lock()


def server(delay):
    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self):
            global REQUESTS
            with LOCK:
                REQUESTS += 1
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = answer
        do_GET = answer

        def log_message(self, *args):
            pass

    class Threaded(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    httpd = Threaded(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd.server_address[1]


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def site(root, ports, links):
    write(root, "site.toml", 'title = "T"\nbase_url = "https://example.com/"\n')
    write(root, "content/_index.md", '+++\ntitle = "Home"\n+++\nHello.\n')
    write(root, "content/subjects/a.md", '+++\nname = "A"\n+++\n')
    write(root, "content/criteria/c.md", '+++\ntitle = "C"\n+++\n')
    lines = [
        f"- [link {i}](http://127.0.0.1:{ports[i % len(ports)]}/page/{i})"
        for i in range(links)
    ]
    write(root, "content/links.md", '+++\ntitle = "Links"\n+++\n' + "\n".join(lines) + "\n")


def timed(versus, root):
    global REQUESTS
    with LOCK:
        REQUESTS = 0
    started = time.perf_counter()
    out = subprocess.run([versus, "check", "--external"], cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"check failed:\n{out.stderr}")
    return elapsed, REQUESTS


def summary(name, runs):
    times = [t for t, _ in runs]
    print(
        f"{name}: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}), requests per run {runs[0][1]}"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--versus", default="target/release/versus")
    ap.add_argument("--links", type=int, default=400)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    versus = str(Path(args.versus).resolve())
    ports = [server(args.delay) for _ in range(args.hosts)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site(root, ports, args.links)
        uncached, cached = [], []
        for _ in range(args.runs):
            shutil.rmtree(root / ".versus-cache", ignore_errors=True)
            uncached.append(timed(versus, root))
            cached.append(timed(versus, root))
        print(f"{args.links} links over {args.hosts} hosts, {args.delay * 1000:.0f} ms per answer")
        summary("uncached", uncached)
        summary("cached  ", cached)


if __name__ == "__main__":
    main()
