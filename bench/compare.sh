#!/bin/sh
# make bench-compare: the programs of two builds side by side on the bench's
# data, to show that a change is no slower and writes the same bytes.
#   bench/compare.sh OLD NEW_BIN_DIR
#   make bench-compare BASE=COMMIT
# OLD is a build's bin directory, or a commit: its tree is then built once
# in bench/data/base-SHA (git archive; make all).
# Each work runs RUNS times (default 3) as pairs, old then new in turn (A B
# A B...), so that both see the same load; the table gives the medians of
# the CPU time (user + system, the figure a shared machine disturbs least)
# and of the wall time, their ratios new / old, the peak memory, and
# whether the two outputs are byte for byte the same (cmp). Environment:
# RUNS, COMPARE_ONLY (works to run, space-separated; default all: rollup
# rollup1 pipe rejects many cohort pareto pareto5m score5m kmeans clv),
# MANY_LINES, SCALE_LINES and N as in bench/run.sh. It uses the data that
# make bench built in bench/data/ and names the works it had to skip.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
if [ -d "$1" ]; then
    old=$(cd "$1" && pwd)
else
    sha=$(git -C "$here" rev-parse --short "$1^{commit}") ||
        { echo "bench: $1 is neither a directory nor a commit" >&2; exit 2; }
    base="$data/base-$sha"
    if [ ! -x "$base/build/release/bin/cl-rollup" ]; then
        echo "bench: building $1 ($sha) in $base..." >&2
        rm -rf "$base" && mkdir -p "$base"
        git -C "$here/.." archive "$sha" | tar -x -C "$base"
        make -C "$base" -j2 all > "$base.log" 2>&1 ||
            { echo "bench: the build of $sha failed: $base.log" >&2; exit 1; }
    fi
    old="$base/build/release/bin"
fi
new=$(cd "$2" && pwd)
runs=${RUNS:-3}
PY=${PYTHON:-python3}
only=" ${COMPARE_ONLY:-rollup rollup1 pipe rejects many cohort pareto pareto5m score5m kmeans clv} "
want() { case "$only" in *" $1 "*) return 0 ;; esac; return 1; }
command -v "$PY" >/dev/null || { echo "bench: python3 is needed to measure time" >&2; exit 1; }

sales=$(ls -S "$data"/sales-*x.csv 2>/dev/null | head -n 1)
many="$data/many-${MANY_LINES:-10000000}.csv"
big="$data/many-${SCALE_LINES:-12000000}-5m.csv"
points="$data/kmeans-${N:-1000000}.csv"
cols="--order InvoiceNo"
work="$data/compare"
mkdir -p "$work"
results="$work/results.txt"
: > "$results"

# pair NAME CMD...: CMD holds OUT (its output file) and BIN (the build);
# runs it for old and new in turn, RUNS times, then compares the outputs.
pair() {
    name=$1; shift
    printf 'compare: %-40s' "$name" >&2
    : > "$work/old.runs"; : > "$work/new.runs"
    i=0
    while [ $i -lt "$runs" ]; do
        for side in old new; do
            eval "bin=\$$side"
            out="$work/$side.out"
            rm -f "$out"
            # shellcheck disable=SC2294
            "$PY" "$here/measure.py" sh -c "$*" sh "$bin" "$out" >> "$work/$side.runs"
        done
        i=$((i + 1))
    done
    if [ ! -f "$work/old.out" ] && [ ! -f "$work/new.out" ]; then same="no output"
    elif cmp -s "$work/old.out" "$work/new.out"; then same=same
    else same=DIFFERENT; fi
    cat "$work/old.runs" "$work/new.runs" | awk '$3 != 0 { bad = 1 } END { exit !bad }' &&
        same="$same FAILED"
    med() { cut -d' ' -f"$2" "$1" | sort -n | sed -n "$(((runs + 1) / 2))p"; }
    line="$(med "$work/old.runs" 4) $(med "$work/new.runs" 4) $(med "$work/old.runs" 1)"
    line="$line $(med "$work/new.runs" 1) $(med "$work/new.runs" 2) $same"
    echo "$name|$line" >> "$results"
    echo " $line" >&2
}

# $1 is the build's bin directory, $2 the output file, in every command
if [ -n "$sales" ]; then
    # shellcheck disable=SC2016
    want rollup && pair "cl-rollup, the bench file" '"$1/cl-rollup" '"$cols"' -o "$2" '"$sales"
    # shellcheck disable=SC2016
    want rollup1 && pair "cl-rollup --threads 1" \
        '"$1/cl-rollup" --threads 1 '"$cols"' -o "$2" '"$sales"
    # shellcheck disable=SC2016
    want pipe && pair "cl-rollup from a pipe" 'cat '"$sales"' | "$1/cl-rollup" '"$cols"' -o "$2" -'
    # shellcheck disable=SC2016
    want rejects && pair "cl-rollup --rejects" \
        '"$1/cl-rollup" '"$cols"' --rejects "$2" -o "$2.rollup" '"$sales"
    # shellcheck disable=SC2016
    want cohort && [ -x "$old/cl-cohort" ] && pair "cl-cohort" '"$1/cl-cohort" --customer CustomerID --date InvoiceDate '`
        `'--quantity Quantity --price UnitPrice -o "$2" '"$sales"
    if want pareto || want clv; then
        "$new/cl-rollup" --quiet $cols --asof 2012-01-01 -o "$work/history.csv" "$sales"
    fi
    # shellcheck disable=SC2016
    want pareto && pair "cl-pareto, the bench file's clients" '"$1/cl-pareto" -o "$2" '"$work/history.csv"
    # shellcheck disable=SC2016
    want clv && pair "cl-clv, the bench file's clients" '"$1/cl-clv" -o "$2" '"$work/history.csv"
fi
# shellcheck disable=SC2016
[ -f "$many" ] && want many && pair "cl-rollup, 4.3 M clients" '"$1/cl-rollup" -o "$2" '"$many"
if [ -f "$big" ] && { want pareto5m || want score5m; }; then
    bigroll="$work/5m-rollup.csv"
    [ -f "$bigroll" ] || "$new/cl-rollup" --quiet -o "$bigroll" "$big"
    # shellcheck disable=SC2016
    want pareto5m && pair "cl-pareto, 5 M clients" '"$1/cl-pareto" -o "$2" '"$bigroll"
    # shellcheck disable=SC2016
    want score5m && pair "cl-score --rfm, 5 M clients" '"$1/cl-score" --rfm -o "$2" '"$bigroll"
fi
# shellcheck disable=SC2016
[ -f "$points" ] && want kmeans && pair "cl-kmeans k=8, 10 restarts, 1 M x 8" \
    '"$1/cl-kmeans" --k 8 --n-init 10 -o "$2" '"$points"
rm -f "$work/old.out" "$work/new.out" "$work/old.out.rollup" "$work/new.out.rollup"
skipped=""
[ -n "$sales" ] || skipped="$skipped the sales file (BENCH_ONLY=sales);"
[ -f "$many" ] || skipped="$skipped $many (BENCH_ONLY=many);"
[ -f "$big" ] || skipped="$skipped $big (BENCH_ONLY=scale);"
[ -f "$points" ] || skipped="$skipped $points (BENCH_ONLY=kmeans);"

echo
echo "old: $old"
echo "new: $new"
[ -z "$skipped" ] || echo "skipped, no data: make bench builds them:$skipped"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; medians of $runs pairs"
awk -F'|' '
    BEGIN { printf "%-40s %8s %8s %6s %8s %8s %6s %8s  %s\n", "work", "old cpu", "new cpu",
            "ratio", "old s", "new s", "ratio", "new MiB", "output" }
    { split($2, f, " "); out = f[6]; for (i = 7; i in f; i++) out = out " " f[i]
      printf "%-40s %8.2f %8.2f %6.2f %8.2f %8.2f %6.2f %8.1f  %s\n", $1, f[1], f[2],
             (f[1] > 0 ? f[2] / f[1] : 0), f[3], f[4], (f[3] > 0 ? f[4] / f[3] : 0),
             f[5] / 1024, out }' "$results"
