#!/usr/bin/env bash
# Runs every case in a fresh process (peak working set is per process) and prints a Markdown table.
#   build/bench-spreadsheets/run.sh [rows]
#   BASELINE=<commit> build/bench-spreadsheets/run.sh [rows]   # also the xlsx case of that commit's writer, first
set -euo pipefail
cd "$(dirname "$0")"
rows="${1:-1000000}"
artifacts="${ARTIFACTS:-/tmp/mf-sheets-artifacts}"
dotnet build -c Release --artifacts-path "$artifacts" -v q -nologo >/dev/null
echo "| case | rows | seconds | rows/s | CPU seconds | peak working set (MB) | allocated (MB) | file (MB) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
if [[ -n "${BASELINE:-}" ]]; then
  # That commit's source with this Program.cs, which uses only the public writer, so both measure the same thing.
  tree="$(mktemp -d)"
  trap 'rm -rf "$tree"' EXIT
  git -C ../.. archive "$BASELINE" | tar -x -C "$tree"
  cp Program.cs "$tree/build/bench-spreadsheets/"
  (cd "$tree/build/bench-spreadsheets" &&
    dotnet build -c Release --artifacts-path "$artifacts-baseline" -v q -nologo >/dev/null &&
    dotnet run -c Release --no-build --artifacts-path "$artifacts-baseline" -- xlsx "$rows") | sed "s/^| xlsx |/| xlsx at $BASELINE |/"
fi
for c in generate xlsx xlsx-miniexcel csv read-xlsx read-csv; do
  dotnet run -c Release --no-build --artifacts-path "$artifacts" -- "$c" "$rows"
done
