#!/bin/sh
# The cl-clv section of make bench, runnable alone:
#   bench/clv.sh BIN_DIR
# Fits BG/NBD and Gamma-Gamma (the whole process: reading, fitting,
# writing every client's predictions) on two roll-ups, and the same
# likelihoods with scipy the way the lifetimes package does (Nelder-Mead,
# one row per client, bench/clv-scipy.py), measured in the same run:
#   - the roll-up of the bench sales (bench/data/rollup.csv, 87 k clients
#     from 20 copies of Online Retail; built here when missing);
#   - 5 M clients drawn from the models (bench/clv-gen.c, seeded), so that
#     the fit must find the generating parameters back.
# scipy on 5 M clients takes many minutes: only with CLV_SCIPY_LARGE=1.
# Pareto/NBD (--model-kind pnbd) on the 87 k clients; on the 5 M clients
# only with CLV_PNBD_LARGE=1.
# Environment: RUNS (default 3), CLV_N (default 5000000), PYTHON_SCIPY.
set -eu
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
runs=${RUNS:-3}
n=${CLV_N:-5000000}
mkdir -p "$data"
py=${PYTHON_SCIPY:-/usr/bin/python3}
"$py" -c 'import scipy' 2>/dev/null || py=""

measure() {   # NAME COMMAND...: median wall seconds and peak MiB of $runs runs
    name=$1; shift
    : > "$data/clv-runs"
    i=0
    while [ $i -lt "$runs" ]; do
        python3 "$here/measure.py" "$@" >> "$data/clv-runs"
        i=$((i + 1))
    done
    sort -n "$data/clv-runs" | awk -v n="$runs" -v name="$name" '
        NR == int((n + 1) / 2) { w = $1; m = $2 } $3 != 0 { bad = " FAILED" }
        END { printf "%s|%.3f|%.1f%s\n", name, w, m / 1024, bad }'
}
param() { awk -F, -v p="$1" '$1 == p { print $2 }' "$2"; }

# ---- the roll-ups ---------------------------------------------------------
rollup="$data/rollup.csv"
if [ ! -f "$rollup" ] || ! head -1 "$rollup" | grep -q purchase_days; then
    sales=$(ls "$data"/sales-*.csv 2>/dev/null | head -1)
    if [ -z "$sales" ]; then
        echo "bench clv: no bench sales in $data: run make bench once (or bench/make-sales.sh)" >&2
        exit 1
    fi
    "$bin/cl-rollup" --customer CustomerID --order InvoiceNo --date InvoiceDate \
        --quantity Quantity --price UnitPrice -o "$rollup" "$sales" 2>/dev/null
fi
large="$data/clv-$n.csv"
if [ ! -f "$large" ]; then
    cc -O2 -o "$data/clv-gen" "$here/clv-gen.c" -lgsl -lgslcblas -lm
    "$data/clv-gen" "$n" > "$large.tmp" && mv "$large.tmp" "$large"
fi

# ---- measuring -------------------------------------------------------------
results="$data/clv-results.txt"
: > "$results"
notes=""
for set in rollup large; do
    if [ $set = rollup ]; then file=$rollup; else file=$large; fi
    clients=$(($(wc -l < "$file") - 1))
    label="$clients clients"
    measure "cl-clv, $label (fit + every client)" "$bin/cl-clv" -o "$data/clv-out.csv" \
        "$file" >> "$results"
    "$bin/cl-clv" --params "$file" > "$data/clv-params-$set.csv" 2>/dev/null
    if [ $set = rollup ] || [ "${CLV_PNBD_LARGE:-0}" = 1 ]; then
        measure "cl-clv --model-kind pnbd, $label (fit + every client)" "$bin/cl-clv" \
            --model-kind pnbd -o "$data/clv-out.csv" "$file" >> "$results"
    fi
    if [ -n "$py" ] && { [ $set = rollup ] || [ "${CLV_SCIPY_LARGE:-0}" = 1 ]; }; then
        RUNS=1 measure "scipy minimize, $label (fit only)" sh -c \
            "'$py' '$here/clv-scipy.py' rollup '$file' > '$data/clv-scipy-$set.csv'" >> "$results"
        ours=$(param bgnbd_log_likelihood "$data/clv-params-$set.csv")
        theirs=$(param bgnbd_log_likelihood "$data/clv-scipy-$set.csv")
        gg_ours=$(param gg_log_likelihood "$data/clv-params-$set.csv")
        gg_theirs=$(param gg_log_likelihood "$data/clv-scipy-$set.csv")
        notes="$notes
$label: BG/NBD log-likelihood cl-clv $ours, scipy $theirs (relative difference $(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.1e", (a - b) / b }')); Gamma-Gamma $gg_ours, $gg_theirs"
    fi
    notes="$notes
$label: r $(param r "$data/clv-params-$set.csv"), alpha $(param alpha "$data/clv-params-$set.csv"), a $(param a "$data/clv-params-$set.csv"), b $(param b "$data/clv-params-$set.csv"), p $(param p "$data/clv-params-$set.csv"), q $(param q "$data/clv-params-$set.csv"), gamma $(param gamma "$data/clv-params-$set.csv"); $(param bgnbd_distinct "$data/clv-params-$set.csv") distinct triples"
done

echo
awk -F'|' '
    { name[NR] = $1; wall[NR] = $2; mem[NR] = $3 }
    $1 ~ /^cl-clv,/ { split($1, w, ", "); base[w[2]] = $2 }
    END {
        printf "%-52s %9s %9s %8s\n", "work", "median s", "peak MiB", "ratio"
        for (i = 1; i <= NR; i++) {
            split(name[i], w, ", "); key = w[2]; sub(/ \(.*/, "", key)
            r = ""
            for (k in base) { kk = k; sub(/ \(.*/, "", kk); if (kk == key && base[k] > 0) r = sprintf("%.1f", wall[i] / base[k]) }
            printf "%-52s %9.3f %9.1f %8s\n", name[i], wall[i], mem[i], r
        }
    }' "$results"
echo "(ratio: time over cl-clv's (BG/NBD) on the same clients; scipy fits only, cl-clv also writes every client)"
echo "generating parameters of the large set: r 0.243, alpha 4.414, a 0.793, b 2.426, p 6.25, q 3.74, gamma 15.44$notes"
[ -n "$py" ] || echo "scipy not installed (apt-get install python3-scipy): no comparison"
