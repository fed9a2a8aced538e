#!/bin/sh
# The peers make bench measures clientele against, installed for the bench
# only (CI and make check need none of them): scikit-learn, pandas and
# Miller from Debian, DuckDB's node API from npm into bench/.peers/
# (ignored by git). make bench runs without them and says which it missed.
#   sh bench/deps.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
missing=""
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || missing="$missing python3-sklearn"
/usr/bin/python3 -c 'import pandas' 2>/dev/null || missing="$missing python3-pandas"
command -v mlr >/dev/null 2>&1 || missing="$missing miller"
command -v node >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
    echo "bench: installing$missing" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    # shellcheck disable=SC2086
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi
if [ ! -d "$here/.peers/node_modules/@duckdb/node-api" ]; then
    mkdir -p "$here/.peers"
    cd "$here/.peers"
    # (npm init -y takes its name from the folder, and npm refuses ".peers")
    [ -f package.json ] || printf '{ "name": "clientele-bench-peers", "private": true }\n' > package.json
    npm install @duckdb/node-api
fi
