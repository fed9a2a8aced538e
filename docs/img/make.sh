#!/bin/sh
# Regenerate the chart pictures of docs/plot.md from samples/, every kind
# in English and in French (NAME.png and NAME-fr.png):
#   sh docs/img/make.sh [BIN_FOLDER]     (default: build/release/bin)
# `make demo` runs it. Every picture is the command shown in docs/plot.md.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/release/bin}
PATH=$bin:$PATH
S=$root/samples
img=$root/docs/img
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cl-rollup "$S/sales.csv" > "$tmp/rollup.csv" 2> /dev/null
cl-pareto "$tmp/rollup.csv" > "$tmp/pareto.csv"
cl-rollup --month 2011-10 "$S/sales.csv" 2> /dev/null | cl-pareto > "$tmp/october.csv"
cl-rollup --month 2011-11 "$S/sales.csv" 2> /dev/null |
    cl-pareto --summary --previous "$tmp/october.csv" > "$tmp/migration.csv"
cl-score --rfm "$tmp/rollup.csv" > "$tmp/rfm.csv"
cl-share "$S/market.csv" > "$tmp/share.csv"
cl-cohort "$S/invoices.csv" 2> /dev/null > "$tmp/cohort.csv"
f=age,annual_income_thousands,spending_score
for lang in en fr; do
    suffix=; [ $lang = fr ] && suffix=-fr
    cl-kmeans --features $f --lang $lang "$S/mall-customers.csv" 2> /dev/null > "$tmp/clusters.csv"
    cl-kmeans --features $f --lang $lang --select "$S/mall-customers.csv" 2> /dev/null > "$tmp/select.csv"
    cl-kmeans --features $f --lang $lang --profiles "$S/mall-customers.csv" 2> /dev/null > "$tmp/profiles.csv"
    plot() { kind=$1; shift; cl-plot "$kind" --lang $lang "$@" -o "$img/$kind$suffix.png"; }
    plot pareto "$tmp/pareto.csv"
    plot lorenz "$tmp/pareto.csv"
    plot abc --subtitle "$([ $lang = fr ] && echo 'Échantillon Online Retail, du 1er octobre au 9 décembre 2011' ||
                           echo 'Online Retail sample, 2011-10-01 to 2011-12-09')" "$tmp/pareto.csv"
    plot migration --subtitle "$([ $lang = fr ] && echo 'Octobre à novembre 2011' || echo 'October to November 2011')" \
        "$tmp/migration.csv"
    plot rfm "$tmp/rfm.csv"
    plot share "$tmp/share.csv"
    plot clusters "$tmp/clusters.csv"
    plot select "$tmp/select.csv"
    plot personas "$tmp/profiles.csv"
    plot cohort "$tmp/cohort.csv"
done
cl-cohort --summary "$S/invoices.csv" 2> /dev/null | cl-plot retention -o "$img/retention.png"
echo "$img"
