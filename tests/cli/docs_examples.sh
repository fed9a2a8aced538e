# The examples of the guides in docs/ are run. In each ``` block of a
# guide that has the line "<!-- examples: run by the tests -->", a line
# "$ COMMAND" is run (from a folder where samples/ is the project's) and
# the lines after it, up to the next command or the end of the block, are
# its expected output (a block without a command is only shown).
. "$CL_TESTS/lib.sh"
mkdir "$T/run" && ln -s "$SAMPLES" "$T/run/samples"
for doc in "$CL_TESTS"/../docs/*.md; do
    grep -q '^<!-- examples: run by the tests -->$' "$doc" || continue
    name="docs/$(basename "$doc")"
    rm -f "$T"/cmd.* "$T"/want.*
    awk -v dir="$T" '
        /^```/ { inblock = !inblock; cur = 0; next }
        !inblock { next }
        /^\$ / { cur = ++n; print substr($0, 3) > (dir "/cmd." n); printf "" > (dir "/want." n)
                 next }
        cur { print > (dir "/want." cur) }' "$doc"
    count=0
    i=0
    while [ -f "$T/cmd.$((i + 1))" ]; do     # in order: a later example may use an earlier's file
        i=$((i + 1))
        cmd="$T/cmd.$i"
        count=$((count + 1))
        (cd "$T/run" && sh "$cmd" > "$T/got.$i" 2> "$T/err.$i")
        t_file_eq "$name example $i: $(head -c 60 "$cmd")" "$T/got.$i" "$T/want.$i"
    done
    [ "$count" -ge 1 ] && ok "$name: $count examples run" || fail "$name: no example found"
done
