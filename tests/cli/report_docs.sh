# docs/report.md: every "$ command" of its examples is run, from a folder
# where samples/ is the source tree's, and its output must be the one the
# page shows ("..." in an expected line stands for any text).
. "$CL_TESTS/lib.sh"
doc="$CL_TESTS/../docs/report.md"
ln -s "$(cd "$SAMPLES" && pwd)" "$T/samples"
awk -v dir="$T" '
    /^```/ { inblock = !inblock; if (!inblock) cur = 0; next }
    inblock && /^\$ / { n++; cur = n; print substr($0, 3) > (dir "/cmd." n); printf "" > (dir "/exp." n); next }
    inblock && cur { print > (dir "/exp." cur) }' "$doc"
i=1
while [ -f "$T/cmd.$i" ]; do
    cmd=$(cat "$T/cmd.$i")
    case $cmd in
        export*) i=$((i + 1)); continue ;;
    esac
    got=$(cd "$T" && sh -c "$cmd" 2>&1)
    want=$(cat "$T/exp.$i")
    case $want in
        *...*)
            pattern=$(printf '%s' "$want" | sed 's/\.\.\./*/g')
            # shellcheck disable=SC2254
            case $got in $pattern) ok "docs/report.md: $cmd" ;; *) fail "docs/report.md: $cmd" "got:  $got" "want: $want" ;; esac ;;
        *) t_eq "docs/report.md: $cmd" "$got" "$want" ;;
    esac
    i=$((i + 1))
done
t_eq "docs/report.md: the examples ran" "$([ "$i" -gt 6 ] && echo yes)" yes
