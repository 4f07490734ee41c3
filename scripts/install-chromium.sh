#!/usr/bin/env bash
# Installs Debian's chromium for the browser test, if it is missing.
set -euo pipefail
if command -v chromium >/dev/null; then exit 0; fi
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
command -v chromium
