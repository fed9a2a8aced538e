# The examples of docs/score.md are run: in each ``` block, a line
# "$ COMMAND" is run (from a folder where samples/ is the project's) and
# the lines after it, up to the next command or the end of the block, are
# its expected output.
. "$CL_TESTS/lib.sh"
doc="$CL_TESTS/../docs/score.md"
mkdir "$T/run" && ln -s "$SAMPLES" "$T/run/samples"
awk -v dir="$T" '
    /^```/ { inblock = !inblock; next }
    !inblock { next }
    /^\$ / { n++; print substr($0, 3) > (dir "/cmd." n); printf "" > (dir "/want." n); next }
    n { print > (dir "/want." n) }' "$doc"
count=0
for cmd in "$T"/cmd.*; do
    [ -f "$cmd" ] || continue
    i=${cmd##*.}
    count=$((count + 1))
    (cd "$T/run" && sh "$cmd" > "$T/got.$i" 2> "$T/err.$i")
    t_file_eq "docs/score.md example $i: $(head -c 60 "$cmd")" "$T/got.$i" "$T/want.$i"
done
[ "$count" -ge 5 ] && ok "docs/score.md: $count examples found" || fail "docs/score.md: only $count examples found"
