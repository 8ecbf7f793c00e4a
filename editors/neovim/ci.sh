#!/usr/bin/env bash
# Neovim integration: filetype detection + config checks, then the end-to-end test against a
# real berth binary.
#
#   BERTH=/path/to/berth editors/neovim/ci.sh      # default: `berth` on PATH, else the
#                                                   # repository's target/{release,debug}/berth
#   editors/neovim/ci.sh --self-test                # run the e2e harness against a fake server
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if ! command -v nvim >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "neovim is not installed and this is not root: install it (apt-get install neovim)" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y neovim
fi

version="$(nvim --version | head -n 1)"
echo "$version"
# The e2e test uses vim.lsp.enable on 0.11+, vim.lsp.start on 0.8-0.10, vim.lsp.start_client
# on 0.7. Anything older cannot run it.
if ! nvim --headless -u NONE -i NONE -c 'if has("nvim-0.7") | qall! | else | cquit 1 | endif'; then
  echo "Neovim 0.7 or newer is needed; found: $version" >&2
  exit 1
fi

run() {
  timeout 300 nvim --headless -u NONE -i NONE -c "luafile $1" </dev/null
}

run "$here/test/filetypes.lua"

if [ "${1:-}" = "--self-test" ]; then
  export BERTH="$here/test/fake_berth.py"
elif [ -z "${BERTH:-}" ]; then
  if command -v berth >/dev/null 2>&1; then
    BERTH="$(command -v berth)"
  elif [ -x "$repo/target/release/berth" ]; then
    BERTH="$repo/target/release/berth"
  elif [ -x "$repo/target/debug/berth" ]; then
    BERTH="$repo/target/debug/berth"
  else
    echo "no berth binary: set BERTH, put berth on PATH, or run cargo build first" >&2
    exit 1
  fi
  export BERTH
fi

run "$here/test/e2e.lua"
