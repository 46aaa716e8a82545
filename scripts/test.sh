#!/usr/bin/env bash
# Runs the whole NovaCron test suite: unit, integration (real QEMU, real PostgreSQL), bUnit and Playwright
# (Debian Chromium). Installs and starts what the tests need, then prints one line "N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup-host.sh test
bash scripts/start-postgres.sh

export NOVACRON_TEST_DATA="${NOVACRON_TEST_DATA:-/tmp/novacron-test-cache}"
bash scripts/prepare-guest-image.sh "$NOVACRON_TEST_DATA"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet restore NovaCron.sln --verbosity quiet
dotnet build NovaCron.sln --no-restore -c Debug --verbosity quiet -nologo
status=0
# Test projects run one after another: the integration suites each start QEMU guests and 2 cores are all we have.
dotnet test NovaCron.sln --no-build -c Debug -m:1 --logger "trx" --results-directory "$results" -- RunConfiguration.MaxCpuCount=1 || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if ((passed == 0)); then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
