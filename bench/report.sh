#!/bin/sh
# The monthly report's time (issue 21): cl-report on the 1 GB bench file
# (its last complete month, against the whole history) and on 5 M clients
# (two years of a loyalty-card retailer), RUNS runs each (default 3), with
# the median wall time, the median user+sys CPU time of the whole recipe
# (every program it runs: on a loaded machine the wall time says little
# alone) and the peak memory of its largest program. The data are run.sh's
# (bench/data/, built the same way when missing). bench/run.sh calls this
# script for its report section when it is present.
#   bench/report.sh BIN_DIR
# Environment: RUNS, SALES_SOURCE and COPIES (the bench sales file, as in
# run.sh), SCALE_LINES and SCALE_CLIENTS (the 5 M-client file), REPORT_ONLY
# (sales or many: one of the two).
set -eu
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
data="$here/data"
runs=${RUNS:-3}
PY=${PYTHON:-python3}
only=${REPORT_ONLY:-sales many}
mkdir -p "$data"
command -v "$PY" >/dev/null || { echo "bench: python3 is needed to measure time and memory" >&2; exit 1; }
[ -x "$bin/cl-report" ] || { echo "bench: no $bin/cl-report" >&2; exit 1; }

# ---- data: the same files as run.sh -----------------------------------------
shared="$top/../shared/data/online-retail.csv.gz"
[ -f "$shared" ] || shared="/work/shared/data/online-retail.csv.gz"
if [ -n "${SALES_SOURCE:-}" ]; then src=$SALES_SOURCE; copies=${COPIES:-20}
elif [ -f "$shared" ]; then src=$shared; copies=${COPIES:-20}
else src="$top/samples/sales.csv"; copies=${COPIES:-1300}; fi
sales="$data/sales-$(basename "$src" | sed 's/\..*//')-${copies}x.csv"
big_lines=${SCALE_LINES:-12000000}
big="$data/many-$big_lines-5m.csv"
case " $only " in *" sales "*)
    if [ ! -f "$sales" ]; then
        echo "bench: building $sales ($copies copies of $src)..." >&2
        sh "$here/make-sales.sh" "$src" "$copies" "$sales"
    fi ;;
esac
case " $only " in *" many "*)
    if [ ! -f "$big" ]; then
        cc -O2 -o "$data/many-clients" "$here/many-clients.c" -lm
        echo "bench: building $big..." >&2
        "$data/many-clients" "$big_lines" "${SCALE_CLIENTS:-5000000}" > "$big.tmp"
        mv "$big.tmp" "$big"
    fi ;;
esac

# ---- measuring ------------------------------------------------------------
# one run: "WALL USER+SYS PEAK_KIB STATUS" (the children's rusage: every
# program of the recipe, which all run as descendants of the one command)
once() {
    "$PY" -c '
import resource, subprocess, sys, time
start = time.monotonic()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
wall = time.monotonic() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {r.ru_utime + r.ru_stime:.3f} {r.ru_maxrss} {status}")' "$@"
}
results="$data/results-report.txt"
: > "$results"
out="$data/report-out"
# measure NAME ARGS...: cl-report ARGS into a fresh folder, $runs times
measure() {
    name=$1; shift
    printf 'bench: %-44s' "$name" >&2
    : > "$data/runs-report"
    i=0
    while [ $i -lt "$runs" ]; do
        rm -rf "$out"
        once "$bin/cl-report" --quiet --wait 0 -o "$out" "$@" >> "$data/runs-report"
        i=$((i + 1))
    done
    rm -rf "$out"
    # the median of each column on its own; FAILED when any run failed
    line=$(for c in 1 2 3; do
        cut -d' ' -f$c "$data/runs-report" | sort -n | sed -n "$(((runs + 1) / 2))p"
    done | tr '\n' ' ')
    cut -d' ' -f4 "$data/runs-report" | grep -qv '^0$' && line="$line FAILED"
    echo "$name|$line" >> "$results"
    echo " $line" >&2
}

case " $only " in *" sales "*)
    echo "bench: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); sales file" \
        "$(du -h "$sales" | cut -f1), $(wc -l < "$sales") lines" >&2
    measure "cl-report, the 1 GB bench file (last month)" "$sales" ;;
esac
case " $only " in *" many "*)
    measure "cl-report, 5 M clients (two years)" --from 2023-01-01 --to 2024-12-31 "$big" ;;
esac

# ---- the table -----------------------------------------------------------------
echo
awk -F'|' '
    BEGIN { printf "%-46s %10s %12s %11s %8s\n", "work", "median s", "user+sys s", "peak MiB",
                   "target" }
    { split($2, f, " ")
      t = $1 ~ /1 GB/ ? 6 : $1 ~ /5 M/ ? 40 : 0
      v = f[4] == "FAILED" ? "FAILED" : t == 0 ? "" : f[1] <= t ? "<= " t " s" : "OVER " t " s"
      printf "%-46s %10.2f %12.2f %11.1f %8s\n", $1, f[1], f[2], f[3] / 1024, v }' "$results"
echo "(median of $runs runs; user+sys: the CPU time of every program of the recipe;"
echo " peak: the largest resident set among them; target: issue 21, on the wall time)"
