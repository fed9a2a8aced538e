#!/bin/sh
# make bench: time clientele against the tools an analyst would otherwise
# pick, side by side in one run on this machine, and print medians of RUNS
# runs (default 3) with ratios and peak memory. Data are built once,
# deterministically, into bench/data/ (ignored by git).
#   bench/run.sh BIN_DIR
# Environment: RUNS, SALES_SOURCE (a sales CSV, default the Online Retail
# export in ../shared/data when present, else samples/sales.csv), COPIES.
set -eu
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
data="$here/data"
runs=${RUNS:-3}
mkdir -p "$data"
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || { echo "bench: python3 is needed to measure time and memory" >&2; exit 1; }

# ---- data -----------------------------------------------------------------
shared="$top/../shared/data/online-retail.csv.gz"
if [ -n "${SALES_SOURCE:-}" ]; then src=$SALES_SOURCE; copies=${COPIES:-20}
elif [ -f "$shared" ]; then src=$shared; copies=${COPIES:-20}
else src="$top/samples/sales.csv"; copies=${COPIES:-1300}; fi
sales="$data/sales-$(basename "$src" | sed 's/\..*//')-${copies}x.csv"
if [ ! -f "$sales" ]; then
    echo "bench: building $sales ($copies copies of $src)..."
    sh "$here/make-sales.sh" "$src" "$copies" "$sales"
fi
cc -O2 -o "$data/csvcount" "$here/csvcount.c" -lcsv

# ---- measuring ------------------------------------------------------------
results="$data/results.txt"
: > "$results"
# measure NAME COMMAND...: median wall and peak memory of $runs runs
measure() {
    name=$1; shift
    printf 'bench: %-34s' "$name" >&2
    : > "$data/runs"
    i=0
    while [ $i -lt "$runs" ]; do
        "$PY" "$here/measure.py" "$@" >> "$data/runs"
        i=$((i + 1))
    done
    line=$(sort -n "$data/runs" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $1, $2 } $3 != 0 { bad = 1 } END { if (bad) print "FAILED" }' | tr '\n' ' ')
    echo "$name|$line" >> "$results"
    echo " $line" >&2
}
missing=""

echo "bench: $(nproc) cores; sales file $(du -h "$sales" | cut -f1), $(wc -l < "$sales") lines" >&2

# ---- cl-cohort against cl-rollup (target: at most 1.5x its time) -----------
# BENCH_ONLY=cohort runs this section alone: the two programs, then the ratio.
cohort_columns="--customer CustomerID --date InvoiceDate --quantity Quantity --price UnitPrice"
cohort_ratio() {
    awk -F'|' '{ split($2, f, " ") } $1 == "cl-rollup" { r = f[1] } $1 == "cl-cohort" { c = f[1] }
        END { if (r > 0 && c > 0) printf "cl-cohort / cl-rollup: %.2f (%.2f s / %.2f s; target: at most 1.5)\n", c / r, c, r }' "$results"
}
if [ "${BENCH_ONLY:-}" = cohort ]; then
    measure "cl-rollup" "$bin/cl-rollup" --order InvoiceNo $cohort_columns -o "$data/rollup.csv" "$sales"
    measure "cl-cohort" "$bin/cl-cohort" $cohort_columns -o "$data/cohort.csv" "$sales"
    cohort_ratio
    exit 0
fi
measure "wc -l" wc -l "$sales"
measure "libcsv parse, 1 core" "$data/csvcount" "$sales"
measure "cl-rollup" "$bin/cl-rollup" --customer CustomerID --order InvoiceNo --date InvoiceDate \
    --quantity Quantity --price UnitPrice -o "$data/rollup.csv" "$sales"
measure "cl-rollup --threads 1" "$bin/cl-rollup" --threads 1 --customer CustomerID \
    --order InvoiceNo --date InvoiceDate --quantity Quantity --price UnitPrice "$sales"
measure "cl-cohort" "$bin/cl-cohort" $cohort_columns -o "$data/cohort.csv" "$sales"
# the prescriber paths, with Country standing for a prescriber column (every
# line has one: the most work for the book)
measure "cl-rollup --prescriber (per client)" "$bin/cl-rollup" --customer CustomerID \
    --order InvoiceNo --date InvoiceDate --quantity Quantity --price UnitPrice \
    --prescriber Country -o "$data/rollup-prescribed.csv" "$sales"
measure "cl-rollup --per-prescriber" "$bin/cl-rollup" --customer CustomerID \
    --order InvoiceNo --date InvoiceDate --quantity Quantity --price UnitPrice \
    --prescriber Country --per-prescriber -o "$data/prescribers.csv" "$sales"
peers="${PEERS_DIR:-$here/.peers}"
if command -v node >/dev/null && [ -d "$peers/node_modules/@duckdb/node-api" ]; then
    cp "$here/duckdb-rollup.mjs" "$peers/"
    measure "DuckDB (read_csv + GROUP BY)" node "$peers/duckdb-rollup.mjs" "$sales"
else
    missing="$missing
  DuckDB:  (mkdir -p bench/.peers && cd bench/.peers && npm init -y && npm install @duckdb/node-api)"
fi
if command -v mlr >/dev/null; then
    measure "Miller 6" mlr --icsv --ocsv filter 'is_not_empty($CustomerID)' \
        then put '$amount = $Quantity * $UnitPrice' \
        then stats1 -a sum,count,min,max,distinct_count -f amount,Quantity,InvoiceDate,InvoiceNo \
        -g CustomerID "$sales"
else
    missing="$missing
  Miller:  sudo apt-get install miller"
fi
if /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
    measure "pandas" /usr/bin/python3 "$here/pandas-rollup.py" "$sales"
else
    missing="$missing
  pandas:  sudo apt-get install python3-pandas"
fi
measure "cl-pareto (87k customers)" "$bin/cl-pareto" --summary "$data/rollup.csv"

# ---- crafted ids -------------------------------------------------------------
# 400,000 customers whose 16-byte ids all collided under the old unkeyed hash
# (crafted-ids.c solves them, and checks it) against 400,000 random ids of
# the same shape: with the keyed hash both take about the same time (target:
# crafted within 2x of random; the old hash took 82 s against 1.1 s).
ids=${IDS:-400000}
cc -O2 -o "$data/crafted-ids" "$here/crafted-ids.c"
for kind in crafted random; do
    if [ ! -f "$data/ids-$kind-$ids.csv" ]; then
        "$data/crafted-ids" "$kind" "$ids" > "$data/ids-$kind-$ids.csv.tmp"
        mv "$data/ids-$kind-$ids.csv.tmp" "$data/ids-$kind-$ids.csv"
    fi
    "$bin/cl-rollup" -o "$data/ids-$kind-rollup.csv" "$data/ids-$kind-$ids.csv"
done
results_main=$results
results="$data/results-ids.txt"
: > "$results"
for kind in crafted random; do
    measure "cl-rollup, $ids $kind ids" "$bin/cl-rollup" "$data/ids-$kind-$ids.csv"
    measure "cl-pareto, $ids $kind ids" "$bin/cl-pareto" --summary "$data/ids-$kind-rollup.csv"
    measure "cl-score, $ids $kind ids" "$bin/cl-score" --rfm "$data/ids-$kind-rollup.csv"
done
ids_table=$(awk -F'|' '
    { split($2, f, " "); split($1, w, ", "); t[w[1] "|" ($1 ~ /crafted/)] = f[1]; p[w[1]] = 1 }
    END { for (prog in p) printf "%-10s crafted %6.2f s, random %6.2f s: ratio %.2f\n", prog,
              t[prog "|1"], t[prog "|0"], (t[prog "|0"] > 0 ? t[prog "|1"] / t[prog "|0"] : 0) }' \
    "$results" | sort)
results=$results_main

# ---- cl-clv: its own section and table (bench/clv.sh also runs alone) --------
if [ -x "$bin/cl-clv" ]; then
    RUNS=$runs sh "$here/clv.sh" "$bin" || echo "bench: the cl-clv section failed" >&2
fi

# ---- k-means ----------------------------------------------------------------
# 1 M points x 8 features from a seeded mixture of 8 overlapping Gaussians
# (kmeans-gen.c: the same file on every machine), k = 8, 10 restarts, from
# the CSV to the written assignments, z-scaled on both sides.
kmeans_note=""
if [ -x "$bin/cl-kmeans" ]; then
    n=${N:-1000000}
    points="$data/kmeans-$n.csv"
    if [ ! -f "$points" ]; then
        cc -O2 -o "$data/kmeans-gen" "$here/kmeans-gen.c" -lm
        "$data/kmeans-gen" "$n" > "$points.tmp" && mv "$points.tmp" "$points"
    fi
    measure "cl-kmeans k=8, 10 restarts" "$bin/cl-kmeans" --k 8 --n-init 10 \
        -o "$data/kmeans-out.csv" "$points"
    # inertia: the sum of the squared distances to the centres (scaled units)
    ours=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "distance") d = i; next }
                    { s += $d * $d } END { printf "%.4f", s }' "$data/kmeans-out.csv")
    if /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null; then
        measure "scikit-learn KMeans(n_init=10)" /usr/bin/python3 "$here/sklearn-kmeans.py" \
            "$points" "$data/sklearn-out.csv" "$data/sklearn-inertia.txt"
        kmeans_note="k-means inertia: cl-kmeans $ours, scikit-learn $(cat "$data/sklearn-inertia.txt")"
    else
        kmeans_note="k-means inertia: cl-kmeans $ours"
        missing="$missing
  scikit-learn: sudo apt-get install python3-sklearn python3-pandas"
    fi
fi

# ---- the table ----------------------------------------------------------------
echo
awk -F'|' '
    { split($2, f, " "); name[NR] = $1; wall[NR] = f[1]; mem[NR] = f[2]; bad[NR] = f[3] }
    $1 == "cl-rollup" { base = f[1] }
    $1 ~ /^cl-kmeans/ { kbase = f[1] }
    END {
        printf "%-34s %10s %11s %14s\n", "work", "median s", "peak MiB", "ratio to ours"
        for (i = 1; i <= NR; i++) {
            r = ""
            if (name[i] ~ /kmeans|KMeans/) { if (kbase > 0) r = sprintf("%.2f", wall[i] / kbase) }
            else if (base > 0) r = sprintf("%.2f", wall[i] / base)
            printf "%-34s %10.2f %11.1f %14s %s\n", name[i], wall[i], mem[i] / 1024, r, bad[i]
        }
    }' "$results"
echo "(ratio: the tool's median time divided by clientele's, in this run; over 1 = clientele is faster)"
cohort_ratio
[ -n "$kmeans_note" ] && echo "$kmeans_note"
echo
echo "Ids crafted to collide under the old unkeyed hash, against random ids ($ids customers;"
echo "target: ratio under 2):"
echo "$ids_table"
if [ -n "$missing" ]; then
    echo "Peers not installed, not measured; to install them:$missing"
fi
