#!/usr/bin/env bash
# The quick set (issue 14): Spillway side by side with nats-server and redis-server, the loopback
# limits, latency, fan-out, scrape at scale, the WebSocket path, memory per peering and TLS; one table at the end.
# Under 10 minutes on 2 cores.
#
#   bench/run.sh [--reps N] [--seconds S] [--warmup S] [--only throughput,latency,fanout,scrape,websocket,memory,tls] [--systems spillway,nats,redis]
#
# Installs the Debian packages nats-server and redis-server when missing. The bench starts its own
# instances on free loopback ports (persistence off) and stops them at the end; nothing is left running.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for server in nats-server redis-server; do
  command -v "$server" >/dev/null 2>&1 || [ -x "/usr/sbin/$server" ] || [ -x "/usr/bin/$server" ] || missing+=("$server")
done
if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  echo "installing ${missing[*]} (Debian packages)"
  "${as_root[@]}" apt-get update -qq
  apt-cache policy "${missing[@]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

dotnet build bench -c Release -nologo -v q
exec dotnet bench/bin/Release/net10.0/Spillway.Bench.dll quick "$@"
