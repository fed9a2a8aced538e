# Faults: interrupted runs, full disks, file size limits, readers that go
# away, unwritable folders. Nothing partial is ever left behind.
. "$CL_TESTS/lib.sh"
S="$SAMPLES/sales.csv"
cl-rollup "$S" > "$T/rollup.csv" 2>/dev/null
cl-pareto "$T/rollup.csv" > "$T/pareto.csv" 2>/dev/null

# every program, with a valid input and its usual options
run_program() {   # NAME OUTPUT
    case "$1" in
    cl-rollup) cl-rollup -o "$2" "$S" ;;
    cl-pareto) cl-pareto -o "$2" "$T/rollup.csv" ;;
    cl-score) cl-score --rfm -o "$2" "$T/rollup.csv" ;;
    cl-share) cl-share -o "$2" "$SAMPLES/market.csv" ;;
    cl-kmeans) cl-kmeans --features revenue,orders --k 3 -o "$2" "$T/rollup.csv" ;;
    cl-plot) cl-plot pareto -o "$2" "$T/pareto.csv" ;;
    esac
}
programs="cl-rollup cl-pareto cl-score cl-share cl-kmeans cl-plot"

for p in $programs; do
    command -v "$p" >/dev/null || { fail "faults: $p is built"; continue; }
    ext=csv; [ "$p" = cl-plot ] && ext=png
    # an unwritable output folder is an error before any work
    run_program "$p" "/nonexistent/out.$ext" > "$T/out" 2> "$T/err"
    rc=$?
    t_eq "faults: $p -o into a missing folder: exit 1" "$rc" "1"
    t_grep "faults: $p ... says it cannot write there" "/nonexistent/out.$ext" "$T/err"
    # a file size limit (ulimit -f): an error, and no file left
    mkdir -p "$T/limit"
    ( ulimit -f 1; run_program "$p" "$T/limit/out.$ext" ) > /dev/null 2> "$T/err"
    rc=$?
    t_eq "faults: $p over a file size limit: exit 1" "$rc" "1"
    t_eq "faults: $p ... leaves nothing in the folder" "$(ls "$T/limit")" ""
    # a reader that goes away ends the run quietly
    case "$p" in
    cl-plot) : ;;   # writes an image, not a stream
    *)  run_program "$p" - 2> "$T/err" | head -c 10 > /dev/null
        t_eq "faults: $p | head: quiet when the reader goes away" \
            "$(grep -v 'rejected\|constant\|left out' "$T/err")" "" ;;
    esac
done

# a full disk: a small tmpfs, when this machine lets us mount one
mkdir -p "$T/full"
if mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null; then
    # fill it up, keeping a few bytes: the output starts, then fails
    head -c 63000 /dev/zero > "$T/full/filler" 2>/dev/null
    for p in $programs; do
        ext=csv; [ "$p" = cl-plot ] && ext=png
        run_program "$p" "$T/full/out.$ext" > /dev/null 2> "$T/err"
        rc=$?
        t_eq "faults: $p on a full disk: exit 1" "$rc" "1"
        t_eq "faults: $p ... leaves nothing on it" "$(ls "$T/full")" "filler"
        rm -f "$T/full"/out*
    done
    umount "$T/full"
else
    ok "faults: cannot mount a small tmpfs here (not root): full-disk case skipped; /dev/full and ulimit -f are tested"
fi

# interrupted runs: SIGINT and SIGTERM while the output is being made
for sig in INT TERM; do
    mkfifo "$T/fifo-$sig"
    cl-rollup -o "$T/int-$sig.csv" "$T/fifo-$sig" 2>/dev/null &
    pid=$!
    exec 9> "$T/fifo-$sig"          # the reader is now waiting for lines
    head -1 "$S" >&9
    sleep 0.3
    kill -s "$sig" "$pid"
    exec 9>&-
    wait "$pid" 2>/dev/null
    t_eq "faults: cl-rollup killed by SIG$sig leaves no file, no temporary" \
        "$(ls "$T" | grep -c "^int-$sig")" "0"
done
