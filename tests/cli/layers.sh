# The shape of the source (lib/README.md): the include graph of lib/ and
# tools/ has no cycle between modules (a module is name.h + name.c); lib/
# never includes a tools/ header; every .c opens with a comment saying what
# it is for; no line of their C or shell files is wider than 100 columns.
. "$CL_TESTS/lib.sh"
src="$CL_TESTS/.."

# edges "includer included" between modules, from #include "x.h" lines
edges() {   # files...
    for f in "$@"; do
        m=$(basename "$f"); m=${m%.[ch]}
        sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)\.h".*/\1/p' "$f" |
            while read -r inc; do
                inc=$(basename "$inc")
                [ "$inc" = "$m" ] || echo "$m $inc"
            done
    done
}
# a loop in the edges read on stdin: tsort names it on stderr
loop_in() {
    tsort > /dev/null 2> "$T/tsort"
    [ -s "$T/tsort" ]
}

edges "$src"/lib/*.[ch] "$src"/tools/*.[ch] > "$T/edges"
t_eq "layers: the include graph has edges (the reader works)" \
    "$(grep -c . "$T/edges" | awk '{ print ($1 > 50) }')" "1"
if loop_in < "$T/edges"; then
    fail "layers: no include cycle between modules of lib/ and tools/" "$(cat "$T/tsort")"
else
    ok "layers: no include cycle between modules of lib/ and tools/"
fi
# the check itself finds a cycle when there is one (scan.c including
# csvin.h, as csvio once did)
mkdir -p "$T/fake"
printf '#include "csvin.h"\n' > "$T/fake/scan.c"
{ cat "$T/edges"; edges "$T/fake/scan.c"; } > "$T/edges2"
if loop_in < "$T/edges2"; then ok "layers: a made-up cycle (scan -> csvin -> scan) is found"
else fail "layers: a made-up cycle (scan -> csvin -> scan) is found"; fi

# the layers of lib/README.md: every module of lib/ is in its table, and
# includes only modules of its own layer or of the layers listed before it
awk '/<!-- layers/ { on = 1; next } /<!-- end of layers/ { on = 0 }
     on && /^\| [a-z]/ && !/^\| layer/ {
         n++; split($0, cell, "|"); m = split(cell[3], mods, " ")
         for (i = 1; i <= m; i++) print mods[i], n
     }' "$src/lib/README.md" > "$T/layers"
t_eq "layers: lib/README.md's table lists the layers (the reader works)" \
    "$(awk '{ print $2 }' "$T/layers" | sort -u | tr '\n' ' ')" "1 2 3 4 "
unlisted=$(for f in "$src"/lib/*.[ch]; do m=$(basename "$f"); echo "${m%.[ch]}"; done | sort -u |
    while read -r m; do grep -q "^$m " "$T/layers" || echo "$m"; done | tr '\n' ' ')
t_eq "layers: every module of lib/ is in lib/README.md's table" "$unlisted" ""
check_layers() {    # edges on stdin: the includes that go down a layer
    awk 'NR == FNR { layer[$1] = $2; next }
         ($1 in layer) && ($2 in layer) && layer[$2] > layer[$1] {
             print $1 " (" layer[$1] ") includes " $2 " (" layer[$2] ")" }' "$T/layers" -
}
edges "$src"/lib/*.[ch] > "$T/lib_edges"
t_eq "layers: no module of lib/ includes one of a later layer" \
    "$(check_layers < "$T/lib_edges" | tr '\n' ';')" ""
t_eq "layers: the layer check finds parse including csvout (made up)" \
    "$(echo "parse csvout" | check_layers)" "parse (1) includes csvout (2)"

# lib/ never includes a tools/ header
tools_headers=$(cd "$src/tools" && ls *.h | sed 's/\.h$//' | tr '\n' '|')
bad=$(edges "$src"/lib/*.[ch] | awk -v t="|$tools_headers" '
    BEGIN { n = split(t, h, "|"); for (i = 1; i <= n; i++) if (h[i] != "") is[h[i]] = 1 }
    is[$2] { print $1 " includes " $2 ".h" }')
t_eq "layers: lib/ includes no tools/ header" "$bad" ""

# every .c says what it is for, first thing
missing=""
for f in "$src"/lib/*.c "$src"/tools/*.c; do
    head -1 "$f" | grep -q '^/\* [a-z0-9_.-]* — ' || missing="$missing $(basename "$f")"
done
t_eq "layers: every .c of lib/ and tools/ opens with a 'name — what it is for' comment" \
    "$missing" ""

# lines within 100 columns (characters, not bytes); of the shell scripts,
# tools/ only (tests/ has hundreds of longer lines)
wide=$(for f in "$src"/lib/*.[ch] "$src"/tools/*.[ch] "$src"/tools/*.sh; do
    LC_ALL=C.UTF-8 awk -v f="$(basename "$f")" 'length($0) > 100 { print f ":" FNR }' "$f"
done | head -20 | tr '\n' ' ')
t_eq "layers: no line of lib/ or tools/ (.c, .h, .sh) is wider than 100 columns" "$wide" ""
