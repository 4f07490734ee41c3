#!/usr/bin/env bash
# The load benchmark: chatgate + reverse_proxy against plain reverse_proxy,
# side by side in one Caddy, driven by wrk on loopback. Installs wrk if it
# is missing, builds bin/chatgate, and passes its arguments to the driver
# (go run ./bench -h lists them; --quick is a short run that only checks
# that everything works).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
	echo "installing wrk..."
	apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

args=("$@")
if [ "${1:-}" = "--quick" ]; then
	args=(-rounds 1 -duration 1s -memory-clients 64 "${@:2}")
fi

mkdir -p bin
echo "building bin/chatgate..."
go build -o bin/chatgate ./cmd/chatgate
go run ./bench -binary bin/chatgate "${args[@]}"
