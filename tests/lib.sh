# Helpers for the command-line test scripts (tests/cli/*.sh), sourced.
# Each check prints "ok - name" or "not ok - name" and details as "# ...".
# T is a fresh scratch folder, removed at exit. $CL_TESTS is tests/.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SAMPLES="$CL_TESTS/../samples"

ok()   { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# t_eq NAME ACTUAL EXPECTED
t_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got:      $2" "expected: $3"; fi
}

# t_run NAME EXPECTED_RC COMMAND...: runs it, stdout in $T/out, stderr in $T/err
t_run() {
    _name=$1; _rc=$2; shift 2
    "$@" > "$T/out" 2> "$T/err"
    _got=$?
    if [ "$_got" = "$_rc" ]; then ok "$_name"; else
        fail "$_name" "exit $_got, expected $_rc" "stderr: $(head -c 400 "$T/err")"; fi
}

# t_file_eq NAME FILE EXPECTED_FILE
t_file_eq() {
    if cmp -s "$2" "$3"; then ok "$1"; else
        fail "$1" "$(diff "$3" "$2" | head -10 | tr '\n' '|')"; fi
}

# t_grep NAME PATTERN FILE: the file has a line matching the fixed string
t_grep() {
    if grep -qF -- "$2" "$3"; then ok "$1"; else
        fail "$1" "no \"$2\" in $3:" "$(head -c 300 "$3")"; fi
}

# t_close NAME A B TOL: |A - B| <= TOL
t_close() {
    if awk -v a="$2" -v b="$3" -v t="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t) }'; then
        ok "$1"; else fail "$1" "got $2, expected $3 (tolerance $4)"; fi
}

# suite_beside DIR: a copy of cl-report in DIR (it puts its own folder first
# in PATH) and the other programs linked there, for a test to replace one
suite_beside() {
    mkdir -p "$1"
    cp "$CL_BIN/cl-report" "$1/"
    for _p in "$CL_BIN"/cl-*; do
        [ -e "$1/$(basename "$_p")" ] || ln -s "$_p" "$1/$(basename "$_p")"
    done
}

# parts_same A.xlsx B.xlsx: "same" when both workbooks hold the same parts,
# byte for byte once unzipped (CRCs checked), save the creation time;
# else what differs
parts_same() {
    "${PYTHON:-python3}" - "$1" "$2" <<'PYEOF'
import re, sys, zipfile
a, b = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2])
if a.namelist() != b.namelist():
    print("names:", a.namelist(), b.namelist()); sys.exit()
stamp = re.compile(rb'<dcterms:(created|modified)[^<]*<')
for n in a.namelist():
    x, y = a.read(n), b.read(n)
    if n == 'docProps/core.xml':
        x, y = stamp.sub(b'', x), stamp.sub(b'', y)
    if x != y:
        print("differs:", n); sys.exit()
print("same")
PYEOF
}
