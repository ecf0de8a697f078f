#!/usr/bin/env bash
# Runs every test: installs what the tests need when it is missing (Debian's prometheus and
# prometheus-alertmanager for promtool and the end-to-end test), builds, runs `dotnet test` on the
# solution, and ends with one line: `tests: N passed, N failed[, N skipped]`.
set -uo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || [ -x /usr/bin/prometheus-alertmanager ] || need_apt+=(prometheus-alertmanager)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]} (needed by the rule and end-to-end tests)..."
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: not root; install them yourself: sudo apt-get install ${need_apt[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || { echo "test.sh: apt-get update failed; check the package mirror" >&2; exit 2; }
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
    || { echo "test.sh: could not install ${need_apt[*]}; install them and run again" >&2; exit 2; }
  # The Debian packages start system services on install; the tests start their own instances.
  for svc in prometheus prometheus-alertmanager; do
    (systemctl stop "$svc" || service "$svc" stop) >/dev/null 2>&1 || true
  done
  pkill -x prometheus >/dev/null 2>&1 || true
  pkill -f '^/usr/bin/prometheus-alertmanager' >/dev/null 2>&1 || true
fi

results=.test-results
rm -rf "$results"
echo "test.sh: building..."
dotnet build Telemetry.sln -c Release --nologo -v quiet || { echo "tests: 0 passed, 1 failed"; exit 1; }
echo "test.sh: running tests (each project prints its own summary)..."
# A test that hangs fails after 10 minutes with a dump instead of using up CI's 90.
dotnet test Telemetry.sln -c Release --no-build --nologo --blame-hang-timeout 10m \
  --logger "trx" --results-directory "$results" --logger "console;verbosity=normal" "$@"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi # a crash or build break counts as a failure
line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
