# "," as a thousands separator with a decimal point, and "." with a decimal
# comma, decided on the whole column (issue 14): a value ambiguous where it
# is read ("12,345") takes the mark a later value of its column tells
# ("1.5": a point, "1,5": a comma); a column where nothing tells is an
# error naming the line, never a guess. Expected values by hand.
. "$CL_TESTS/lib.sh"

printf 'customer,date,amount\nA,2024-01-01,"1,234.56"\nB,2024-01-02,"12,345"\nB,2024-01-03,1.5\n' \
  > "$T/told-first.csv"
t_run "numbers: 1,234.56 tells a point, then 12,345" 0 cl-rollup "$T/told-first.csv"
t_eq "numbers: ... A 1234.56, B 12345 + 1.5 = 12346.50" "$(cut -d, -f1,2 "$T/out" | tail -n +2 | tr '\n' ' ')" \
  "A,1234.56 B,12346.50 "
# the value that tells comes after the ambiguous one
printf 'customer,date,amount\nB,2024-01-02,"12,345"\nB,2024-01-03,1.5\n' > "$T/told-late.csv"
t_run "numbers: 12,345 then 1.5" 0 cl-rollup "$T/told-late.csv"
t_eq "numbers: ... 12345 + 1.5 = 12346.5" "$(tail -1 "$T/out" | cut -d, -f1,2)" "B,12346.5"
t_eq "numbers: ... nothing said" "$(cat "$T/err")" ""
printf 'customer,date,amount\nB,2024-01-02,"12,345"\nB,2024-01-03,"1,5"\n' > "$T/comma-late.csv"
t_run "numbers: 12,345 then 1,5" 0 cl-rollup "$T/comma-late.csv"
t_eq "numbers: ... a decimal comma: 12.345 + 1.5 = 13.845" "$(tail -1 "$T/out" | cut -d, -f1,2)" \
  "B,13.845"
# quantity and price columns too: 2 × "1,250" (a point told later) + 3 × 2.5
printf 'customer,date,quantity,unit_price\nA,2024-01-01,2,"1,250"\nA,2024-01-02,3,2.50\n' \
  > "$T/price.csv"
t_run "numbers: a price column, 1,250 then 2.50" 0 cl-rollup "$T/price.csv"
t_eq "numbers: ... 2 x 1250 + 3 x 2.50 = 2507.50" "$(tail -1 "$T/out" | cut -d, -f1,2)" "A,2507.50"
# nothing tells: an error naming the line, never a guess
printf 'customer,date,amount\nB,2024-01-02,"12,345"\nB,2024-01-03,"1,234"\nC,2024-01-03,7\n' \
  > "$T/never.csv"
t_run "numbers: 12,345 and 1,234 only" 1 cl-rollup "$T/never.csv"
t_eq "numbers: ... ambiguous, said with its line" "$(cat "$T/err")" \
  "cl-rollup: $T/never.csv:2: amount \"12,345\" is ambiguous: decimal comma or thousands separator? (give --decimal-comma or --decimal-point)"
t_run "numbers: ... --decimal-point reads it" 0 cl-rollup --decimal-point "$T/never.csv"
t_eq "numbers: ... 12345 + 1234" "$(sed -n 2p "$T/out" | cut -d, -f1,2)" "B,13579"
t_run "numbers: ... --decimal-comma reads it the other way" 0 cl-rollup --decimal-comma "$T/never.csv"
t_eq "numbers: ... 12.345 + 1.234" "$(sed -n 2p "$T/out" | cut -d, -f1,2)" "B,13.579"
# a value read on a presumed point, then a comma told after the ambiguous
# one: no reading stands, the ambiguity is said
printf 'customer,date,amount\nA,2024-01-01,1.234\nB,2024-01-02,"12,345"\nC,2024-01-03,"1.234,56"\n' \
  > "$T/contradicted.csv"
t_run "numbers: 1.234, 12,345, then 1.234,56" 1 cl-rollup "$T/contradicted.csv"
t_grep "numbers: ... an error at line 3" "contradicted.csv:3: amount \"12,345\" is ambiguous" "$T/err"

# a big file, read in parallel: the telling value is the last line
{
    echo 'customer,date,amount'
    echo 'A,2024-01-01,"12,345"'
    awk 'BEGIN { for (i = 0; i < 120000; i++) printf "C%d,2024-01-%02d,%d\n", i % 500, i % 28 + 1, i % 97 }'
    echo 'Z,2024-02-01,1.5'
} > "$T/big.csv"
t_run "numbers: 12,345 at line 2 of 2.2 MB, 1.5 at the end, 2 threads" 0 \
  cl-rollup --threads 2 "$T/big.csv"
t_eq "numbers: ... A 12345.0, Z 1.5" "$(grep -E '^(A|Z),' "$T/out" | cut -d, -f1,2 | tr '\n' ' ')" \
  "A,12345.0 Z,1.5 "
# the total against awk, which reads the same numbers its own way
want=$(awk -F, 'NR > 2 { s += $3 } END { printf "%.1f", s + 12345 }' "$T/big.csv")
t_eq "numbers: ... the revenue adds up as awk's" \
  "$(awk -F, 'NR > 1 { s += $2 } END { printf "%.1f", s }' "$T/out")" "$want"
t_run "numbers: cl-cohort, the same file" 0 cl-cohort "$T/big.csv"
t_eq "numbers: ... its first month's revenue" "$(sed -n 2p "$T/out" | cut -d, -f6)" \
  "$(awk -F, 'NR > 2 && $2 ~ /^2024-01/ { s += $3 } END { printf "%.1f", s + 12345 }' "$T/big.csv")"

# the per-client programs decide the mark on the whole column as well
printf 'customer,revenue\nA,"12,345"\nB,1.5\n' > "$T/clients.csv"
t_run "numbers: cl-pareto, 12,345 then 1.5" 0 cl-pareto "$T/clients.csv"
t_eq "numbers: ... A's share is 12345 / 12346.5" "$(sed -n 2p "$T/out" | awk -F, '{ print $(NF - 3) }')" \
  "$(awk 'BEGIN { printf "%.17g", 12345 / 12346.5 }')"
printf 'customer,revenue\nA,"12,345"\nB,"1,234"\n' > "$T/clients-never.csv"
t_run "numbers: cl-pareto, nothing tells" 1 cl-pareto --strict "$T/clients-never.csv"

# the slash-date order is decided on the whole column, past the first MiB
{
    echo 'customer,date,amount'
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "C%d,%d/%d/2019,1.00\n", i % 500, i % 12 + 1, i % 12 + 1 }'
    echo 'Z,3/25/2019,1.00'
} > "$T/us-late.csv"
t_run "dates: a 1.9 MB US file whose only day over 12 is the last line" 0 cl-rollup "$T/us-late.csv"
t_eq "dates: ... read month first" "$(grep '^Z,' "$T/out" | cut -d, -f1,6)" "Z,2019-03-25"
