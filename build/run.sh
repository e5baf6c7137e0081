#!/usr/bin/env bash
# Run the Moonflow API locally. Uses $MOONFLOW_DB if set, else a private dev PostgreSQL
# cluster "dev" of this clone (created on first use, kept between runs; `build/pg.sh dir dev`
# prints where: .local/pg/dev, or /var/tmp/moonflow-pg/<clone>-<hash>/dev when run as root).
# The app migrates and seeds demo data itself at start-up (Development).
#
#   build/run.sh [args for the app...]   start the API
#   build/run.sh stop                    stop the dev database cluster
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."   # works from any current directory

port="${MOONFLOW_PG_PORT:-55432}"

if [[ "${1:-}" == stop ]]; then
  exec bash build/pg.sh stop dev
fi

if [[ -n "${MOONFLOW_DB:-}" ]]; then
  conn="$MOONFLOW_DB"
else
  bash build/pg.sh start dev "$port"
  conn="$(bash build/pg.sh url dev "$port")"
fi

urls="${MOONFLOW_URLS:-http://127.0.0.1:5080}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ConnectionStrings__Moonflow="$conn"

# --urls may list several addresses; show the first, with wildcard hosts made clickable.
first="${urls%%;*}"
first="$(echo "$first" | sed -E 's#://(\*|\+|0\.0\.0\.0|\[::\])#://localhost#')"
echo "Moonflow API: $first  Swagger: ${first%/}/swagger  ($ASPNETCORE_ENVIRONMENT; stop the db with: build/run.sh stop)"

exec dotnet run --project src/Moonflow.Api -c Release -- --urls "$urls" "$@"
