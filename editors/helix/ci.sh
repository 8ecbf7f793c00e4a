#!/usr/bin/env bash
# Checks the Helix snippet (Python 3.11+ standard library only).
set -euo pipefail
cd "$(dirname "$0")"
python3 test_languages.py
