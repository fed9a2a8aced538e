#!/bin/sh
# The cl-kmeans benchmark: N (default 1,000,000) points x 8 features, a
# seeded mixture of 8 overlapping Gaussians (bench/kmeans-gen.c, the same
# file on every machine), k = 8, 10 restarts, from the CSV to the written
# assignments. scikit-learn (pandas read, StandardScaler, KMeans n_init=10,
# labels written) runs side by side when it is installed. Prints the median
# wall time of RUNS runs (default 3), the peak memory, and both inertias
# (cl-kmeans: the sum of its squared distances, z-scaled like scikit-learn's
# StandardScaler).
#   bench/kmeans.sh BIN_DIR
set -eu
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
runs=${RUNS:-3}
n=${N:-1000000}
PY=${PYTHON:-python3}
SKPY=${SKLEARN_PYTHON:-/usr/bin/python3}     # the Debian python3-sklearn
mkdir -p "$data"
cc -O2 -o "$data/kmeans-gen" "$here/kmeans-gen.c" -lm
points="$data/kmeans-$n.csv"
if [ ! -f "$points" ]; then
    echo "bench: building $points..." >&2
    "$data/kmeans-gen" "$n" > "$points.tmp" && mv "$points.tmp" "$points"
fi

# measure NAME COMMAND...: "NAME|median-seconds peak-KiB"
measure() {
    name=$1; shift
    : > "$data/kmeans-runs"
    i=0
    while [ $i -lt "$runs" ]; do
        "$PY" "$here/measure.py" "$@" >> "$data/kmeans-runs"
        i=$((i + 1))
    done
    sort -n "$data/kmeans-runs" | awk -v n="$runs" -v name="$name" \
        'NR == int((n + 1) / 2) { line = name "|" $1 " " $2 } $3 != 0 { bad = 1 }
         END { print line (bad ? " FAILED" : "") }'
}

echo "bench: cl-kmeans, $n points x 8 features, k = 8, 10 restarts, $(nproc) cores" >&2
measure "cl-kmeans" "$bin/cl-kmeans" --k 8 --n-init 10 -o "$data/kmeans-out.csv" "$points"
awk -F, 'NR > 1 { s += $11 * $11 } END { printf "cl-kmeans inertia|%.6f\n", s }' "$data/kmeans-out.csv"
if "$SKPY" -c 'import sklearn, pandas' 2>/dev/null; then
    measure "scikit-learn KMeans" "$SKPY" "$here/sklearn-kmeans.py" "$points" "$data/sklearn-out.csv"
    "$SKPY" "$here/sklearn-kmeans.py" "$points" /dev/null --inertia | sed 's/^/scikit-learn inertia|/'
else
    echo "bench: scikit-learn is not installed (apt-get install python3-sklearn python3-pandas)" >&2
fi
