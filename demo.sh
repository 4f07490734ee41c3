#!/usr/bin/env bash
# Runs chatgate (Caddy + the chatgate module) in front of the sample legacy
# chat backend, as Caddyfile.example describes. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"
export CHATGATE_PORT="${CHATGATE_PORT:-8080}"
export CHATGATE_BACKEND="${CHATGATE_BACKEND:-127.0.0.1:8081}"

mkdir -p bin
echo "building bin/chatgate and bin/samplebackend (the first build takes a few minutes)..."
go build -o bin/chatgate ./cmd/chatgate
go build -o bin/samplebackend ./cmd/samplebackend

bin/samplebackend -listen "$CHATGATE_BACKEND" &
backend=$!
trap 'kill "$backend" 2>/dev/null || true' EXIT INT TERM

echo "gateway on http://localhost:$CHATGATE_PORT, backend on http://$CHATGATE_BACKEND"
bin/chatgate run --config Caddyfile.example --adapter caddyfile
