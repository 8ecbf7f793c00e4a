#!/usr/bin/env python3
"""Time the requests an editor sends after every edit (outline, folding, highlighting, links,
quick fixes) on lspbench's generated documents.

    python3 bench/requests.py --server 'target/release/berth lsp' --mode compose \
        --lspbench ../shared/tools/lspbench/lspbench.py --json-out out.json

Each round types one character (at a place lspbench would type), waits for the diagnostics
the server pushes for it (the client declares no pull diagnostics), then sends each request
in turn and waits for its answer; the time is from sending a request to having read its
whole answer. Large answers are read but not decoded (the client's JSON parsing is not the
server's time). Prints one JSON object: per method, median and p99 in ms and the answer's
size."""
import argparse, importlib.util, json, os, random, re, shlex, subprocess, sys, tempfile, time

METHODS = [
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/semanticTokens/full",
    "textDocument/documentLink",
    "textDocument/codeAction",
]


def load_lspbench(path):
    spec = importlib.util.spec_from_file_location("lspbench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Client:
    def __init__(self, server):
        self.p = subprocess.Popen(shlex.split(server), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = bytearray()
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def frame(self):
        # A bytearray grown in place: a megabyte answer arrives in many pipe-sized reads, and
        # rebuilding an immutable buffer on each would time the client, not the server.
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                m = re.search(rb"(?i)content-length:\s*(\d+)", bytes(self.buf[:end]))
                n = int(m.group(1))
                while len(self.buf) < end + 4 + n:
                    self.fill()
                body = bytes(self.buf[end + 4:end + 4 + n])
                del self.buf[:end + 4 + n]
                return body
            self.fill()

    def fill(self):
        chunk = os.read(self.p.stdout.fileno(), 1 << 20)
        if not chunk:
            raise SystemExit("the server closed its output")
        self.buf += chunk

    def message(self):
        body = self.frame()
        if len(body) <= 65536:
            return json.loads(body), len(body)
        # A large message: its id, method and version are near one end or the other.
        ends = body[:200] + b" " + body[-200:]
        m = re.search(rb'"id":(\d+)', body[:80]) or re.search(rb'"id":(\d+)', body[-80:])
        if m:
            return {"id": int(m.group(1)), "result": True}, len(body)
        method = re.search(rb'"method":"([^"]+)"', ends)
        version = re.search(rb'"version":(\d+)', body[-120:]) or re.search(rb'"version":(\d+)', body[:200])
        msg = {"method": method.group(1).decode() if method else "?", "params": {}}
        if version:
            msg["params"]["version"] = int(version.group(1))
        return msg, len(body)

    def published(self, version, timeout=5.0):
        """Wait for `publishDiagnostics` of `version` (or of any version, for a server that
        sends none); answer the server's requests meanwhile. False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg, _ = self.message()
            if msg.get("method") == "textDocument/publishDiagnostics":
                v = (msg.get("params") or {}).get("version")
                if v is None or v == version:
                    return True
            elif "method" in msg and "id" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        return False

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg, size = self.message()
            if msg.get("id") == rid and "method" not in msg:
                return msg, size
            if "method" in msg and "id" in msg:  # a request from the server
                items = (msg.get("params") or {}).get("items") or []
                result = [None] * len(items) if msg["method"] == "workspace/configuration" else None
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--mode", choices=["dockerfile", "compose"], required=True)
    ap.add_argument("--lspbench", required=True, help="path to lspbench.py (its generators)")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--init-options", default=None)
    ap.add_argument("--json-out", default=None)
    args = ap.parse_args()

    lb = load_lspbench(args.lspbench)
    rng = random.Random(1)
    if args.mode == "dockerfile":
        lines, meta = lb.gen_dockerfile(2000, rng)
        name, lang = "Dockerfile", "dockerfile"
    else:
        lines, meta = lb.gen_compose(500, rng)
        name, lang = "compose.yaml", "dockercompose"
    ws = tempfile.mkdtemp(prefix="berth-requests-")
    path = os.path.join(ws, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    uri = "file://" + path
    c = Client(args.server)
    caps = {"textDocument": {
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "foldingRange": {"lineFoldingOnly": True},
        "semanticTokens": {"requests": {"full": True}, "tokenTypes": [], "tokenModifiers": [],
                           "formats": ["relative"]},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
        "publishDiagnostics": {}}}
    init = {"processId": os.getpid(), "rootUri": "file://" + ws,
            "workspaceFolders": [{"uri": "file://" + ws, "name": "ws"}], "capabilities": caps}
    if args.init_options:
        init["initializationOptions"] = json.loads(args.init_options)
    _, _ = c.request("initialize", init)
    c.notify("initialized", {})
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": lang, "version": 1, "text": "\n".join(lines) + "\n"}})
    time.sleep(1.0)  # let the open's own work finish

    editable = sorted(meta["edit_lines"].items())
    erng = random.Random(17)
    times = {m: [] for m in METHODS}
    pushes, pushed = True, []
    sizes, errors = {}, {}
    for k in range(args.rounds):
        ln, (mincol, tail) = erng.choice(editable)
        col = erng.randint(mincol, max(mincol, len(lines[ln]) - tail))
        ch = erng.choice("abcdefghijklmnopqrstuvwxyz")
        lines[ln] = lines[ln][:col] + ch + lines[ln][col:]
        t0 = time.perf_counter()
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2 + k},
            "contentChanges": [{"range": {"start": {"line": ln, "character": col},
                                          "end": {"line": ln, "character": col}},
                                "rangeLength": 0, "text": ch}]})
        # The client declares no pull diagnostics: the server pushes them.
        if pushes and c.published(2 + k):
            pushed.append((time.perf_counter() - t0) * 1000)
        else:
            pushes = False
        for m in METHODS:
            params = {"textDocument": {"uri": uri}}
            if m == "textDocument/codeAction":
                at = {"line": ln, "character": col}
                params.update(range={"start": at, "end": at}, context={"diagnostics": []})
            t0 = time.perf_counter()
            msg, size = c.request(m, params)
            times[m].append((time.perf_counter() - t0) * 1000)
            sizes[m] = size
            if "error" in msg:
                errors[m] = msg["error"].get("message")
    c.request("shutdown", None)
    c.notify("exit", None)
    c.p.wait(timeout=10)

    def q(v, p):
        v = sorted(v)
        return v[min(len(v) - 1, int(p * len(v)))]

    out = {"server": args.server, "mode": args.mode, "rounds": args.rounds,
           "edit_to_pushed_diagnostics": {"p50": q(pushed, 0.5), "p99": q(pushed, 0.99)}
           if pushed and pushes else None,
           "methods": {m: {"p50": q(v, 0.5), "p99": q(v, 0.99), "bytes": sizes.get(m),
                           "error": errors.get(m)} for m, v in times.items()}}
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(out, f, indent=1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
