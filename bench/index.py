#!/usr/bin/env python3
"""Time a language server indexing a workspace: `initialized` -> the `$/progress` `end`.

    python3 bench/index.py --server 'target/release/berth lsp' --root /tmp/ws --repeat 3

The client advertises `window.workDoneProgress`, answers `window/workDoneProgress/create`
and `client/registerCapability`, and waits for the first `end` of a progress it was asked to
create. Prints one JSON object (median, runs, peak RSS after indexing)."""
import argparse, json, os, shlex, statistics, subprocess, sys, threading, time, queue


def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def reader(stream, q):
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                q.put(None)
                return
            line = line.strip()
            if not line:
                break
            k, _, v = line.decode().partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", 0))
        q.put(json.loads(stream.read(n)))


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None


def once(server, root, timeout):
    p = subprocess.Popen(shlex.split(server), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    q = queue.Queue()
    threading.Thread(target=reader, args=(p.stdout, q), daemon=True).start()
    send = lambda m: (p.stdin.write(frame(m)), p.stdin.flush())
    uri = "file://" + os.path.abspath(root)
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": uri,
        "workspaceFolders": [{"uri": uri, "name": "ws"}],
        "capabilities": {"window": {"workDoneProgress": True},
                         "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True},
                                       "workspaceFolders": True}}}})
    tokens, files, t0, result = set(), None, None, None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            m = q.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if m is None:
            break
        if m.get("id") == 1 and "method" not in m:
            send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            t0 = time.perf_counter()
        elif "method" in m and "id" in m:  # a server request: accept it
            if m["method"] == "window/workDoneProgress/create":
                tokens.add(json.dumps(m["params"]["token"]))
            send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        elif m.get("method") == "$/progress" and json.dumps(m["params"]["token"]) in tokens:
            v = m["params"]["value"]
            if v.get("kind") == "end":
                result = (time.perf_counter() - t0) * 1000
                files = v.get("message")
                break
    time.sleep(0.2)  # let the index settle before reading the high-water mark
    rss = rss_kb(p.pid)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    send({"jsonrpc": "2.0", "method": "exit"})
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
    return {"index_ms": result, "message": files, "peak_rss_kb": rss}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--json-out")
    a = ap.parse_args()
    runs = [once(a.server, a.root, a.timeout) for _ in range(a.repeat)]
    ok = [r["index_ms"] for r in runs if r["index_ms"] is not None]
    files = sum(len(fs) for _, _, fs in os.walk(a.root))
    report = {"server": a.server, "root": a.root, "files_on_disk": files, "runs": runs,
              "median_index_ms": statistics.median(ok) if ok else None,
              "median_peak_rss_kb": statistics.median(
                  [r["peak_rss_kb"] for r in runs if r["peak_rss_kb"]] or [0])}
    js = json.dumps(report, indent=2)
    if a.json_out:
        with open(a.json_out, "w") as f:
            f.write(js + "\n")
    print(js)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
