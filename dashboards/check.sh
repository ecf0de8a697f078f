#!/usr/bin/env bash
# Validates the Prometheus side of Spillway's monitoring with promtool:
#   1. promtool check config prometheus.yml      (also parses the rule files it loads)
#   2. promtool check rules  dashboards/alerts/spillway-alerts.yml
#   3. promtool test rules   dashboards/alerts/spillway-alerts.test.yml
#   4. amtool check-config   dashboards/alertmanager.yml
# Prints one PASS/FAIL line per step and exits non-zero if any step fails.
# Usage: dashboards/check.sh   (from anywhere; needs promtool and amtool:
#        apt-get install prometheus prometheus-alertmanager)
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
promtool="${PROMTOOL:-promtool}"
amtool="${AMTOOL:-amtool}"

if ! command -v "$promtool" >/dev/null 2>&1; then
  echo "FAIL  promtool not found (install Prometheus' promtool, e.g. run ./test.sh or apt-get install prometheus)" >&2
  exit 2
fi
if ! command -v "$amtool" >/dev/null 2>&1; then
  echo "FAIL  amtool not found (install Alertmanager's amtool, e.g. run ./test.sh or apt-get install prometheus-alertmanager)" >&2
  exit 2
fi
echo "using $("$promtool" --version 2>&1 | head -n 1)"

failed=0
step() {
  local name="$1"; shift
  local out
  if out="$(cd "$root" && "$@" 2>&1)"; then
    echo "PASS  $name"
  else
    echo "FAIL  $name"
    printf '%s\n' "$out" | sed 's/^/      /'
    failed=1
  fi
}

step "promtool check config prometheus.yml" \
  "$promtool" check config prometheus.yml
step "promtool check rules dashboards/alerts/spillway-alerts.yml" \
  "$promtool" check rules dashboards/alerts/spillway-alerts.yml
step "promtool test rules dashboards/alerts/spillway-alerts.test.yml" \
  "$promtool" test rules dashboards/alerts/spillway-alerts.test.yml
step "amtool check-config dashboards/alertmanager.yml" \
  "$amtool" check-config dashboards/alertmanager.yml

if [ "$failed" -ne 0 ]; then
  echo "dashboards/check.sh: FAILED" >&2
  exit 1
fi
echo "dashboards/check.sh: all checks passed"
