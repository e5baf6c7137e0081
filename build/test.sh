#!/usr/bin/env bash
# Run every Moonflow test against a private, throwaway-speed PostgreSQL cluster "test" of this
# clone (`build/pg.sh dir test` prints where), then print one summary line "N passed, N failed, N skipped".
# Extra args go to `dotnet test` (e.g. --filter ...). MOONFLOW_KEEP_PG=1 leaves the db running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

port="${MOONFLOW_TEST_PG_PORT:-55433}"
results=.local/test-results

cleanup() {
  if [[ "${MOONFLOW_KEEP_PG:-0}" != 1 ]]; then bash build/pg.sh stop test || true; fi
}
trap cleanup EXIT
# Plain SIGTERM/SIGINT would skip the EXIT trap; route them through exit.
trap 'exit 130' INT
trap 'exit 143' TERM

PG_FAST=1 bash build/pg.sh start test "$port"
MOONFLOW_TEST_DB="$(bash build/pg.sh url test "$port")"
export MOONFLOW_TEST_DB   # tests create their own databases from it

# The OpenAPI document is checked by independent (Node) validators, Redocly's recommended rules among them, and a
# front-end module is compiled against types generated from it; install both from their lock files.
npm ci --prefix build/openapi --no-audit --no-fund --loglevel=error
npm ci --prefix build/clients/ts --no-audit --no-fund --loglevel=error

# Only this run's results may count.
rm -rf "$results"
mkdir -p "$results"

# LogFilePrefix, not LogFileName: with a fixed name every test project of the
# solution writes the same file and only the last one survives (microsoft/vstest#3026).
set +e
dotnet test Moonflow.sln -c Release \
  --logger "trx;LogFilePrefix=results" \
  --results-directory "$results" "$@"
rc=$?
set -e

mapfile -t trx < <(find "$results" -type f -name '*.trx' | sort)
if [[ ${#trx[@]} -eq 0 ]]; then
  echo "no .trx results found (dotnet test exit code $rc)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Sum the <Counters .../> attributes. Tags are flattened first so attribute order
# and line breaks do not matter; a leading space keeps "passed" from matching
# "passedButRunAborted". error/timeout/aborted count as failures.
counter() { # FILE ATTR
  tr '\r\n' '  ' <"$1" | grep -o '<Counters [^>]*>' | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0
}
passed=0 failed=0 skipped=0
for f in "${trx[@]}"; do
  passed=$((passed + $(counter "$f" passed)))
  for a in failed error timeout aborted; do failed=$((failed + $(counter "$f" "$a"))); done
  skipped=$((skipped + $(counter "$f" notExecuted)))
done

echo "${passed} passed, ${failed} failed, ${skipped} skipped"

if [[ $rc -ne 0 ]]; then exit "$rc"; fi
if [[ $failed -gt 0 || $passed -eq 0 ]]; then exit 1; fi
