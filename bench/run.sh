#!/usr/bin/env bash
# End-to-end benchmark: berth vs the npm peers, through the shared lspbench harness, plus the
# workspace-indexing benchmark. Writes bench/results/*.json and bench/results/summary.md.
#
#   bench/run.sh                # from the repository root
#   SHARED=../shared PEERS=/tmp/peers REPEAT=3 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PEERS=${PEERS:-/tmp/peers}
REPEAT=${REPEAT:-3}
OUT=${OUT:-bench/results}
LSPBENCH="$SHARED/tools/lspbench/lspbench.py"
mkdir -p "$OUT"
if [ ! -f "$LSPBENCH" ]; then
  echo "bench/run.sh: no lspbench at $LSPBENCH (set SHARED to the shared folder)" >&2
  exit 2
fi

cargo build --release --bin berth --bin berth-gen
BERTH="$PWD/target/release/berth"
GEN="$PWD/target/release/berth-gen"

# The same generated documents the criterion benches use, for `berth check` timing.
DOCS=$(mktemp -d /tmp/berth-bench-docs.XXXXXX)
mkdir -p "$DOCS/df" "$DOCS/co"
"$GEN" dockerfile --lines 2000 >"$DOCS/df/Dockerfile"
"$GEN" compose --services 500 >"$DOCS/co/compose.yaml"

# Peers, in a scratch folder (never part of the project's build).
if [ ! -x "$PEERS/node_modules/.bin/docker-langserver" ] ||
  [ ! -e "$PEERS/node_modules/@microsoft/compose-language-service" ]; then
  npm install --silent --no-audit --no-fund --prefix "$PEERS" \
    dockerfile-language-server-nodejs @microsoft/compose-language-service >/dev/null
fi
COMPOSE_BIN=""
for b in compose-language-service docker-compose-langserver; do
  [ -x "$PEERS/node_modules/.bin/$b" ] && COMPOSE_BIN="$PEERS/node_modules/.bin/$b" && break
done

run() { # name mode size-args server [extra…]
  local name=$1 mode=$2 size=$3 server=$4
  shift 4
  echo "== $name ($mode)" >&2
  # shellcheck disable=SC2086
  python3 "$LSPBENCH" --server "$server" --mode "$mode" $size --repeat "$REPEAT" \
    --quiet --no-table --json-out "$OUT/$name-$mode.json" "$@" >/dev/null ||
    echo "   ($name $mode reported errors; see $OUT/$name-$mode.json)" >&2
}

run berth dockerfile "--lines 2000" "$BERTH lsp"
run berth compose "--services 500" "$BERTH lsp"
run docker-langserver dockerfile "--lines 2000" \
  "$PEERS/node_modules/.bin/docker-langserver --stdio"
if [ -n "$COMPOSE_BIN" ]; then
  run compose-language-service compose "--services 500" "$COMPOSE_BIN --stdio" \
    --init-options '{"diagnosticDelay":0}'
fi

# The requests an editor sends after each edit (outline, folding, highlighting, links, fixes).
reqs() { # name mode server [extra…]
  local name=$1 mode=$2 server=$3
  shift 3
  echo "== $name requests ($mode)" >&2
  python3 bench/requests.py --server "$server" --mode "$mode" --lspbench "$LSPBENCH" \
    --rounds 15 --json-out "$OUT/$name-$mode-requests.json" "$@" >/dev/null ||
    echo "   ($name $mode requests failed)" >&2
}
reqs berth dockerfile "$BERTH lsp"
reqs berth compose "$BERTH lsp"
reqs docker-langserver dockerfile "$PEERS/node_modules/.bin/docker-langserver --stdio"
if [ -n "$COMPOSE_BIN" ]; then
  reqs compose-language-service compose "$COMPOSE_BIN --stdio" \
    --init-options '{"diagnosticDelay":0}'
fi

# Workspace indexing by the real server: initialized → $/progress end.
WS=/tmp/berth-bench-ws-10000
if [ ! -e "$WS/.complete" ]; then
  rm -rf "$WS"
  "$GEN" workspace "$WS" --files 10000
  touch "$WS/.complete"
fi
python3 bench/index.py --server "$BERTH lsp" --root "$WS" --repeat "$REPEAT" \
  --json-out "$OUT/berth-index.json"

# `berth check` wall time on the generated documents (one process each).
check_ms() {
  python3 - "$BERTH" "$1" <<'PY'
import subprocess, sys, time
ts = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "check", sys.argv[2]], stdout=subprocess.DEVNULL)
    ts.append((time.perf_counter() - t) * 1000)
print("%.1f" % sorted(ts)[2])
PY
}
echo "check_dockerfile_ms=$(check_ms "$DOCS/df/Dockerfile")" >"$OUT/check.txt"
echo "check_compose_ms=$(check_ms "$DOCS/co/compose.yaml")" >>"$OUT/check.txt"
rm -rf "$DOCS"

python3 bench/report.py "$OUT" | tee "$OUT/summary.md"
