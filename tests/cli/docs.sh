# Docs cannot drift: each program's --help and its man page list the same
# long options; every man page formats without warnings.
. "$CL_TESTS/lib.sh"
docs="$CL_TESTS/../docs"
for bin in "$CL_BIN"/cl-*; do
    name=$(basename "$bin")
    page="$docs/$name.1"
    if [ ! -f "$page" ]; then fail "docs: $name has a man page"; continue; fi
    ok "docs: $name has a man page"
    warnings=$(nroff -man -ww "$page" 2>&1 >/dev/null)
    t_eq "docs: $name.1 formats without warnings" "$warnings" ""
    "$bin" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u > "$T/help"
    # the options section only: examples may show other programs' options
    awk '/^\.SH/ { on = ($0 ~ /OPTIONS/) } on' "$page" | sed 's/\\-/-/g; s/\\f[BIR]//g' | grep -o -- '--[a-z][a-z0-9-]*' | sort -u > "$T/man"
    missing=$(comm -23 "$T/help" "$T/man" | tr '\n' ' ')
    extra=$(comm -13 "$T/help" "$T/man" | tr '\n' ' ')
    t_eq "docs: every option of $name --help is in $name.1" "$missing" ""
    t_eq "docs: every option of $name.1 is in $name --help" "$extra" ""
    grep -q '^\.SH EXIT STATUS' "$page" && ok "docs: $name.1 has EXIT STATUS" || fail "docs: $name.1 has EXIT STATUS"
done

# usage errors read the same in every program: one line naming the option
for bin in "$CL_BIN"/cl-*; do
    name=$(basename "$bin")
    case "$name" in cl-plot) pre=pareto ;; *) pre= ;; esac
    "$bin" $pre --no-such-option > /dev/null 2> "$T/err"
    rc=$?
    t_eq "usage: $name --no-such-option exits 2" "$rc" "2"
    t_eq "usage: $name --no-such-option says which, then the hint" "$(cat "$T/err")" \
        "$name: unknown option --no-such-option
Try '$name --help'."
done

# the guides name only test files that exist
for doc in "$CL_TESTS"/../docs/*.md "$CL_TESTS"/../README.md; do
    for f in $(grep -o 'tests/[a-z_/.-]*\.\(sh\|py\|c\)' "$doc" | sort -u); do
        [ -e "$CL_TESTS/../$f" ] && ok "docs: $(basename "$doc") names $f, which exists" ||
            fail "docs: $(basename "$doc") names $f, which does not exist"
    done
done
# one man page header: the same centre, footer and date on every page
t_eq "docs: every man page has the same .TH footer, date and centre" \
    "$(sed -n 's/^\.TH [A-Z-]* 1 //p' "$CL_TESTS"/../docs/*.1 | sort -u | wc -l | tr -d ' ')" "1"
# no words glued by a markup macro ("cl-pareto--group"): .RB alternates
# bold and roman with no space between its arguments
for page in "$CL_TESTS"/../docs/*.1; do
    t_eq "docs: $(basename "$page") has no option glued to a word" \
        "$(nroff -man "$page" 2>/dev/null | col -b | grep -oE '[a-z0-9)]--[a-z]{2,}' | head -3 | tr '\n' ' ')" ""
done
# the version of every man page is the suite's (the file VERSION), as
# every program's --version says it
version=$(cat "$CL_TESTS/../VERSION")
for page in "$CL_TESTS"/../docs/*.1; do
    t_eq "docs: $(basename "$page") is the manual of clientele $version (VERSION)" \
        "$(sed -n '1s/^\.TH [A-Z-]* 1 "[^"]*" "\([^"]*\)".*/\1/p' "$page")" "clientele $version"
done
for bin in "$CL_BIN"/cl-*; do
    t_eq "docs: $(basename "$bin") --version says VERSION" \
        "$("$bin" --version | head -1 | sed 's/.* //')" "$version"
done
