#!/usr/bin/env bash
# Moonflow benchmarks: seeds a separate database (1,000,000 interactions) on its own PostgreSQL cluster and
# prints a table. Figures are ratios against baselines measured in the same run (PostgreSQL's own COPY).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# BENCH_ONLY=upload, BENCH_ONLY=crmimport (the CRM contacts load and update by key), BENCH_ONLY=export, BENCH_ONLY=scripts (the script usage search over 100,000 scripts), BENCH_ONLY=backup (sizes: BENCH_BACKUP_INTERACTIONS, BENCH_BACKUP_FILES,
# BENCH_BACKUP_FILE_BYTES) or BENCH_ONLY=hostile (the hostile-upload corpus, and the spreadsheet
# adapters' held memory) or BENCH_ONLY=crm (the CRM processes on 1,000,000 contacts; BENCH_CRM_CONTACTS for a smoke
# run) runs one part.
port="${MOONFLOW_BENCH_PG_PORT:-55434}"
cluster="${MOONFLOW_BENCH_CLUSTER:-bench}"
cleanup() { if [[ "${MOONFLOW_KEEP_PG:-0}" != 1 ]]; then bash build/pg.sh stop "$cluster" || true; fi; }
trap cleanup EXIT

# Started with no descriptor but the standard three: a cluster left running (MOONFLOW_KEEP_PG=1) would otherwise keep
# whatever the caller had open, such as the shared bench lock that `flock` hands its command, and hold it until stopped.
PG_FAST=1 bash build/pg.sh start "$cluster" "$port" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
conn="$(bash build/pg.sh url "$cluster" "$port")"
dotnet build src/Moonflow.Api -c Release --nologo -v q
dotnet build build/bench/Moonflow.Bench -c Release --nologo -v q
storage="$PWD/.local/bench-storage"
rm -rf "$storage"
dotnet build/bench/Moonflow.Bench/bin/Release/net10.0/Moonflow.Bench.dll "$conn" "$PWD/src/Moonflow.Api/bin/Release/net10.0/Moonflow.Api.dll" "$storage"
