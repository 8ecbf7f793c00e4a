#!/usr/bin/env python3
"""A stand-in for `berth lsp`, used only to check the e2e harness itself (`ci.sh --self-test`).

It speaks just enough LSP: every opened file gets one diagnostic with source "berth", hover
answers with the word under the cursor, completion offers a few Dockerfile instructions.
"""

import json
import sys


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def send(message):
    body = json.dumps(message).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


def main():
    if sys.argv[1:] != ["lsp"]:
        sys.exit("usage: fake_berth.py lsp")
    texts = {}
    stdin = sys.stdin.buffer
    while (msg := read_message(stdin)) is not None:
        method, params = msg.get("method"), msg.get("params") or {}
        if method == "initialize":
            capabilities = {
                "textDocumentSync": 1,
                "hoverProvider": True,
                "completionProvider": {},
            }
            send({"jsonrpc": "2.0", "id": msg["id"], "result": {"capabilities": capabilities}})
        elif method == "textDocument/didOpen":
            doc = params["textDocument"]
            texts[doc["uri"]] = doc["text"]
            diagnostic = {
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
                "severity": 2,
                "source": "berth",
                "code": "fake",
                "message": "fake diagnostic",
            }
            send({
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": {"uri": doc["uri"], "diagnostics": [diagnostic]},
            })
        elif method == "textDocument/hover":
            pos = params["position"]
            line = texts[params["textDocument"]["uri"]].split("\n")[pos["line"]]
            word = line[pos["character"]:].split(":")[0].strip()
            result = {"contents": {"kind": "markdown", "value": f"`{word}`"}}
            send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
        elif method == "textDocument/completion":
            items = [{"label": k, "kind": 14} for k in ("FROM", "RUN", "COPY", "ENV")]
            send({"jsonrpc": "2.0", "id": msg["id"], "result": items})
        elif method == "shutdown":
            send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        elif method == "exit":
            return
        elif "id" in msg:
            send({"jsonrpc": "2.0", "id": msg["id"], "result": None})


if __name__ == "__main__":
    main()
