#!/usr/bin/env bash
# Build, test and package the VS Code extension. Needs Node.js, the npm registry and python3
# (only to unpack the .vsix for the final check).
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
npm run compile
npm test
# Packaged with its runtime dependencies (vscode-languageclient): no --no-dependencies.
rm -f berth.vsix
npx --no-install vsce package --out berth.vsix </dev/null

# Unpack the .vsix and load the extension from it with a stand-in `vscode` module: fails if
# a runtime dependency was left out. Also make sure no sources or tests were shipped.
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' berth.vsix "$unpacked"
if [ -e "$unpacked/extension/src" ] || [ -e "$unpacked/extension/out/test" ]; then
  echo "berth.vsix contains sources or tests; check .vscodeignore" >&2
  exit 1
fi
node scripts/load-packaged.js "$unpacked/extension"
ls -l berth.vsix
