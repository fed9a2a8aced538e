#!/bin/sh
# make bench: time clientele against the tools an analyst would otherwise
# pick, side by side in one run on this machine, and print medians of RUNS
# runs (default 3) with ratios and peak memory. Data are built once,
# deterministically, into bench/data/ (ignored by git).
#   bench/run.sh BIN_DIR
# Environment: RUNS, SALES_SOURCE (a sales CSV; default the Online Retail
# export online-retail.csv.gz found in SHARED_DATA, else in shared/data
# beside the checkout, else beside the main checkout of a worktree (from
# git rev-parse --git-common-dir); else samples/sales.csv), COPIES,
# BENCH_ONLY (the sections to run, space-separated, default all of them:
# sales ids clv kmeans many pipe scale report; cohort alone: cl-cohort
# against cl-rollup).
# Sections: sales (the bench sales file against the peers), ids (crafted
# ids), clv, kmeans (1 M x 8 against scikit-learn), many (4.3 M clients in
# 10 M lines, bench/many-clients.c, against DuckDB), pipe (the same work
# from a pipe, with --rejects, with --strict), scale (cl-pareto, cl-score
# --rfm and cl-kmeans on a 5 M-client roll-up), report (cl-report on the
# bench sales file and on 5 M clients). The last table holds the issue's
# targets, each with both sides measured in this run.
set -eu
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
data="$here/data"
runs=${RUNS:-3}
mkdir -p "$data"
PY=${PYTHON:-python3}
only=" ${BENCH_ONLY:-sales ids clv kmeans many pipe scale report} "
want() { case "$only" in *" $1 "*) return 0 ;; esac; return 1; }
command -v "$PY" >/dev/null || { echo "bench: python3 is needed to measure time and memory" >&2; exit 1; }

# ---- data -----------------------------------------------------------------
# the Online Retail export: SHARED_DATA, then shared/data beside this
# checkout, then beside the main checkout (a worktree's parent is not it)
retail=online-retail.csv.gz
shared=""
common=$( { cd "$top" && cd "$(git rev-parse --git-common-dir)" && pwd; } 2>/dev/null) || common=""
main_data=${common:+"$(dirname "$common")/../shared/data"}
for dir in "${SHARED_DATA:-}" "$top/../shared/data" "$main_data"; do
    if [ -f "$dir/$retail" ]; then shared="$dir/$retail"; break; fi
done
if [ -n "${SALES_SOURCE:-}" ]; then src=$SALES_SOURCE; copies=${COPIES:-20}
elif [ -n "$shared" ]; then src=$shared; copies=${COPIES:-20}
else src="$top/samples/sales.csv"; copies=${COPIES:-1300}; fi
echo "bench: sales source $src ($copies copies)" >&2
sales="$data/sales-$(basename "$src" | sed 's/\..*//')-${copies}x.csv"
if [ ! -f "$sales" ] && { want sales || want pipe || want report || want clv || want cohort; }; then
    echo "bench: building $sales ($copies copies of $src)..."
    sh "$here/make-sales.sh" "$src" "$copies" "$sales"
fi
# many clients: a loyalty-card retailer (bench/many-clients.c, seeded)
many_lines=${MANY_LINES:-10000000}
many="$data/many-$many_lines.csv"
big_lines=${SCALE_LINES:-12000000}
big="$data/many-$big_lines-5m.csv"
gen_many() {    # LINES CLIENTS FILE
    [ -f "$3" ] && return 0
    cc -O2 -o "$data/many-clients" "$here/many-clients.c" -lm
    echo "bench: building $3..." >&2
    "$data/many-clients" "$1" "$2" > "$3.tmp"
    mv "$3.tmp" "$3"
}
{ want many || want pipe; } && gen_many "$many_lines" "${MANY_CLIENTS:-4300000}" "$many"
{ want scale || want report; } && gen_many "$big_lines" "${SCALE_CLIENTS:-5000000}" "$big"
peers="${PEERS_DIR:-$here/.peers}"
duckdb=""
if command -v node >/dev/null && [ -d "$peers/node_modules/@duckdb/node-api" ]; then
    cp "$here/duckdb-rollup.mjs" "$peers/"
    duckdb="$peers/duckdb-rollup.mjs"
fi
sklearn=""
/usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null && sklearn=yes
rollup_cols="--customer CustomerID --order InvoiceNo --date InvoiceDate"
rollup_cols="$rollup_cols --quantity Quantity --price UnitPrice"

# ---- measuring ------------------------------------------------------------
results="$data/results.txt"
targets="$data/targets.txt"
: > "$results"
: > "$targets"
# measure NAME COMMAND...: the medians of wall time, peak memory and CPU
# time (user + system) of $runs runs, each on its own
measure() {
    name=$1; shift
    printf 'bench: %-44s' "$name" >&2
    : > "$data/runs"
    i=0
    while [ $i -lt "$runs" ]; do
        "$PY" "$here/measure.py" "$@" >> "$data/runs"
        i=$((i + 1))
    done
    line=$(for c in 1 2 4; do
        cut -d' ' -f$c "$data/runs" | sort -n | sed -n "$(((runs + 1) / 2))p"
    done | tr '\n' ' ')
    cut -d' ' -f3 "$data/runs" | grep -qv '^0$' && line="$line FAILED"
    echo "$name|$line" >> "$results"
    echo " $line" >&2
}
# target LABEL OURS PEER KIND LIMIT [MIB]: a row of the targets table; KIND
# ratio (OURS / PEER at most LIMIT) or seconds (OURS at most LIMIT s), and
# OURS' peak at most MIB when given. PEER may be "-" for no peer.
target() {
    echo "$1|$2|$3|$4|$5|${6:-}" >> "$targets"
}
missing=""

# ---- cl-cohort against cl-rollup (target: at most 1.5x its time) -----------
# BENCH_ONLY=cohort runs this section alone: the two programs, then the ratio.
cohort_columns="--customer CustomerID --date InvoiceDate --quantity Quantity --price UnitPrice"
cohort_ratio() {
    awk -F'|' '{ split($2, f, " ") } $1 == "cl-rollup" { r = f[1] } $1 == "cl-cohort" { c = f[1] }
        END { if (r > 0 && c > 0) printf "cl-cohort / cl-rollup: %.2f (%.2f s / %.2f s; target: at most 1.5)\n", c / r, c, r }' "$results"
}
if [ "${BENCH_ONLY:-}" = cohort ]; then
    # shellcheck disable=SC2086
    measure "cl-rollup" "$bin/cl-rollup" --order InvoiceNo $cohort_columns -o "$data/rollup.csv" "$sales"
    # shellcheck disable=SC2086
    measure "cl-cohort" "$bin/cl-cohort" $cohort_columns -o "$data/cohort.csv" "$sales"
    cohort_ratio
    exit 0
fi

if want sales; then
echo "bench: $(nproc) cores; sales file $(du -h "$sales" | cut -f1), $(wc -l < "$sales") lines" >&2
cc -O2 -o "$data/csvcount" "$here/csvcount.c" -lcsv
measure "wc -l" wc -l "$sales"
measure "libcsv parse, 1 core" "$data/csvcount" "$sales"
# the floor of issue 21: a quote-aware count of the records, one range a core
cc -O2 -o "$data/split-loop" "$here/split-loop.c" -lpthread
measure "split loop, quote-aware, $(nproc) cores" "$data/split-loop" "$sales" "$(nproc)"
# shellcheck disable=SC2086
measure "cl-rollup" "$bin/cl-rollup" $rollup_cols -o "$data/rollup.csv" "$sales"
# shellcheck disable=SC2086
measure "cl-rollup --threads 1" "$bin/cl-rollup" --threads 1 $rollup_cols "$sales"
# shellcheck disable=SC2086
measure "cl-cohort" "$bin/cl-cohort" $cohort_columns -o "$data/cohort.csv" "$sales"
# the prescriber paths, with Country standing for a prescriber column (every
# line has one: the most work for the book)
# shellcheck disable=SC2086
measure "cl-rollup --prescriber (per client)" "$bin/cl-rollup" $rollup_cols \
    --prescriber Country -o "$data/rollup-prescribed.csv" "$sales"
# shellcheck disable=SC2086
measure "cl-rollup --per-prescriber" "$bin/cl-rollup" $rollup_cols \
    --prescriber Country --per-prescriber -o "$data/prescribers.csv" "$sales"
if [ -n "$duckdb" ]; then
    measure "DuckDB (read_csv + GROUP BY)" node "$duckdb" "$sales"
    target "cl-rollup, the 1 GB bench file, vs DuckDB" "cl-rollup" \
        "DuckDB (read_csv + GROUP BY)" ratio 0.3 64
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
target "cl-rollup, the 1 GB bench file, vs the split loop (stretch)" "cl-rollup" \
    "split loop, quote-aware, $(nproc) cores" ratio 1.3
fi
sales_results=$results

# ---- crafted ids -------------------------------------------------------------
# 400,000 customers whose 16-byte ids all collided under the old unkeyed hash
# (crafted-ids.c solves them, and checks it) against 400,000 random ids of
# the same shape: with the keyed hash both take about the same time (target:
# crafted within 2x of random; the old hash took 82 s against 1.1 s).
ids=${IDS:-400000}
ids_table=""
if want ids; then
cc -O2 -o "$data/crafted-ids" "$here/crafted-ids.c"
for kind in crafted random; do
    if [ ! -f "$data/ids-$kind-$ids.csv" ]; then
        "$data/crafted-ids" "$kind" "$ids" > "$data/ids-$kind-$ids.csv.tmp"
        mv "$data/ids-$kind-$ids.csv.tmp" "$data/ids-$kind-$ids.csv"
    fi
    "$bin/cl-rollup" -o "$data/ids-$kind-rollup.csv" "$data/ids-$kind-$ids.csv"
done
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
results=$sales_results
fi

# ---- cl-clv: its own section and table (bench/clv.sh also runs alone) --------
if want clv && [ -x "$bin/cl-clv" ]; then
    RUNS=$runs sh "$here/clv.sh" "$bin" || echo "bench: the cl-clv section failed" >&2
fi

# ---- k-means ----------------------------------------------------------------
# 1 M points x 8 features from a seeded mixture of 8 overlapping Gaussians
# (kmeans-gen.c: the same file on every machine), k = 8, 10 restarts, from
# the CSV to the written assignments, z-scaled on both sides.
kmeans_note=""
if want kmeans && [ -x "$bin/cl-kmeans" ]; then
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
    if [ -n "$sklearn" ]; then
        measure "scikit-learn KMeans(n_init=10)" /usr/bin/python3 "$here/sklearn-kmeans.py" \
            "$points" "$data/sklearn-out.csv" "$data/sklearn-inertia.txt"
        theirs=$(cat "$data/sklearn-inertia.txt")
        verdict=$(awk -v a="$ours" -v b="$theirs" \
            'BEGIN { print (a <= b * (1 + 1e-9) ? "ours no worse" : "OURS WORSE") }')
        kmeans_note="k-means inertia: cl-kmeans $ours, scikit-learn $theirs ($verdict)"
        target "cl-kmeans k=8, 10 restarts, 1 M x 8, vs scikit-learn" "cl-kmeans k=8, 10 restarts" \
            "scikit-learn KMeans(n_init=10)" ratio 0.3
    else
        kmeans_note="k-means inertia: cl-kmeans $ours"
        missing="$missing
  scikit-learn: sudo apt-get install python3-sklearn python3-pandas"
    fi
fi

# ---- many clients -------------------------------------------------------------
# 10 M lines of a loyalty-card retailer, 4.3 M distinct clients: a table of
# millions of keys (the roll-up's worst shape), against DuckDB.
if want many; then
    echo "bench: many-clients file $(du -h "$many" | cut -f1), $(wc -l < "$many") lines" >&2
    # Against DuckDB, which keeps its result in memory and writes nothing,
    # the roll-up's rows go to standard output (measure.py discards it): the
    # same table computed and formatted, no disk. The same run with -o (a
    # file of 281 MB, its fsync waiting on this machine's disk) is measured
    # beside it, for what a user who keeps the file waits.
    # shellcheck disable=SC2086
    measure "cl-rollup, 4.3 M clients" "$bin/cl-rollup" $rollup_cols "$many"
    # shellcheck disable=SC2086
    measure "cl-rollup -o FILE, 4.3 M clients" "$bin/cl-rollup" $rollup_cols \
        -o "$data/many-rollup.csv" "$many"
    if [ -n "$duckdb" ]; then
        measure "DuckDB, 4.3 M clients" node "$duckdb" "$many"
        target "cl-rollup, 4.3 M clients in 10 M lines, vs DuckDB" "cl-rollup, 4.3 M clients" \
            "DuckDB, 4.3 M clients" ratio 0.5 1024
    fi
fi

# ---- pipes, --rejects, --strict ---------------------------------------------
# The same roll-up from a pipe (how a monthly export arrives: zcat | cl-rollup -),
# and with --rejects (from the file and from a pipe) or --strict, against the
# plain file read.
# What a pipe costs before any work (bench/pipe-floor.c: the bytes read as
# cl-rollup reads a pipe, and also written into a spool) and what writing
# the rejected rows costs (a copy of the rejects file): the floors of the
# rows against the file, measured in this run, in the table "Floors" below.
if want pipe; then
    cc -O2 -o "$data/pipe-floor" "$here/pipe-floor.c"
    for f in sales many; do
        file=$many what="4.3 M clients"
        [ $f = sales ] && file=$sales what="bench file"
        # shellcheck disable=SC2086
        measure "cl-rollup FILE, $what" "$bin/cl-rollup" $rollup_cols "$file"
        measure "cl-rollup - (from cat, a pipe), $what" sh -c \
            "cat '$file' | '$bin/cl-rollup' $rollup_cols -"
        # shellcheck disable=SC2086
        measure "cl-rollup --rejects, $what" "$bin/cl-rollup" $rollup_cols \
            --rejects "$data/rejects.csv" "$file"
        measure "cl-rollup - --rejects (from cat, a pipe), $what" sh -c \
            "cat '$file' | '$bin/cl-rollup' $rollup_cols --rejects '$data/rejects.csv' -"
        measure "pipe floor (cat, read), $what" sh -c "cat '$file' | '$data/pipe-floor'"
        measure "pipe floor with the spool, $what" sh -c \
            "cat '$file' | '$data/pipe-floor' --spool"
        measure "rejects floor (the rejects copied), $what" sh -c \
            "cat '$data/rejects.csv' > '$data/rejects-copy.csv'"
        rm -f "$data/rejects-copy.csv"
        hows="cl-rollup - (from cat, a pipe)|cl-rollup --rejects|cl-rollup - --rejects (from cat, a pipe)"
        # --strict stops at the bench file's first line without a customer
        # (2.7 M of them): on the many-clients file only, whose lines are all usable
        if [ $f = many ]; then
            # shellcheck disable=SC2086
            measure "cl-rollup --strict, $what" "$bin/cl-rollup" $rollup_cols --strict "$file"
            hows="$hows|cl-rollup --strict"
        fi
        echo "$hows" | tr '|' '\n' | while read -r how; do
            target "$how, $what, vs the file" "$how, $what" "cl-rollup FILE, $what" ratio 1.25
        done
    done
fi

# ---- 5 M clients: the programs after the roll-up --------------------------------
if want scale; then
    bigroll="$data/many-$big_lines-5m-rollup.csv"
    if [ ! -f "$bigroll" ]; then
        # shellcheck disable=SC2086
        "$bin/cl-rollup" $rollup_cols -o "$bigroll" "$big"
    fi
    echo "bench: 5 M-client roll-up: $(($(wc -l < "$bigroll") - 1)) clients" >&2
    measure "cl-pareto, 5 M clients" "$bin/cl-pareto" -o "$data/many-5m-pareto.csv" "$bigroll"
    measure "cl-pareto --summary, 5 M clients" "$bin/cl-pareto" --summary "$bigroll"
    measure "cl-score --rfm, 5 M clients" "$bin/cl-score" --rfm -o "$data/many-5m-rfm.csv" \
        "$bigroll"
    measure "cl-kmeans (default features), 5 M clients" "$bin/cl-kmeans" \
        -o "$data/many-5m-kmeans.csv" "$bigroll"
    target "cl-pareto, 5 M clients" "cl-pareto, 5 M clients" - seconds 3
    target "cl-score --rfm, 5 M clients" "cl-score --rfm, 5 M clients" - seconds 3
fi

# ---- cl-report ------------------------------------------------------------------
# bench/report.sh (the recipe's own bench: CPU time of every program it
# runs) when present; its rows join this run's table and targets
report_target() {
    target "cl-report, the 1 GB bench file" "cl-report, the 1 GB bench file (last month)" \
        - seconds 6
    target "cl-report, 5 M clients" "cl-report, 5 M clients (two years)" - seconds 40
}
if want report && [ -x "$bin/cl-report" ] && [ -f "$here/report.sh" ]; then
    if RUNS=$runs SALES_SOURCE=$src COPIES=$copies sh "$here/report.sh" "$bin"; then
        # its rows are "NAME|WALL CPU PEAK [FAILED]"; ours "NAME|WALL PEAK CPU [FAILED]"
        awk -F'|' '{ split($2, f, " "); print $1 "|" f[1] " " f[3] " " f[2] " " f[4] }' \
            "$data/results-report.txt" >> "$results"
        report_target
    else
        echo "bench: bench/report.sh failed" >&2
    fi
elif want report && [ -x "$bin/cl-report" ]; then
    rm -rf "$data/report-out"
    measure "cl-report, the 1 GB bench file (last month)" sh -c \
        "rm -rf '$data/report-out' &&
         '$bin/cl-report' --quiet --wait 0 -o '$data/report-out' '$sales'"
    measure "cl-report, 5 M clients (two years)" sh -c \
        "rm -rf '$data/report-out' && '$bin/cl-report' --quiet --wait 0 --from 2023-01-01 \
         --to 2024-12-31 -o '$data/report-out' '$big'"
    report_target
fi

# ---- the tables -----------------------------------------------------------------
echo
awk -F'|' '
    { split($2, f, " "); name[NR] = $1; wall[NR] = f[1]; mem[NR] = f[2]; cpu[NR] = f[3]
      bad[NR] = f[4] }
    $1 == "cl-rollup" { base = f[1] }
    $1 ~ /^cl-kmeans k=8/ { kbase = f[1] }
    END {
        printf "%-46s %10s %10s %11s %14s\n", "work", "median s", "CPU s", "peak MiB",
               "ratio to ours"
        for (i = 1; i <= NR; i++) {
            r = ""
            if (name[i] ~ /k=8|KMeans/) { if (kbase > 0) r = sprintf("%.2f", wall[i] / kbase) }
            else if (name[i] !~ /, / && base > 0) r = sprintf("%.2f", wall[i] / base)
            printf "%-46s %10.2f %10.2f %11.1f %14s %s\n", name[i], wall[i], cpu[i],
                   mem[i] / 1024, r, bad[i]
        }
    }' "$results"
echo "(CPU s: user + system, the median of the runs, the process and its children;"
echo " ratio: the tool's median time divided by clientele's on the same data, in this run;"
echo " over 1 = clientele is faster)"
cohort_ratio
[ -n "$kmeans_note" ] && echo "$kmeans_note"
if [ -n "$ids_table" ]; then
    echo
    echo "Ids crafted to collide under the old unkeyed hash, against random ids ($ids customers;"
    echo "target: ratio under 2):"
    echo "$ids_table"
fi
if [ -s "$targets" ]; then
    echo
    echo "Targets (issue 21), both sides measured in this run (ratio: of the wall times, the"
    echo "target's; CPU: of the CPU times, user + system; a seconds target is on the wall time):"
    awk -F'|' '
        FILENAME == ARGV[1] { split($2, f, " "); w[$1] = f[1]; m[$1] = f[2] / 1024; c[$1] = f[3]
                              next }
        FNR == 1 { printf "%-58s %22s %22s %6s %6s %13s %s\n", "work", "ours s / CPU s / MiB",
                   "peer s / CPU s / MiB", "ratio", "CPU", "target", "" }
        {
            ours = sprintf("%.2f / %.2f / %.0f", w[$2], c[$2], m[$2])
            peer = $3 == "-" ? "-" : sprintf("%.2f / %.2f / %.0f", w[$3], c[$3], m[$3])
            ratio = ($3 != "-" && w[$3] > 0) ? w[$2] / w[$3] : -1
            cpu = ($3 != "-" && c[$3] > 0) ? sprintf("%.2f", c[$2] / c[$3]) : "-"
            if ($4 == "ratio") { want = sprintf("<= %s", $5); ok = ratio >= 0 && ratio <= $5 + 0 }
            else { want = sprintf("<= %s s", $5); ok = w[$2] <= $5 + 0 }
            if ($6 != "") { want = want sprintf(", %s MiB", $6); ok = ok && m[$2] <= $6 + 0 }
            printf "%-58s %22s %22s %6s %6s %13s %s\n", $1, ours, peer,
                   (ratio >= 0 ? sprintf("%.2f", ratio) : "-"), cpu, want, (ok ? "met" : "NOT MET")
        }' "$results" "$targets"
fi
if grep -q '^pipe floor' "$results"; then
    echo
    echo "Floors of the rows against the file (issue 21): what a pipe, its spool and the"
    echo "rejects file cost with no work done, measured in this run. On $(nproc) cores a row can"
    echo "end no sooner than its floor alone, nor than (the file's CPU + the floor's CPU) / $(nproc):"
    awk -F'|' -v cores="$(nproc)" '
        { split($2, f, " "); w[$1] = f[1]; c[$1] = f[3] }
        # a row: its floors (one, or two run one after the other)
        function row(label, floor, floor2, what,    wf, cf, fw, fc, best) {
            wf = w["cl-rollup FILE, " what]; cf = c["cl-rollup FILE, " what]
            if (wf <= 0 || !((floor ", " what) in w)) return
            fw = w[floor ", " what]; fc = c[floor ", " what]
            if (floor2 != "") { fw += w[floor2 ", " what]; fc += c[floor2 ", " what] }
            best = (cf + fc) / cores
            if (fw > best) best = fw
            printf "%-44s %-14s %6.2f s %6.2f CPU s   at best %5.2f s, %5.2fx the file\n",
                   label, what, fw, fc, best, best / wf
        }
        END {
            n = split("bench file|4.3 M clients", whats, "|")
            for (i = 1; i <= n; i++) {
                row("a pipe (cat, read)", "pipe floor (cat, read)", "", whats[i])
                row("a pipe and its spool", "pipe floor with the spool", "", whats[i])
                row("the rejects file written", "rejects floor (the rejects copied)", "",
                    whats[i])
                row("a pipe, its spool and the rejects", "pipe floor with the spool",
                    "rejects floor (the rejects copied)", whats[i])
            }
        }' "$results"
fi
if [ -n "$missing" ]; then
    echo "Peers not installed, not measured; sh bench/deps.sh installs them all, or:$missing"
fi
