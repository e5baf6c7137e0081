#!/usr/bin/env bash
# Runs every case in a fresh process (peak working set is per process) and prints a Markdown table.
#   build/bench-spreadsheets/run.sh [rows]
set -euo pipefail
cd "$(dirname "$0")"
rows="${1:-1000000}"
artifacts="${ARTIFACTS:-/tmp/mf-sheets-artifacts}"
dotnet build -c Release --artifacts-path "$artifacts" -v q -nologo >/dev/null
echo "| case | rows | seconds | rows/s | peak working set (MB) | allocated (MB) | file (MB) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for c in generate xlsx-openxml xlsx-miniexcel csv read-xlsx read-csv; do
  dotnet run -c Release --no-build --artifacts-path "$artifacts" -- "$c" "$rows"
done
