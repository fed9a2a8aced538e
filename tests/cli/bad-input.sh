# The bad-input catalogue (tests/bad-input/): every case against every
# program that reads that kind of input, with its exit status, its message
# to the letter, and no output file left behind after a failure.
. "$CL_TESTS/lib.sh"
src="$CL_TESTS/bad-input"
work="$T/work"
mkdir -p "$work"
cp "$src"/*.csv "$work"/
cd "$work" || exit 1
# the two big cases are made here rather than kept in the repository
{ echo "customer,date,revenue,orders"; printf 'A,2024-01-01,'; head -c 10485760 /dev/zero | tr '\0' 7; echo ',1'; } > big-field.csv
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "%sc%d", (i > 1 ? "," : ""), i; print "" }' > wide-header.csv

while IFS='|' read -r program input rc message; do
    case "$program" in ''|'#'*) continue ;; esac
    program=$(echo "$program" | sed 's/ *$//')
    input=$(echo "$input" | tr -d ' ')
    rc=$(echo "$rc" | tr -d ' ')
    message=$(echo "$message" | sed 's/^ //')
    case "$program" in cl-plot*) out=out.png ;; *) out=out.csv ;; esac
    name="bad input: $program $input"
    # word splitting of $program is wanted: a program and its options
    $program -o "$out" "$input" > stdout 2> stderr
    got=$?
    got_message=$(awk 'NR > 1 { printf " // " } { printf "%s", $0 }' stderr)
    if [ "$got" != "$rc" ]; then
        fail "$name: exit $rc" "exit $got" "stderr: $got_message"
    elif [ "$got_message" != "$message" ]; then
        fail "$name: message" "got:      $got_message" "expected: $message"
    elif [ "$rc" != 0 ] && ls | grep -q '^out'; then
        fail "$name: no output left behind" "$(ls | grep '^out')"
    elif [ "$rc" = 0 ] && [ ! -s "$out" ]; then
        fail "$name: the output was written"
    else
        ok "$name: exit $rc, message, output"
    fi
    rm -f out* stdout stderr
done < "$src/cases"

# negative quantities are returns: they count in the net revenue
cl-rollup sales-negative-quantities.csv > net.csv 2>/dev/null
t_eq "bad input: negative quantities are returns (10x2 - 4x2 = 12; -3x5 = -15)" \
    "$(cut -d, -f1,2,3 net.csv | tr '\n' ' ')" "customer,revenue,quantity 10001.0,12.00,6 10002.0,-15.00,-3 "
