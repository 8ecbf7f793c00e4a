#!/usr/bin/env python3
"""Markdown tables from bench/run.sh's results folder: berth vs the peers, with ratios."""
import json, os, sys

out = sys.argv[1] if len(sys.argv) > 1 else "bench/results"


def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def get(rep, *path):
    v = rep and rep.get("summary")
    for p in path:
        if not isinstance(v, dict):
            return None
        v = v.get(p)
    return v


ROWS = [
    ("cold start → initialize (ms)", ("cold_start_ms",)),
    ("didOpen → diagnostics (ms)", ("open_to_diag_ms",)),
    ("edit → diagnostics p50 (ms)", ("edit_ms", "p50")),
    ("edit → diagnostics p99 (ms)", ("edit_ms", "p99")),
    ("completion p50 (ms)", ("completion_ms", "p50")),
    ("completion p99 (ms)", ("completion_ms", "p99")),
    ("hover p50 (ms)", ("hover_ms", "p50")),
    ("hover p99 (ms)", ("hover_ms", "p99")),
    ("peak RSS (MiB)", ("peak_rss_kb",)),
]


def fmt(v, rss=False):
    if v is None:
        return "–"
    return "%.1f" % (v / 1024 if rss else v)


def table(title, ours, peer_name, peer):
    lines = ["### " + title, "",
             "| metric | berth | %s | peer / berth |" % peer_name, "|---|---:|---:|---:|"]
    for label, path in ROWS:
        a, b = get(ours, *path), get(peer, *path)
        rss = path[0] == "peak_rss_kb"
        ratio = "%.1f×" % (b / a) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > 0 else "–"
        lines.append("| %s | %s | %s | %s |" % (label, fmt(a, rss), fmt(b, rss), ratio))
    return "\n".join(lines) + "\n"


print(table("Dockerfile, 2,000 lines", load("berth-dockerfile.json"), "docker-langserver",
            load("docker-langserver-dockerfile.json")))
print(table("Compose file, 500 services", load("berth-compose.json"), "compose-language-service",
            load("compose-language-service-compose.json")))
def requests_table(title, ours, peer_name, peer):
    if not ours:
        return ""
    lines = ["### " + title, "",
             "| request after an edit | berth p50 | berth p99 | %s p50 | %s p99 | peer / berth (p50) |"
             % (peer_name, peer_name), "|---|---:|---:|---:|---:|---:|"]
    pushed = lambda r: (r or {}).get("edit_to_pushed_diagnostics") or {}
    a, b = pushed(ours), pushed(peer)
    lines.append("| edit → pushed diagnostics | %s | %s | %s | %s | %s |" % (
        fmt(a.get("p50")), fmt(a.get("p99")), fmt(b.get("p50")), fmt(b.get("p99")),
        "%.1f×" % (b["p50"] / a["p50"]) if a.get("p50") and b.get("p50") else "–"))
    for method, v in ours["methods"].items():
        p = (peer or {}).get("methods", {}).get(method) or {}
        ok = lambda r: r.get("p50") is not None and not r.get("error")
        a, b = (v["p50"], p.get("p50")) if ok(v) else (None, None)
        ratio = "%.1f×" % (b / a) if ok(p) and a else "–"
        lines.append("| `%s` | %s | %s | %s | %s | %s |" % (
            method.split("/", 1)[1], fmt(a), fmt(v["p99"] if ok(v) else None),
            fmt(p.get("p50") if ok(p) else None), fmt(p.get("p99") if ok(p) else None), ratio))
    return "\n".join(lines) + "\n"


print(requests_table("Editor requests, Dockerfile, 2,000 lines (ms)",
                     load("berth-dockerfile-requests.json"), "docker-langserver",
                     load("docker-langserver-dockerfile-requests.json")))
print(requests_table("Editor requests, compose file, 500 services (ms)",
                     load("berth-compose-requests.json"), "compose-language-service",
                     load("compose-language-service-compose-requests.json")))
idx = load("berth-index.json")
if idx:
    print("### Workspace indexing (%d files on disk)\n" % idx["files_on_disk"])
    print("| metric | berth |\n|---|---:|")
    print("| initialized → `$/progress` end, median (ms) | %s |" % fmt(idx["median_index_ms"]))
    print("| peak RSS after indexing (MiB) | %s |" % fmt(idx["median_peak_rss_kb"], True))
try:
    with open(os.path.join(out, "check.txt")) as f:
        print("\n### `berth check` wall time (median of 5, ms)\n")
        print("| input | ms |\n|---|---:|")
        for line in f:
            k, _, v = line.strip().partition("=")
            print("| %s | %s |" % (k, v))
except OSError:
    pass
