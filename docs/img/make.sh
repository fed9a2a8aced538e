#!/bin/sh
# Regenerate the chart pictures of docs/plot.md from samples/:
#   sh docs/img/make.sh [BIN_FOLDER]     (default: build/release/bin)
# Every picture is the command shown under it in docs/plot.md.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/release/bin}
PATH=$bin:$PATH
S=$root/samples
img=$root/docs/img
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cl-rollup "$S/sales.csv" > "$tmp/rollup.csv" 2> /dev/null
cl-pareto "$tmp/rollup.csv" | cl-plot pareto -o "$img/pareto.png"
cl-pareto "$tmp/rollup.csv" | cl-plot pareto --lang fr -o "$img/pareto-fr.png"
cl-pareto --lorenz "$tmp/rollup.csv" | cl-plot lorenz -o "$img/lorenz.png"
cl-pareto --summary "$tmp/rollup.csv" | cl-plot abc --subtitle 'Online Retail sample, 2011-10-01 to 2011-12-09' -o "$img/abc.png"
cl-rollup --month 2011-10 "$S/sales.csv" 2> /dev/null | cl-pareto > "$tmp/october.csv"
cl-rollup --month 2011-11 "$S/sales.csv" 2> /dev/null | cl-pareto --summary --previous "$tmp/october.csv" |
    cl-plot migration --subtitle 'October to November 2011' -o "$img/migration.png"
cl-score --rfm "$tmp/rollup.csv" | cl-plot rfm -o "$img/rfm.png"
cl-score --rfm "$tmp/rollup.csv" | cl-plot rfm --lang fr -o "$img/rfm-fr.png"
cl-share "$S/market.csv" | cl-plot share -o "$img/share.png"
f=age,annual_income_thousands,spending_score
cl-kmeans --features $f "$S/mall-customers.csv" 2> /dev/null | cl-plot clusters -o "$img/clusters.png"
cl-kmeans --features $f --select "$S/mall-customers.csv" 2> /dev/null | cl-plot select -o "$img/select.png"
cl-kmeans --features $f --profiles "$S/mall-customers.csv" 2> /dev/null | cl-plot personas -o "$img/personas.png"
cl-kmeans --features $f --profiles --lang fr "$S/mall-customers.csv" 2> /dev/null | cl-plot personas --lang fr -o "$img/personas-fr.png"
cl-cohort "$S/invoices.csv" 2> /dev/null | cl-plot cohort -o "$img/cohort.png"
cl-cohort "$S/invoices.csv" 2> /dev/null | cl-plot cohort --lang fr -o "$img/cohort-fr.png"
cl-cohort --summary "$S/invoices.csv" 2> /dev/null | cl-plot retention -o "$img/retention.png"
echo "$img"
