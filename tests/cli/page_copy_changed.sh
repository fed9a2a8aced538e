# cl-page --copy --if-changed: a copy is written only when it is not the
# file's own bytes (cl-report's copies made safe for spreadsheets: most of
# the folder's files have no cell to change, and were written again for
# nothing). A file with a cell to change gives the copy --copy gives
# without the option, and the rule written out here in Python (not our
# code) on a file whose first change comes after 1.5 MB of plain rows (the
# bytes before it copied, not read again); -o FOLDER takes several FILEs.
# A file that changes while it is read, and an old copy that cannot be
# removed, are errors. -o LINK is followed, as every output's name.
. "$CL_TESTS/lib.sh"

# neutral IN OUT: the rule of cl-page --copy neutral, by Python's csv
# module (tests/cli/neutral_rule.py)
neutral() { python3 "$CL_TESTS/cli/neutral_rule.py" "$1" "$2"; }

# ---- a file with no cell to change: no copy, an old one removed
python3 - > "$T/plain.csv" <<'PY'
print("customer,revenue,label,pc1")
for i in range(60000):
    print(f"C{i},{i}.25,\"frequent, high\",-{i % 7}.5")
PY
t_run "copy changed: a file with no cell to change" 0 \
    cl-page --copy neutral --if-changed -o "$T/plain-n.csv" "$T/plain.csv"
t_eq "copy changed: ... no copy written, nothing said" \
    "$(ls "$T" | grep -c '^plain-n'; cat "$T/err")" 0
cl-page --copy neutral -o "$T/plain-full.csv" "$T/plain.csv"
t_file_eq "copy changed: ... (the copy without the option is the file's bytes)" \
    "$T/plain-full.csv" "$T/plain.csv"
echo old > "$T/plain-n.csv"
t_run "copy changed: ... an old copy there" 0 \
    cl-page --copy neutral --if-changed -o "$T/plain-n.csv" "$T/plain.csv"
t_eq "copy changed: ... is removed" "$(ls "$T" | grep -c '^plain-n')" 0
t_run "copy changed: --verbose" 0 cl-page --verbose --copy neutral --if-changed \
    -o "$T/plain-n.csv" "$T/plain.csv"
t_grep "copy changed: ... says it" "plain-n.csv: the same bytes as $T/plain.csv: not written" \
    "$T/err"
# no copy means a file left as it is: a stream gets the bytes
t_run "copy changed: to standard output" 0 cl-page --copy neutral --if-changed "$T/plain.csv"
t_file_eq "copy changed: ... the copy there (a stream has no file to keep)" \
    "$T/out" "$T/plain.csv"
mkfifo "$T/fifo"
cat "$T/fifo" > "$T/from-fifo" &
reader=$!
t_run "copy changed: to a FIFO" 0 cl-page --copy neutral --if-changed -o "$T/fifo" "$T/plain.csv"
wait "$reader"
t_file_eq "copy changed: ... its reader gets the copy" "$T/from-fifo" "$T/plain.csv"
t_eq "copy changed: ... and the FIFO stays one" "$(test -p "$T/fifo" && echo fifo)" fifo

# ---- the first cell to change after 1.5 MB of plain rows
python3 - > "$T/late.csv" <<'PY'
print("customer,description,amount")
for i in range(70000):
    print(f"{i},plain {i},{i}.5")
print("=1+2,@SUM(A1),-3")
print("+cmd,\"-x, y\",\"\tq\"")
print("-,+,-5e3")
for i in range(2000):
    print(f"{i},\"say \"\"hi\"\"\",-{i}")
PY
t_run "copy changed: a cell to change after 1.5 MB" 0 \
    cl-page --copy neutral --if-changed -o "$T/late-n.csv" "$T/late.csv"
cl-page --copy neutral -o "$T/late-full.csv" "$T/late.csv"
t_file_eq "copy changed: ... the copy --copy neutral writes" "$T/late-n.csv" "$T/late-full.csv"
neutral "$T/late.csv" "$T/late-py.csv"
t_file_eq "copy changed: ... Python's rule" "$T/late-n.csv" "$T/late-py.csv"
t_run "copy changed: to standard output" 0 cl-page --copy neutral --if-changed "$T/late.csv"
t_file_eq "copy changed: ... the copy there" "$T/out" "$T/late-py.csv"

# ---- copies that differ without a cell to change: the last line end, a
# blank line, CRLF, a BOM, a quote not needed, another encoding
printf 'a,b\n1,2' > "$T/c1.csv"
printf 'a,b\n1,2\n\n' > "$T/c2.csv"
printf 'a,b\r\n1,2\r\n' > "$T/c3.csv"
printf '\357\273\277a,b\n1,2\n' > "$T/c4.csv"
printf 'a,b\n1,"2 "\n' > "$T/c5.csv"
printf 'a,b\n1,\351t\351\n' > "$T/c6.csv"
printf 'a,b\n1,=x\n' > "$T/c7.csv"
for i in 1 2 3 4 5 6 7; do
    for how in neutral raw; do
        cl-page --copy $how -o "$T/c$i-full.csv" "$T/c$i.csv" 2> "$T/c-full.err"
        t_run "copy changed: $how, file $i" 0 \
            cl-page --copy $how --if-changed -o "$T/c$i-n.csv" "$T/c$i.csv"
        # =x read back is =x, and a row with nothing to neutralise keeps its
        # quotes: the file's bytes
        if [ $how$i = raw7 ] || [ $how$i = neutral5 ]; then
            t_eq "copy changed: ... no copy" "$(ls "$T" | grep -c "^c$i-n")" 0
        else
            t_file_eq "copy changed: ... the copy without the option" "$T/c$i-n.csv" \
                "$T/c$i-full.csv"
        fi
        t_file_eq "copy changed: ... the same messages" "$T/err" "$T/c-full.err"
        rm -f "$T/c$i-n.csv"
    done
done
neutral "$T/c5.csv" "$T/c5-py.csv"
t_file_eq "copy changed: a quote not needed, kept by Python's rule" "$T/c5.csv" "$T/c5-py.csv"
printf 'a,b\n"=x","2 "\n' > "$T/c8.csv"
neutral "$T/c8.csv" "$T/c8-py.csv"
cl-page --copy neutral --if-changed -o "$T/c8-n.csv" "$T/c8.csv"
t_file_eq "copy changed: a quote not needed beside a cell to change, Python's rule" \
    "$T/c8-n.csv" "$T/c8-py.csv"
t_eq "copy changed: ... written again cell by cell" "$(sed -n 2p "$T/c8-n.csv")" "\"'=x\",2 "
# raw: the cells read back as the programs wrote them
printf "a,b\n\"'=x\",1\n" > "$T/r1.csv"
t_run "copy changed: raw, a cell written back" 0 \
    cl-page --copy raw --if-changed -o "$T/r1-n.csv" "$T/r1.csv"
t_eq "copy changed: ... without its apostrophe" "$(cat "$T/r1-n.csv")" "a,b
=x,1"
t_run "copy changed: raw, nothing to write back" 0 \
    cl-page --copy raw --if-changed -o "$T/plain-r.csv" "$T/plain.csv"
t_eq "copy changed: ... no copy" "$(ls "$T" | grep -c '^plain-r')" 0
t_run "copy changed: raw of a neutral copy" 0 \
    cl-page --copy raw --if-changed -o "$T/late-r.csv" "$T/late-n.csv"
cl-page --copy raw -o "$T/late-r2.csv" "$T/late-n.csv"
t_file_eq "copy changed: ... as without the option" "$T/late-r.csv" "$T/late-r2.csv"
t_run "copy changed: excel, always written" 0 \
    cl-page --copy excel --if-changed -o "$T/plain-x.csv" "$T/plain.csv"
cl-page --copy excel -o "$T/plain-x2.csv" "$T/plain.csv"
t_file_eq "copy changed: ... as without the option" "$T/plain-x.csv" "$T/plain-x2.csv"

# ---- several files into a folder: those with a change, under their names
mkdir "$T/dir"
: > "$T/empty.csv"
t_run "copy changed: several FILEs, -o FOLDER" 0 cl-page --copy neutral --if-changed \
    -o "$T/dir" "$T/plain.csv" "$T/late.csv" "$T/empty.csv" "$T/c7.csv"
t_eq "copy changed: ... only the files with a change there" "$(ls "$T/dir" | tr '\n' ' ')" \
    "c7.csv late.csv "
t_file_eq "copy changed: ... each the copy of its file" "$T/dir/late.csv" "$T/late-full.csv"
t_eq "copy changed: ... the other" "$(cat "$T/dir/c7.csv")" "a,b
1,\"'=x\""
mkdir "$T/dir2"
t_run "copy changed: several FILEs without --if-changed" 0 cl-page --copy neutral \
    -o "$T/dir2" "$T/plain.csv" "$T/c7.csv"
t_file_eq "copy changed: ... every copy there" "$T/dir2/plain.csv" "$T/plain.csv"
t_file_eq "copy changed: ... (the other)" "$T/dir2/c7.csv" "$T/dir/c7.csv"

# ---- errors: as without the option, and no copy left
printf 'customer,revenue\nA,1\nB,2,3\n' > "$T/bad.csv"
cl-page --copy neutral -o "$T/bad-full.csv" "$T/bad.csv" 2> "$T/bad-full.err"
t_run "copy changed: a row of another width" 1 \
    cl-page --copy neutral --if-changed -o "$T/bad-n.csv" "$T/bad.csv"
t_file_eq "copy changed: ... the message without the option" "$T/err" "$T/bad-full.err"
t_eq "copy changed: ... no copy, no temporary" "$(ls "$T" | grep -c '^bad-n')" 0
t_run "copy changed: several FILEs, one bad" 1 cl-page --copy neutral --if-changed \
    -o "$T/dir" "$T/bad.csv" "$T/c7.csv"
t_file_eq "copy changed: ... its message" "$T/err" "$T/bad-full.err"
t_run "copy changed: --if-changed without --copy" 2 cl-page --if-changed "$T"
t_run "copy changed: several FILEs to a file" 2 cl-page --copy neutral -o "$T/x.csv" \
    "$T/plain.csv" "$T/c7.csv"
t_run "copy changed: an input as the output" 2 cl-page --copy neutral --if-changed \
    -o "$T/plain.csv" "$T/plain.csv"
t_eq "copy changed: ... left as it was" "$(cmp "$T/plain.csv" "$T/plain-full.csv" && echo same)" \
    same
t_run "copy changed: an input as the output, in the folder" 2 cl-page --copy neutral \
    --if-changed -o "$T" "$T/plain.csv"
t_eq "copy changed: ... left as it was" "$(cmp "$T/plain.csv" "$T/plain-full.csv" && echo same)" \
    same

# ---- a file that changes while it is read: emptied just after it was read
# through, by tests/preload/shrink_at_end.c at a known read (a writer in the
# background would race the reader). Its second read to the end is the
# copy's own (the first checks its encoding). An error, not a copy of what
# was left, and no copy or temporary left behind.
shim="$CL_UNIT/shrink_at_end.so"
# preloaded COMMAND...: COMMAND with the shim (not sanitized: ASan would
# stop at a library loaded before its own); shrinking FILE COMMAND...: and
# FILE emptied at that read
preloaded() {
    env LD_PRELOAD="$shim" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}
shrinking() {
    _file=$1; shift
    preloaded env SHRINK_FILE="$_file" SHRINK_AT_END=2 "$@"
}
if [ -f "$shim" ]; then
    # the copy is shorter than the file (its blank last line): the file's
    # bytes up to there are copied from it, and it has none now
    printf 'a,b\n1,2\n\n' > "$T/shrink1.csv"
    t_run "copy changed: the shim loaded, the file left as it is" 0 \
        preloaded cl-page --copy neutral --if-changed -o "$T/shrink1-n.csv" "$T/shrink1.csv"
    t_eq "copy changed: ... the copy" "$(cat "$T/shrink1-n.csv")" "a,b
1,2"
    rm -f "$T/shrink1-n.csv"
    t_run "copy changed: the file emptied once read, the copy shorter" 1 \
        shrinking "$T/shrink1.csv" cl-page --copy neutral --if-changed \
        -o "$T/shrink1-n.csv" "$T/shrink1.csv"
    t_eq "copy changed: ... said" "$(cat "$T/err")" \
        "cl-page: $T/shrink1.csv: changed while it was read"
    t_eq "copy changed: ... no copy, no temporary" "$(ls "$T" | grep -c '^shrink1-n')" 0
    t_eq "copy changed: ... (the file was emptied)" "$(wc -c < "$T/shrink1.csv")" 0
    # the reader gives up on the file at its end (an unterminated quote)
    # and reads it again from the start: fewer rows than it handed out, as
    # the 500 kB of rows are more than it had read at once
    python3 - > "$T/shrink2.csv" <<'PY'
print("customer,description,amount")
for i in range(20000):
    print(f"C{i},plain {i},{i}.5")
print("C,\"unterminated,1")
PY
    cp "$T/shrink2.csv" "$T/shrink2.orig"
    t_run "copy changed: the file as it is, its last quote unterminated" 1 \
        cl-page --copy neutral -o "$T/shrink2-n.csv" "$T/shrink2.csv"
    t_eq "copy changed: ... said" "$(cat "$T/err")" \
        "cl-page: $T/shrink2.csv:20002: unterminated quoted field at the end of the file"
    for opt in "" --if-changed; do
        cp "$T/shrink2.orig" "$T/shrink2.csv"
        t_run "copy changed: ${opt:-without --if-changed}, emptied when read again" 1 \
            shrinking "$T/shrink2.csv" cl-page --copy neutral $opt -o "$T/shrink2-n.csv" \
            "$T/shrink2.csv"
        t_eq "copy changed: ... said" "$(cat "$T/err")" \
            "cl-page: $T/shrink2.csv: changed while it was read"
        t_eq "copy changed: ... no copy, no temporary" "$(ls "$T" | grep -c '^shrink2-n')" 0
        t_eq "copy changed: ... (the file was emptied)" "$(wc -c < "$T/shrink2.csv")" 0
    done
else
    fail "copy changed: the tests' shim is built" "no $shim"
fi

# ---- -o LINK, a symlink to an old copy: followed, as every output is
# (tools/cli.c): the copy goes to the file the link names, and when there is
# none to write, that file is the old copy removed; the link stays. It once
# was the link that went, and the old copy stayed where it named.
mkdir "$T/links"
printf 'a,b\n1,=x\n' > "$T/links/cell.csv"
cl-page --copy neutral -o "$T/links/cell-full.csv" "$T/links/cell.csv"
cp "$T/links/cell-full.csv" "$T/links/old.csv"
ln -s old.csv "$T/links/link.csv"
t_run "copy changed: -o LINK, the copy the same as the old one" 0 \
    cl-page --copy neutral --if-changed -o "$T/links/link.csv" "$T/links/cell.csv"
t_eq "copy changed: ... the link as it was, the old copy's bytes as they were" \
    "$(readlink "$T/links/link.csv"; cmp "$T/links/old.csv" "$T/links/cell-full.csv" && echo same)" \
    "old.csv
same"
printf 'a,b\n2,@y\n' > "$T/links/cell.csv"
cl-page --copy neutral -o "$T/links/cell-full.csv" "$T/links/cell.csv"
t_run "copy changed: -o LINK, a changed FILE" 0 \
    cl-page --copy neutral --if-changed -o "$T/links/link.csv" "$T/links/cell.csv"
t_eq "copy changed: ... the file the link names updated, the link kept" \
    "$(readlink "$T/links/link.csv"; cmp "$T/links/old.csv" "$T/links/cell-full.csv" && echo same)" \
    "old.csv
same"
t_eq "copy changed: ... (a new copy: its cell made safe)" "$(sed -n 2p "$T/links/old.csv")" \
    "2,\"'@y\""
printf 'a,b\n1,2\n' > "$T/links/plain.csv"
ln -s link.csv "$T/links/chain.csv"
t_run "copy changed: -o LINK to a link to the old copy, no cell to change" 0 \
    cl-page --copy neutral --if-changed -o "$T/links/chain.csv" "$T/links/plain.csv"
t_eq "copy changed: ... the old copy removed, both links kept" \
    "$(readlink "$T/links/chain.csv" "$T/links/link.csv"; ls "$T/links" | grep -c '^old')" \
    "link.csv
old.csv
0"
t_run "copy changed: -o LINK naming no file, a copy to write" 0 \
    cl-page --copy neutral --if-changed -o "$T/links/link.csv" "$T/links/cell.csv"
t_eq "copy changed: ... written where the link names, the link kept" \
    "$(readlink "$T/links/link.csv"; cmp "$T/links/old.csv" "$T/links/cell-full.csv" && echo same)" \
    "old.csv
same"
mkdir "$T/links/dir"
ln -s ../old.csv "$T/links/dir/plain.csv"
t_run "copy changed: -o FOLDER, a link there under FILE's name, no cell to change" 0 \
    cl-page --copy neutral --if-changed -o "$T/links/dir" "$T/links/plain.csv"
t_eq "copy changed: ... the old copy it names removed, the link kept" \
    "$(readlink "$T/links/dir/plain.csv"; ls "$T/links" | grep -c '^old')" "../old.csv
0"

# ---- an old copy that cannot be removed: an error naming it, and the old
# copy left as it was. Root may remove from a read-only folder, and the
# temporary is made beside the old copy: an immutable file (chattr +i,
# which root may set where the file system has it) is the one that refuses.
echo old > "$T/kept-n.csv"
ln -s kept-n.csv "$T/kept-link.csv"
if chattr +i "$T/kept-n.csv" 2> /dev/null; then
    t_run "copy changed: an old copy that cannot be removed" 1 \
        cl-page --copy neutral --if-changed -o "$T/kept-link.csv" "$T/plain.csv"
    chattr -i "$T/kept-n.csv"
    t_eq "copy changed: ... said, naming the file the link leads to, with the system's words" \
        "$(sed 's/: [^:]*$//' "$T/err")" "cl-page: cannot remove $T/kept-n.csv"
    t_eq "copy changed: ... the old copy as it was, the link, no temporary" \
        "$(cat "$T/kept-n.csv"; readlink "$T/kept-link.csv"; ls "$T" | grep -c '^kept-n')" "old
kept-n.csv
1"
else
    ok "copy changed: SKIPPED: no chattr +i here to make an old copy that cannot be removed"
fi

# ---- a descriptor named as a file (/dev/fd/1: standard output, here a
# regular file) always gets the copy, as standard output does: the copy
# would be the file's bytes, but there is no file of ours to leave as it
# was, and the name is never one to remove (it once was: "cannot remove
# /dev/fd/1", no copy; as root, /dev/stdout itself would have gone)
printf 'a,b\n1,2\n' > "$T/same.csv"
t_run "copy changed: -o /dev/fd/1, standard output a file: the copy written" 0 \
    cl-page --copy neutral --if-changed -o /dev/fd/1 "$T/same.csv"
t_eq "copy changed: ... the file's bytes, nothing said" "$(cat "$T/out"; cat "$T/err")" "a,b
1,2"
