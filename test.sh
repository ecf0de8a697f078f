#!/usr/bin/env bash
# Runs every test: installs what the tests need when it is missing (Debian's prometheus and
# prometheus-alertmanager for promtool and the end-to-end test, iproute2 for the namespace fault tests), builds, runs `dotnet test` on the
# solution, and ends with one line: `tests: N passed, N failed[, N skipped]`.
#
#   ./test.sh                     the suite once (what CI runs)
#   ./test.sh --repeat N          the suite N times after one build: each run's result, then the tests
#                                 that failed in some runs (flaky) and how often; the last line adds up
#                                 every run
#   ./test.sh --repeat N --hog    the same under a CPU hog on every core (stress-ng, installed from
#                                 Debian when missing and root; otherwise one busy loop per core)
#
# Any other argument goes to `dotnet test` (e.g. --filter 'FullyQualifiedName~NodePoller').
set -uo pipefail
cd "$(dirname "$0")"

repeat=0; hog=0; test_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "test.sh: --repeat needs a positive number of runs, got '${2:-}'" >&2; exit 2; }
      repeat=$2; shift 2 ;;
    --repeat=*)
      repeat=${1#--repeat=}
      [[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "test.sh: --repeat needs a positive number of runs, got '$repeat'" >&2; exit 2; }
      shift ;;
    --hog) hog=1; shift ;;
    *) test_args+=("$1"); shift ;;
  esac
done
if [ "$hog" -eq 1 ] && [ "$repeat" -eq 0 ]; then repeat=1; fi

# Installs Debian packages without starting their services: the tests start their own instances, and
# nothing else on the machine (another Prometheus, say) is ever stopped. A policy-rc.d that refuses
# every start is put in place only for the install, and only if the machine has none of its own.
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: not root; install them yourself: sudo apt-get install $*" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local policy=/usr/sbin/policy-rc.d ours=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# test.sh: no service starts while it installs packages\nexit 101\n' >"$policy" && chmod 755 "$policy" && ours=1
  fi
  local ok=0
  apt-get update -qq >/dev/null || { echo "test.sh: apt-get update failed; check the package mirror" >&2; ok=1; }
  if [ "$ok" -eq 0 ]; then
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
      || { echo "test.sh: could not install $*; install them and run again" >&2; ok=1; }
  fi
  [ "$ours" -eq 1 ] && rm -f "$policy"
  return "$ok"
}

# Stops the service a package of ours started anyway (a machine whose policy-rc.d allows starts), through
# its service manager, so only that service stops; never a process-name match.
stop_started_service() {
  local svc=$1
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" >/dev/null 2>&1 || true
  elif command -v service >/dev/null 2>&1 && service "$svc" status >/dev/null 2>&1; then
    service "$svc" stop >/dev/null 2>&1 || true
  fi
}

need_apt=()
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || [ -x /usr/bin/prometheus-alertmanager ] || need_apt+=(prometheus-alertmanager)
# The fault tests run nodes in network namespaces of their own joined by veth links (ip netns, tc tbf).
{ command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1; } || need_apt+=(iproute2)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]} (needed by the rule, end-to-end and fault tests)..."
  apt_install "${need_apt[@]}" || exit 2
  for pkg in "${need_apt[@]}"; do stop_started_service "$pkg"; done
fi

# --hog: keeps every core busy while the suite runs. Each hog process watches this script and ends with
# it, so a killed test.sh leaves no hog behind; on a normal exit they are stopped by process id.
hog_pids=()
stop_hog() {
  [ ${#hog_pids[@]} -gt 0 ] || return 0
  kill "${hog_pids[@]}" 2>/dev/null
  wait "${hog_pids[@]}" 2>/dev/null
  hog_pids=()
}
start_hog() {
  local cores; cores=$(nproc)
  if ! command -v stress-ng >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing stress-ng for --hog..."
    apt_install stress-ng || echo "test.sh: no stress-ng; using busy loops" >&2
  fi
  local me=$$
  if command -v stress-ng >/dev/null 2>&1; then
    # The watcher ends stress-ng (which stops its workers) when test.sh is gone.
    ( stress-ng --cpu "$cores" --quiet & s=$!
      trap 'kill $s 2>/dev/null; wait $s 2>/dev/null; exit 0' TERM
      while kill -0 "$me" 2>/dev/null && kill -0 "$s" 2>/dev/null; do sleep 2; done
      kill "$s" 2>/dev/null; wait "$s" 2>/dev/null ) &
    hog_pids+=($!)
    echo "test.sh: CPU hog on $cores cores: stress-ng --cpu $cores"
  else
    for _ in $(seq "$cores"); do
      ( trap 'exit 0' TERM; while kill -0 "$me" 2>/dev/null; do for ((i = 0; i < 100000; i++)); do :; done; done ) &
      hog_pids+=($!)
    done
    echo "test.sh: CPU hog on $cores cores: one busy loop each"
  fi
}
trap stop_hog EXIT
trap 'stop_hog; exit 130' INT TERM

# Counters of one run's TRX files: sets passed, failed, skipped and failed_names (one per line).
read_results() {
  local dir=$1 trx counters p f n
  passed=0; failed=0; skipped=0; failed_names=""
  for trx in "$dir"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
    failed_names+=$(grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" \
      | sed -n 's/.* testName="\([^"]*\)".*/\1/p' \
      | sed 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g')
    failed_names+=$'\n'
  done
  failed_names=$(grep -v '^$' <<<"$failed_names" || true)
}

# One `dotnet test` of the solution into $1; sets status.
run_suite() {
  # A test that hangs fails after 10 minutes with a dump instead of using up CI's 90.
  dotnet test Telemetry.sln -c Release --no-build --nologo --blame-hang-timeout 10m \
    --logger "trx" --results-directory "$1" --logger "console;verbosity=$2" ${test_args[@]+"${test_args[@]}"}
  status=$?
}

summary_line() { # passed failed skipped
  local line="tests: $1 passed, $2 failed"
  [ "$3" -gt 0 ] && line="$line, $3 skipped"
  echo "$line"
}

results=.test-results
rm -rf "$results"
echo "test.sh: building..."
dotnet build Telemetry.sln -c Release --nologo -v quiet || { echo "tests: 0 passed, 1 failed"; exit 1; }

if [ "$repeat" -eq 0 ]; then
  echo "test.sh: running tests (each project prints its own summary)..."
  run_suite "$results" normal
  read_results "$results"
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi # a crash or build break counts as a failure
  summary_line "$passed" "$failed" "$skipped"
  [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
  exit $?
fi

[ "$hog" -eq 1 ] && start_hog
declare -A fail_runs=()
total_passed=0; total_failed=0; total_skipped=0; bad_runs=0
for run in $(seq "$repeat"); do
  echo "test.sh: run $run of $repeat..."
  started=$SECONDS
  mkdir -p "$results/run-$run"
  run_suite "$results/run-$run" minimal >"$results/run-$run/console.log" 2>&1
  read_results "$results/run-$run"
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
    failed_names="(run $run: dotnet test exited $status with no failed test: a crash or a hang; see $results/run-$run/console.log)"
  fi
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed)); total_skipped=$((total_skipped + skipped))
  verdict=PASS; [ "$failed" -gt 0 ] && { verdict=FAIL; bad_runs=$((bad_runs + 1)); }
  echo "test.sh: run $run of $repeat: $verdict ($passed passed, $failed failed, $skipped skipped, $((SECONDS - started)) s)"
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    echo "    failed: $name"
    fail_runs["$name"]=$(( ${fail_runs["$name"]:-0} + 1 ))
  done <<<"$failed_names"
done
stop_hog

echo "test.sh: $repeat runs$([ "$hog" -eq 1 ] && echo " under a CPU hog on $(nproc) cores"): $((repeat - bad_runs)) passed, $bad_runs failed"
if [ ${#fail_runs[@]} -eq 0 ]; then
  echo "test.sh: flaky tests: none"
else
  echo "test.sh: flaky tests seen (a test that failed in every run is a plain failure):"
  for name in "${!fail_runs[@]}"; do
    echo "    failed in ${fail_runs[$name]} of $repeat runs: $name"
  done | sort -k3,3nr
fi
summary_line "$total_passed" "$total_failed" "$total_skipped"
[ "$bad_runs" -eq 0 ]
