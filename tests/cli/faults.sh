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

# ---- the output registry: nothing an output names is ever destroyed ----------

expected="$T/expected.csv"
cl-rollup "$S" > "$expected" 2>/dev/null

# a character device is written straight through, never replaced. As root,
# a node of our own (same major/minor as /dev/null) shows it without
# risking the machine's; /dev/null itself is checked after the report runs.
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null && : > "$T/null" 2>/dev/null; then
    t_run "outputs: cl-rollup -o a character device: exit 0" 0 cl-rollup -o "$T/null" "$S"
    t_eq "outputs: ... the device stays a character device" \
        "$([ -c "$T/null" ] && echo device)" "device"
    t_run "outputs: cl-rollup --rejects and --stats to a device: exit 0" 0 \
        cl-rollup --rejects "$T/null" -o "$T/dev.csv" --stats "$T/dev-stats.csv" "$S"
    t_eq "outputs: ... still a character device" "$([ -c "$T/null" ] && echo device)" "device"
    rm -f "$T/null" "$T/dev.csv" "$T/dev-stats.csv"
else
    ok "outputs: not root, or no device nodes here: the private /dev/null case is skipped"
fi
if [ -c /dev/null ]; then
    t_run "outputs: cl-rollup -o /dev/null: exit 0" 0 cl-rollup -o /dev/null "$S"
    t_eq "outputs: ... /dev/null is still a character device" \
        "$([ -c /dev/null ] && echo device)" "device"
else
    # on a shared machine an older cl-report run as root may have replaced it
    ok "outputs: SKIPPED: /dev/null was not a character device before this test (the private device above is checked)"
fi

# /dev/stdout is the descriptor the shell gave: a file, a pipe
cl-rollup -o /dev/stdout "$S" > "$T/stdout.csv" 2>/dev/null
t_file_eq "outputs: cl-rollup -o /dev/stdout > FILE: the output in FILE" "$T/stdout.csv" "$expected"
cl-rollup -o /dev/stdout "$S" 2>/dev/null | cat > "$T/stdout-pipe.csv"
t_file_eq "outputs: cl-rollup -o /dev/stdout | cat: the output through the pipe" \
    "$T/stdout-pipe.csv" "$expected"
t_eq "outputs: ... /dev/stdout is still a symlink" "$([ -L /dev/stdout ] && echo link)" "link"
ln -s /proc/self/fd/1 "$T/my-stdout"
cl-rollup -o "$T/my-stdout" "$S" > "$T/stdout-link.csv" 2>/dev/null
t_file_eq "outputs: -o a symlink to /proc/self/fd/1: the output on stdout" \
    "$T/stdout-link.csv" "$expected"
t_eq "outputs: ... and that symlink stays" "$([ -L "$T/my-stdout" ] && echo link)" "link"
cl-plot pareto --format png -o /dev/stdout "$T/pareto.csv" 2>/dev/null | cat > "$T/stdout.png"
t_eq "outputs: cl-plot -o /dev/stdout | cat: a whole PNG" \
    "$(tail -c 8 "$T/stdout.png" | od -An -tx1 | tr -d ' \n')" "49454e44ae426082"

# a FIFO: its reader gets the output, and it stays a FIFO
mkfifo "$T/fifo"
timeout 20 cat "$T/fifo" > "$T/fifo.csv" &   # bounded: a FIFO replaced by a file would leave it waiting
reader=$!
t_run "outputs: cl-rollup -o FIFO: exit 0" 0 cl-rollup -o "$T/fifo" "$S"
wait "$reader"
t_file_eq "outputs: ... the reader got the output" "$T/fifo.csv" "$expected"
t_eq "outputs: ... still a FIFO" "$([ -p "$T/fifo" ] && echo fifo)" "fifo"
t_eq "outputs: ... no temporary beside it" "$(ls "$T" | grep -c '^fifo\.')" "1"

# a symlink is followed: the file it names is replaced, the link stays
mkdir -p "$T/real" "$T/links"
echo old > "$T/real/out.csv"
ln -s ../real/out.csv "$T/links/out.csv"
t_run "outputs: cl-rollup -o SYMLINK: exit 0" 0 cl-rollup -o "$T/links/out.csv" "$S"
t_eq "outputs: ... the link stays a link" "$([ -L "$T/links/out.csv" ] && echo link)" "link"
t_file_eq "outputs: ... the file it names holds the output" "$T/real/out.csv" "$expected"
t_eq "outputs: ... no temporary left in either folder" "$(ls "$T/real" "$T/links" | grep -c XXX)" "0"
ln -s ../real/new.csv "$T/links/dangling.csv"
cl-rollup -o "$T/links/dangling.csv" "$S" 2>/dev/null
t_file_eq "outputs: -o a dangling symlink: the file it names is made" "$T/real/new.csv" "$expected"
chmod 640 "$T/real/out.csv"
cl-rollup -o "$T/real/out.csv" "$S" 2>/dev/null
t_eq "outputs: a replaced file keeps its permissions" "$(stat -c %a "$T/real/out.csv")" "640"

# an output that is an input is a usage error that touches nothing
cp "$S" "$T/sales.csv"
cp "$S" "$T/sales.orig"
t_run "outputs: cl-rollup -o sales.csv sales.csv: exit 2" 2 cl-rollup -o "$T/sales.csv" "$T/sales.csv"
t_grep "outputs: ... says the output is an input" "is an input" "$T/err"
t_file_eq "outputs: ... the sales file is intact" "$T/sales.csv" "$T/sales.orig"
ln "$T/sales.csv" "$T/hardlink.csv"
t_run "outputs: -o a hard link of the input: exit 2" 2 cl-rollup -o "$T/hardlink.csv" "$T/sales.csv"
ln -s sales.csv "$T/symlink.csv"
t_run "outputs: -o a symlink to the input: exit 2" 2 cl-rollup -o "$T/symlink.csv" "$T/sales.csv"
t_file_eq "outputs: ... the sales file is intact" "$T/sales.csv" "$T/sales.orig"
# the forgotten --rejects name: the sales file is eaten as the option's value
t_run "outputs: cl-rollup --rejects sales.csv < sales.csv: exit 2" 2 \
    cl-rollup -o "$T/forgot.csv" --rejects "$T/sales.csv" < "$T/sales.csv"
t_file_eq "outputs: ... the sales file is intact" "$T/sales.csv" "$T/sales.orig"
t_eq "outputs: ... and no output made" "$(ls "$T" | grep -c '^forgot')" "0"
t_run "outputs: cl-rollup --rejects sales.csv with no data: exit 1" 1 \
    cl-rollup -o "$T/forgot.csv" --rejects "$T/sales.csv" < /dev/null
t_file_eq "outputs: ... the sales file is intact" "$T/sales.csv" "$T/sales.orig"
if command -v python3 >/dev/null; then
    # typed at a terminal: standard input is the terminal, a usage error at once
    python3 -c 'import os, subprocess, sys
m, s = os.openpty()
sys.exit(subprocess.run(sys.argv[1:], stdin=s, stderr=subprocess.PIPE, timeout=20).returncode)' \
        cl-rollup -o "$T/forgot.csv" --rejects "$T/sales.csv" > /dev/null 2>&1
    t_eq "outputs: cl-rollup --rejects sales.csv at a terminal: exit 2 at once" "$?" "2"
    t_file_eq "outputs: ... the sales file is intact" "$T/sales.csv" "$T/sales.orig"
fi
t_run "outputs: --stats the same file as -o: exit 2" 2 \
    cl-rollup -o "$T/twice.csv" --stats "$T/twice.csv" "$S"
t_grep "outputs: ... says it is given twice" "given as two outputs" "$T/err"
for p in $programs; do
    case "$p" in
    cl-rollup) f="$T/sales.csv" ;;
    cl-share) cp "$SAMPLES/market.csv" "$T/market.csv"; f="$T/market.csv" ;;
    cl-plot) cp "$T/pareto.csv" "$T/in.csv"; f="$T/in.csv" ;;
    *) cp "$T/rollup.csv" "$T/in.csv"; f="$T/in.csv" ;;
    esac
    cp "$f" "$T/before"
    case "$p" in
    cl-rollup) cl-rollup -o "$f" "$f" ;;
    cl-pareto) cl-pareto -o "$f" "$f" ;;
    cl-score) cl-score --rfm -o "$f" "$f" ;;
    cl-share) cl-share -o "$f" "$f" ;;
    cl-kmeans) cl-kmeans --features revenue,orders --k 3 -o "$f" "$f" ;;
    cl-plot) cl-plot pareto -o "$f" "$f" ;;
    esac > /dev/null 2>&1
    t_eq "outputs: $p -o INPUT INPUT: exit 2" "$?" "2"
    t_file_eq "outputs: ... the input is intact" "$f" "$T/before"
done
cp "$T/rollup.csv" "$T/prev.csv"
t_run "outputs: cl-pareto -o PREVIOUS --previous PREVIOUS: exit 2" 2 \
    cl-pareto --previous "$T/prev.csv" -o "$T/prev.csv" "$T/rollup.csv"
t_file_eq "outputs: ... the previous file is intact" "$T/prev.csv" "$T/rollup.csv"
t_run "outputs: cl-kmeans --save-model INPUT: exit 2" 2 \
    cl-kmeans --features revenue,orders --k 3 --save-model "$T/prev.csv" "$T/prev.csv"
t_file_eq "outputs: ... the input is intact" "$T/prev.csv" "$T/rollup.csv"

# a fatal error leaves every output as it was, --rejects and --stats included
echo "yesterday's rejects" > "$T/rejects.csv"
echo "yesterday's stats" > "$T/stats.csv"
cp "$T/rejects.csv" "$T/rejects.orig"; cp "$T/stats.csv" "$T/stats.orig"
t_run "outputs: cl-rollup with no line in the period: exit 1" 1 cl-rollup --to 1900-01-01 \
    --rejects "$T/rejects.csv" --stats "$T/stats.csv" -o "$T/fatal.csv" "$S"
t_file_eq "outputs: ... --rejects left as it was" "$T/rejects.csv" "$T/rejects.orig"
t_file_eq "outputs: ... --stats left as it was" "$T/stats.csv" "$T/stats.orig"
t_eq "outputs: ... no temporary, no -o file" "$(ls "$T" | grep -c '^rejects\.csv\.\|^stats\.csv\.\|^fatal')" "0"

# --save-model makes its temporary with mkstemp: a NAME.tmp symlink planted
# beforehand is not followed
echo "not yours" > "$T/victim"
ln -s "$T/victim" "$T/model.csv.tmp"
t_run "outputs: cl-kmeans --save-model beside a planted NAME.tmp symlink: exit 0" 0 \
    cl-kmeans --features revenue,orders --k 3 --save-model "$T/model.csv" -o "$T/km.csv" "$T/rollup.csv"
t_eq "outputs: ... the symlink's target is untouched" "$(cat "$T/victim")" "not yours"
t_eq "outputs: ... the model is a regular file" "$([ -f "$T/model.csv" ] && [ ! -L "$T/model.csv" ] && echo file)" "file"
t_grep "outputs: ... the model is whole" "centroid,3," "$T/model.csv"

# SIGTERM while every output is open: no temporary of any of them is left
mkdir -p "$T/sig"
mkfifo "$T/sig/fifo"
cl-rollup -o "$T/sig/out.csv" --rejects "$T/sig/rej.csv" --stats "$T/sig/st.csv" "$T/sig/fifo" 2>/dev/null &
pid=$!
exec 9> "$T/sig/fifo"
head -1 "$S" >&9
sleep 0.3
t_eq "outputs: three temporaries while the run is on" "$(ls "$T/sig" | grep -c '\.csv\.')" "3"
kill -s TERM "$pid"
exec 9>&-
wait "$pid" 2>/dev/null
t_eq "outputs: cl-rollup killed by SIGTERM leaves none of its three outputs" "$(ls "$T/sig")" "fifo"

# standard output appended to an input (cat's "input file is output file")
cp "$S" "$T/self.csv"
cp "$S" "$T/self.orig"
cl-rollup "$T/self.csv" >> "$T/self.csv" 2> "$T/err"
t_eq "outputs: cl-rollup FILE >> FILE: exit 2" "$?" "2"
t_grep "outputs: ... says standard output is an input" "standard output is an input" "$T/err"
t_file_eq "outputs: ... the file is as it was" "$T/self.csv" "$T/self.orig"

# cl-clv's two outputs through the same registry
cp "$T/rollup.csv" "$T/clv-in.csv"
t_run "outputs: cl-clv -o INPUT INPUT: exit 2" 2 cl-clv -o "$T/clv-in.csv" "$T/clv-in.csv"
t_run "outputs: cl-clv --save-model INPUT INPUT: exit 2" 2 cl-clv --save-model "$T/clv-in.csv" "$T/clv-in.csv"
t_file_eq "outputs: ... the input is intact" "$T/clv-in.csv" "$T/rollup.csv"
