# No silent wrong result, and no data reaching the terminal raw (issue 13):
# each check here failed before its fix.
. "$CL_TESTS/lib.sh"

# ---- header names reach stderr escaped ---------------------------------
printf 'who\033[2J,date,amount\nC1,2024-01-02,10\n' > "$T/esc-header.csv"
printf 'who\302\233,segment,effective,ncr,clients\nC1,a,10,1,2\n' > "$T/c1-header.csv"
for prog in "cl-rollup" "cl-pareto" "cl-score --grid revenue=1" "cl-kmeans --features revenue --k 1" \
            "cl-plot pareto" "cl-share"; do
    $prog "$T/esc-header.csv" > /dev/null 2> "$T/err"
    if LC_ALL=C grep -q "$(printf '\033')" "$T/err"; then
        fail "silent: ${prog%% *}: an ESC in a header name is not written to stderr raw" "$(cat -v "$T/err")"
    else ok "silent: ${prog%% *}: an ESC in a header name is not written to stderr raw"; fi
    $prog "$T/c1-header.csv" > /dev/null 2> "$T/err"
    if LC_ALL=C grep -q "$(printf '\302\233')" "$T/err"; then
        fail "silent: ${prog%% *}: a C1 CSI in a header name is not written raw" "$(cat -v "$T/err")"
    else ok "silent: ${prog%% *}: a C1 CSI in a header name is not written raw"; fi
done
cl-rollup "$T/esc-header.csv" > /dev/null 2> "$T/err"
t_grep "silent: the header is shown escaped in the column list" '"who\x1b[2J"' "$T/err"

# ---- --asof before the last sale ----------------------------------------
printf 'customer,date,amount\nC1,2024-01-10,10\nC2,2024-03-02,5\n' > "$T/asof.csv"
t_run "silent: --asof before the last sale is an error" 1 cl-rollup --asof 2024-02-01 "$T/asof.csv"
t_eq "silent: --asof before the last sale: the message" "$(cat "$T/err")" \
  "cl-rollup: --asof 2024-02-01 is before the last sale kept (2024-03-02): recencies would be negative; give a later --asof, or --to 2024-01-31 to leave the later sales out"
t_eq "silent: --asof before the last sale writes nothing" "$(cat "$T/out")" ""
t_run "silent: --asof on the last sale's day is fine (recency 0)" 0 cl-rollup --asof 2024-03-02 "$T/asof.csv"
t_eq "silent: --asof on the last sale's day: recency 0" \
  "$(awk -F, '$1 == "C2" { print $8 }' "$T/out")" "0"
t_run "silent: --asof with --to leaving the later sales out" 0 \
  cl-rollup --asof 2024-02-01 --to 2024-01-31 "$T/asof.csv"

# ---- cl-pareto --previous with keys written differently ----------------
awk 'BEGIN { print "customer,revenue"; for (i = 1; i <= 30; i++) printf "%d,%d\n", 12400 + i, i * 10 }' \
    > "$T/now.csv"
awk 'BEGIN { print "customer,revenue"; for (i = 1; i <= 30; i++) printf "%d.0,%d\n", 12400 + i, i * 10 }' \
    > "$T/then-rollup.csv"
cl-pareto "$T/then-rollup.csv" > "$T/then.csv"
t_run "silent: --previous with no key in common still runs" 0 cl-pareto --previous "$T/then.csv" "$T/now.csv"
t_grep "silent: --previous with no key in common warns" \
  'then.csv: only 0 of its 30 clients are among the 30 here: are the keys written the same way ("12401.0" there,' "$T/err"
cl-pareto "$T/now.csv" > "$T/then-same.csv"
t_run "silent: --previous with the same keys" 0 cl-pareto --previous "$T/then-same.csv" "$T/now.csv"
t_eq "silent: --previous with the same keys says nothing" "$(cat "$T/err")" ""
# one client in common out of 30: under 5%
awk 'NR == 1 || NR == 2 { print; next } { sub(/^/, "x") } 1' "$T/then-same.csv" > "$T/then-one.csv"
cl-pareto --previous "$T/then-one.csv" "$T/now.csv" > /dev/null 2> "$T/err"
t_grep "silent: --previous with 1 key of 30 in common warns" "only 1 of its 30 clients" "$T/err"
# 2 of 30 in common is 6.7%: believed
awk 'NR <= 3 { print; next } { sub(/^/, "x") } 1' "$T/then-same.csv" > "$T/then-two.csv"
cl-pareto --previous "$T/then-two.csv" "$T/now.csv" > /dev/null 2> "$T/err"
t_eq "silent: --previous with 2 keys of 30 in common says nothing" "$(cat "$T/err")" ""

# ---- the key separator 0x1F (and every control byte) in an id ----------
# "C1<US>A" in segment B and "C1" in segment "A<US>B" made the same key
printf 'customer,date,amount,segment\n"C1\037A",2024-01-02,10,B\nC1,2024-01-03,5,"A\037B"\nC2,2024-01-04,7,B\n' \
    > "$T/us.csv"
t_run "silent: an id holding 0x1F is rejected" 0 cl-rollup --group segment "$T/us.csv"
t_eq "silent: 0x1F ids: only the clean line is rolled up" "$(cut -d, -f1-3 "$T/out")" \
  "customer,segment,revenue
C2,B,7"
t_eq "silent: 0x1F ids: counted with their reason" "$(cat "$T/err")" \
  "cl-rollup: 2 of 3 lines rejected: 2 control character in an id (--rejects FILE keeps them)"
t_run "silent: an id holding 0x1F with --strict names the line" 1 cl-rollup --strict --group segment "$T/us.csv"
t_eq "silent: 0x1F with --strict: the message" "$(cat "$T/err")" \
  "cl-rollup: $T/us.csv:2: control character in an id"
cat "$T/us.csv" | cl-rollup --group segment - > "$T/out" 2> "$T/err"
t_eq "silent: 0x1F ids from standard input (sequential reader) too" "$(cut -d, -f1 "$T/out" | tr '\n' ' ')" \
  "customer C2 "

# ---- ids trimmed of surrounding spaces ---------------------------------
printf 'customer,date,amount\nC001,2024-01-02,10\n"C001 ",2024-01-03,5\nC001\302\240,2024-01-04,7\n" C001",2024-01-05,1\nC002,2024-01-05,2\n' \
    > "$T/spaces.csv"
cl-rollup --stats "$T/stats.csv" "$T/spaces.csv" > "$T/out" 2> "$T/err"
t_eq "silent: padded ids are one customer (file)" "$(cut -d, -f1-2 "$T/out")" \
  "customer,revenue
C001,23
C002,2"
t_eq "silent: trimmed ids are counted on stderr" "$(cat "$T/err")" \
  "cl-rollup: 3 of 5 lines had spaces around the customer id or a --group value, trimmed (--keep-spaces keeps them)"
t_eq "silent: trimmed ids are counted in --stats" "$(awk -F, '$1 == "ids_trimmed" { print $2 }' "$T/stats.csv")" "3"
cl-rollup - < "$T/spaces.csv" > "$T/out2" 2> /dev/null
t_file_eq "silent: padded ids are one customer (standard input)" "$T/out2" "$T/out"
cl-rollup --keep-spaces "$T/spaces.csv" > "$T/out" 2> "$T/err"
t_eq "silent: --keep-spaces keeps them apart" "$(wc -l < "$T/out" | tr -d ' ')" "6"
t_eq "silent: --keep-spaces says nothing" "$(cat "$T/err")" ""
printf 'customer,date,amount,segment\nC1,2024-01-02,10,Retail\nC1,2024-01-03,5,"Retail "\n' > "$T/by-spaces.csv"
t_eq "silent: --group values are trimmed too" "$(cl-rollup --group segment "$T/by-spaces.csv" 2>/dev/null | cut -d, -f1-3)" \
  "customer,segment,revenue
C1,Retail,15"
printf 'customer,date,amount\n\302\240,2024-01-02,10\nC1,2024-01-02,1\n' > "$T/nbsp-only.csv"
cl-rollup "$T/nbsp-only.csv" > /dev/null 2> "$T/err"
t_eq "silent: an id of spaces only is no id" "$(cat "$T/err")" \
  "cl-rollup: 1 of 2 lines rejected: 1 no customer id (--rejects FILE keeps them)"

# ---- the keyed hash: every process has its own key, outputs never change --
awk 'BEGIN { print "customer,invoice,date,amount,segment"
             for (i = 0; i < 20000; i++) printf "K%d,%d,2024-%02d-%02d,%d.%02d,s%d\n",
                 (i * 7919) % 12007, i, 1 + i % 12, 1 + i % 28, 1 + i % 97, i % 100, i % 13 }' \
    > "$T/many.csv"
cl-rollup --group segment "$T/many.csv" > "$T/run1.csv"
cl-rollup --group segment "$T/many.csv" > "$T/run2.csv"
cl-rollup --threads 3 --group segment - < "$T/many.csv" > "$T/run3.csv"
t_file_eq "silent: two runs (two hash keys) write the same roll-up" "$T/run2.csv" "$T/run1.csv"
t_file_eq "silent: the sequential reader writes the same roll-up" "$T/run3.csv" "$T/run1.csv"
t_eq "silent: the roll-up is sorted by key, not by hash" \
  "$(cut -d, -f1,2 "$T/run1.csv" | tail -n +2 | LC_ALL=C sort -c && echo sorted)" "sorted"
cl-pareto --group segment "$T/run1.csv" > "$T/p1.csv"
cl-pareto --group segment "$T/run1.csv" > "$T/p2.csv"
t_file_eq "silent: two cl-pareto runs write the same bytes" "$T/p2.csv" "$T/p1.csv"
awk 'BEGIN { print "segment,effective,ncr"; for (i = 12; i >= 0; i--) printf "s%d,50000,100\n", i }' \
    > "$T/market13.csv"
cl-share --clients "$T/run1.csv" --segment segment "$T/market13.csv" > "$T/s1.csv"
cl-share --clients "$T/run1.csv" --segment segment "$T/market13.csv" > "$T/s2.csv"
t_eq "silent: cl-share counts the clients per segment" "$(awk -F, '$1 == "s0" { print $2 }' "$T/s1.csv")" \
  "$(awk -F, 'NR > 1 && $2 == "s0"' "$T/run1.csv" | wc -l | tr -d ' ')"
t_file_eq "silent: two cl-share runs (segment map) write the same bytes" "$T/s2.csv" "$T/s1.csv"

# ---- the decimal mark: no reading a later line contradicts --------------
printf 'customer\tdate\tamount\nC1\t2024-01-02\t1.234\nC2\t2024-01-03\t1.234,56\nC3\t2024-01-04\t1.234\n' \
    > "$T/mark.tsv"
mark_msg='amount "1.234,56" has a decimal comma, but line 2 read "1.234" with a decimal point (give --decimal-comma or --decimal-point)'
t_run "silent: mark: cl-rollup stops on 1.234 then 1.234,56 (file)" 1 cl-rollup "$T/mark.tsv"
t_eq "silent: mark: cl-rollup names both lines" "$(cat "$T/err")" "cl-rollup: $T/mark.tsv:3: $mark_msg"
t_run "silent: mark: cl-rollup stops on it from standard input too" 1 sh -c "cl-rollup - < '$T/mark.tsv'"
t_eq "silent: mark: ... the same message" "$(cat "$T/err")" "cl-rollup: stdin:3: $mark_msg"
t_run "silent: mark: with --decimal-comma it reads" 0 cl-rollup --decimal-comma "$T/mark.tsv"
t_eq "silent: mark: 1.234 / 1.234,56 / 1.234 with a comma: 1234, 1234.56, 1234" \
  "$(cut -d, -f1,2 "$T/out" | tail -n +2 | tr '\n' ' ')" "C1,1234.00 C2,1234.56 C3,1234.00 "
printf 'customer,date,amount\nC1,2024-01-02,12.50\nC2,2024-01-03,"1,5"\n' > "$T/mark2.csv"
t_run "silent: mark: cl-rollup stops on 1,5 after 12.50" 1 cl-rollup "$T/mark2.csv"
t_eq "silent: mark: ... naming the line that told" "$(cat "$T/err")" \
  "cl-rollup: $T/mark2.csv:3: amount \"1,5\" has a decimal comma, but line 2 (\"12.50\") has a decimal point (give --decimal-comma or --decimal-point)"
# a told comma early, "1.234" everywhere after: read in parallel ranges that
# each see only "1.234", it must still be 1234, as one thread reads it
awk 'BEGIN { print "customer\tdate\tamount"; print "C0\t2024-01-01\t1,5"
             for (i = 1; i < 40000; i++) printf "C%d\t2024-01-%02d\t1.234\n", i % 50, 1 + i % 28 }' \
    > "$T/mark-big.tsv"
cl-rollup --threads 1 "$T/mark-big.tsv" > "$T/one.csv" 2> "$T/err1"
cl-rollup --threads 4 "$T/mark-big.tsv" > "$T/four.csv" 2> "$T/err4"
t_file_eq "silent: mark: 4 threads read as 1 thread does" "$T/four.csv" "$T/one.csv"
t_eq "silent: mark: 1.234 after a told comma is 1234 (C1: 800 lines)" \
  "$(awk -F, '$1 == "C1" { print $2 }' "$T/one.csv")" "987200.0"
# the same rule in the per-client programs
printf 'customer\trevenue\nA\t1.234\nB\t1.234,56\nC\t1.234\n' > "$T/mark-clients.tsv"
t_run "silent: mark: cl-pareto stops on 1.234 then 1.234,56" 1 cl-pareto "$T/mark-clients.tsv"
t_eq "silent: mark: cl-pareto names both lines" "$(cat "$T/err")" \
  "cl-pareto: $T/mark-clients.tsv:3: revenue \"1.234,56\" has a decimal comma, but line 2 read \"1.234\" with a decimal point (give --decimal-comma or --decimal-point)"
t_run "silent: mark: cl-score stops on it" 1 cl-score --grid revenue=1 "$T/mark-clients.tsv"
t_grep "silent: mark: cl-score names both lines" "mark-clients.tsv:3: revenue \"1.234,56\" has a decimal comma, but line 2 read" "$T/err"
printf 'customer\trevenue\torders\nA\t1.234\t1\nB\t1.234,56\t2\nC\t1.234\t3\nD\t2\t4\n' > "$T/mark-k.tsv"
t_run "silent: mark: cl-kmeans stops on it" 1 cl-kmeans --features revenue,orders --k 2 "$T/mark-k.tsv"
t_grep "silent: mark: cl-kmeans names both lines" "mark-k.tsv:3: revenue \"1.234,56\" has a decimal comma, but line 2 read" "$T/err"
printf 'customer\trevenue\nA\t12.50\nB\t1.234,5\n' > "$T/mark-told.tsv"
t_run "silent: mark: cl-pareto stops on 1.234,5 after 12.50" 1 cl-pareto "$T/mark-told.tsv"
cl-pareto "$T/mark-clients.tsv" > /dev/null 2>&1 || true
printf 'customer\trank\tshare\tcum_share\tcum_clients_share\tclass\nA\t1\t0.5\t0.5\t0.333\tA\nB\t2\t0,3\t0.8\t0.667\tB\nC\t3\t0.2\t1\t1\tC\n' \
    > "$T/mark-plot.tsv"
t_run "silent: mark: cl-plot stops on 0,3 after 0.5 (a tab file)" 1 cl-plot pareto -o "$T/p.png" "$T/mark-plot.tsv"
t_grep "silent: mark: cl-plot names both lines" "mark-plot.tsv:3: share \"0,3\" has a decimal comma, but line 2 (\"0.5\") has a decimal point" "$T/err"

# ---- cl-share: a count read as money is ---------------------------------
printf 'segment;effective;ncr;clients\nA;8.000;100;1.500\nB;20.000;1.000;3\n' > "$T/market-fr.csv"
t_run "silent: count: cl-share reads a ';' table's counts with a decimal comma" 0 cl-share "$T/market-fr.csv"
t_eq "silent: count: 8.000 is 8000 and 1.500 is 1500 there" \
  "$(awk -F, '$1 == "A" { print $2, $3, $4 }' "$T/out")" "1500 8000 100"
t_eq "silent: count: 20.000 and 1.000 too" "$(awk -F, '$1 == "B" { print $2, $3, $4 }' "$T/out")" "3 20000 1000"
printf 'segment\teffective\tncr\tclients\nA\t8.000\t100\t1\nB\t20\t1,5\t3\n' > "$T/market-mixed.tsv"
t_run "silent: count: cl-share stops on a count contradicting the column's mark" 1 cl-share "$T/market-mixed.tsv"

# ---- overflow: values near 1.8e308 --------------------------------------
printf 'customer,revenue,orders,recency_days\nA,1.7e308,1,5\nB,1.7e308,2,6\nC,1e308,3,7\n' > "$T/huge.csv"
huge_msg="revenue \"1.7e308\" is too large: the column's sum passes the largest number (1.8e308)"
t_run "silent: overflow: cl-pareto is an error" 1 cl-pareto --summary "$T/huge.csv"
t_eq "silent: overflow: cl-pareto names the line" "$(cat "$T/err")" "cl-pareto: $T/huge.csv:3: $huge_msg"
t_run "silent: overflow: cl-score --grid is an error" 1 cl-score --grid revenue=1 --normalize minmax "$T/huge.csv"
t_eq "silent: overflow: cl-score names the line" "$(cat "$T/err")" "cl-score: $T/huge.csv:3: $huge_msg"
t_run "silent: overflow: cl-score --rfm is an error" 1 cl-score --rfm "$T/huge.csv"
t_run "silent: overflow: cl-kmeans is an error" 1 cl-kmeans --features revenue,orders --k 2 "$T/huge.csv"
t_eq "silent: overflow: cl-kmeans names the line" "$(cat "$T/err")" \
  "cl-kmeans: $T/huge.csv:2: revenue 1.7e+308 is too large: a sum of the feature passes the largest number (1.8e308)"
t_run "silent: overflow: cl-kmeans --log is an error too (the profiles sum raw values)" 1 \
  cl-kmeans --features revenue,orders --k 2 --log revenue "$T/huge.csv"
# squares overflow long before the values do
printf 'customer,revenue,orders\nA,1e200,1\nB,2e200,2\nC,3,3\nD,4,4\n' > "$T/squares.csv"
t_run "silent: overflow: cl-kmeans on values whose squares overflow" 1 \
  cl-kmeans --features revenue,orders --k 2 "$T/squares.csv"
t_grep "silent: overflow: ... names the line" "squares.csv:" "$T/err"
# a saved model, then rows beyond it
printf 'customer,revenue,orders\nA,10,1\nB,20,2\nC,300,3\nD,400,4\n' > "$T/small.csv"
cl-kmeans --features revenue,orders --k 2 --save-model "$T/model.txt" "$T/small.csv" > /dev/null 2>&1
printf 'customer,revenue,orders\nE,15,1\nF,1.7e308,2\n' > "$T/assign.csv"
t_run "silent: overflow: cl-kmeans --model on a huge row is an error" 1 \
  cl-kmeans --model "$T/model.txt" "$T/assign.csv"
t_grep "silent: overflow: cl-kmeans --model names the line" "assign.csv:3: a feature is too large" "$T/err"
# the exact sums stay exact and fine
printf 'customer,revenue\nA,9000000000000\nB,9000000000000\n' > "$T/exact.csv"
t_run "silent: overflow: exact money near the int64 range still sums (128 bits)" 0 cl-pareto --summary "$T/exact.csv"
t_grep "silent: overflow: ... to 18000000000000" "total,18000000000000" "$T/out"

# ---- cl-kmeans: the rows' order and the threads change nothing ----------
MALL="$SAMPLES/mall-customers.csv"
{ head -1 "$MALL"; tail -n +2 "$MALL" | awk 'BEGIN { srand(13) } { printf "%.12f\t%s\n", rand(), $0 }' \
    | sort | cut -f2-; } > "$T/mall-shuffled.csv"
{ head -1 "$MALL"; tail -n +2 "$MALL" | sort -r; } > "$T/mall-reversed.csv"
for opts in "--k 5" "--k 5 --profiles --describe gender" "--k 2..8 --select" "--k 4 --scale robust --log annual_income_thousands"; do
    # shellcheck disable=SC2086
    cl-kmeans $opts "$MALL" > "$T/k-in.csv" 2>&1
    # shellcheck disable=SC2086
    cl-kmeans $opts "$T/mall-shuffled.csv" > "$T/k-shuf.csv" 2>&1
    # shellcheck disable=SC2086
    cl-kmeans $opts "$T/mall-reversed.csv" > "$T/k-rev.csv" 2>&1
    # shellcheck disable=SC2086
    cl-kmeans $opts --threads 1 "$T/mall-shuffled.csv" > "$T/k-one.csv" 2>&1
    case $opts in
        *--profiles*|*--select*) ;;
        *)  # assignments come in the input's order: compare them row by row, by id
            for f in in shuf rev one; do
                { head -1 "$T/k-$f.csv"; tail -n +2 "$T/k-$f.csv" | LC_ALL=C sort; } > "$T/k-$f.sorted"
                mv "$T/k-$f.sorted" "$T/k-$f.csv"
            done ;;
    esac
    t_file_eq "silent: kmeans $opts: shuffled rows, the same bytes" "$T/k-shuf.csv" "$T/k-in.csv"
    t_file_eq "silent: kmeans $opts: reversed rows, the same bytes" "$T/k-rev.csv" "$T/k-in.csv"
    t_file_eq "silent: kmeans $opts: one thread, the same bytes" "$T/k-one.csv" "$T/k-in.csv"
done
cl-kmeans --k 5 "$T/mall-shuffled.csv" > "$T/k-shuf.csv"
t_eq "silent: kmeans: the assignments keep the input's order" "$(cut -d, -f1 "$T/k-shuf.csv")" \
  "$(cut -d, -f1 "$T/mall-shuffled.csv")"

# ---- placeholder and typo dates -----------------------------------------
# 3000 lines in 2009..2011, then 9999-12-31, 2101 (twice, for 2011) and 0001-01-01
awk 'BEGIN { print "customer,date,amount"
             for (i = 0; i < 3000; i++) printf "C%d,20%02d-%02d-%02d,%d\n", i % 40, 9 + i % 3, 1 + i % 12, 1 + i % 28, 1 + i % 9
             print "C1,9999-12-31,5"; print "C2,2101-03-04,5"; print "C3,0001-01-01,1"; print "C3,2101-05-04,5" }' \
    > "$T/dates.csv"
dates_expected() {   # NAME shown for the file
    printf '%s\n' \
"cl-rollup: $1:3004: date 0001-01-01 is far outside the other dates (half the lines are dated 2009 to 2011): 1 line in 1; a placeholder or a typo? (--from and --to leave such lines out)" \
"cl-rollup: $1:3003: date 2101-03-04 is far outside the other dates (half the lines are dated 2009 to 2011): 2 lines in 2101; a placeholder or a typo? (--from and --to leave such lines out)" \
"cl-rollup: $1:3002: date 9999-12-31 is far outside the other dates (half the lines are dated 2009 to 2011): 1 line in 9999; a placeholder or a typo? (--from and --to leave such lines out)"
}
t_run "silent: dates: outlying dates still exit 0" 0 cl-rollup --stats "$T/dstats.csv" "$T/dates.csv"
t_eq "silent: dates: each outlying year named with its first line (file)" "$(cat "$T/err")" "$(dates_expected "$T/dates.csv")"
t_eq "silent: dates: counted in --stats" "$(awk -F, '$1 == "dates_outlying" { print $2 }' "$T/dstats.csv")" "4"
cl-rollup --threads 3 "$T/dates.csv" > /dev/null 2> "$T/err"
t_eq "silent: dates: the same lines named with 3 threads" "$(cat "$T/err")" "$(dates_expected "$T/dates.csv")"
cat "$T/dates.csv" | cl-rollup - > /dev/null 2> "$T/err"
t_eq "silent: dates: the same lines named from a pipe" "$(cat "$T/err")" "$(dates_expected stdin)"
cl-rollup - < "$T/dates.csv" > /dev/null 2> "$T/err"
t_eq "silent: dates: the same lines named from a redirected file" "$(cat "$T/err")" "$(dates_expected stdin)"
cl-rollup --to 2011-12-31 "$T/dates.csv" > /dev/null 2> "$T/err"
t_eq "silent: dates: --to leaves the late ones out (0001 still named)" "$(cat "$T/err")" \
  "$(dates_expected "$T/dates.csv" | head -1)"
cl-rollup --stats "$T/dstats.csv" "$SAMPLES/sales.csv" > /dev/null 2> "$T/err"
t_eq "silent: dates: an ordinary export warns of nothing" "$(grep -c 'far outside' "$T/err")" "0"
# twenty years of ordinary history with a thin early tail: nothing flagged
# (quartiles 2021 and 2023, the fence 20 years out: 2001 to 2043)
awk 'BEGIN { print "customer,date,amount"; for (i = 0; i < 2000; i++) printf "C%d,20%02d-06-01,1\n", i % 9, 20 + i % 5
             for (y = 2001; y < 2020; y++) printf "OLD,%d-01-01,1\n", y; print "NEW,2043-12-31,1" }' \
    > "$T/history.csv"
cl-rollup "$T/history.csv" > /dev/null 2> "$T/err"
t_eq "silent: dates: an old client's sale 20 years before the bulk is not an outlier" "$(cat "$T/err")" ""
printf 'OLD,2000-12-31,1\nNEW,2044-01-01,1\n' >> "$T/history.csv"
cl-rollup "$T/history.csv" > /dev/null 2> "$T/err"
t_eq "silent: dates: one year more on each side is" "$(grep -c 'far outside' "$T/err")" "2"

# ---- cl-report: a period chosen from an outlying date names its line ------
awk 'BEGIN { print "customer,invoice,date,amount"
             for (i = 0; i < 300; i++) printf "C%d,%d,2024-%02d-%02d,%d.50\n", i % 30, i, 1 + i % 3, 1 + i % 28, 10 + i % 7
             print "C7,9999,9999-12-31,12.00" }' > "$T/report-9999.csv"
t_run "silent: report: the last sale in year 9999 stops cl-report" 1 \
  cl-report --quiet -o "$T/rep9999" "$T/report-9999.csv"
t_eq "silent: report: ... naming its line" "$(cat "$T/err")" \
  "cl-report: $T/report-9999.csv:302: the last sale, 9999-12-31, is dated far after the others (half of them 2024 to 2024): the period would be chosen from it; correct the date, or give --month, or --from and --to"
t_run "silent: report: with --month the report is made" 0 \
  cl-report --quiet --month 2024-02 -o "$T/rep9999" "$T/report-9999.csv"
t_grep "silent: report: ... and its page lists the outlying date with its line" \
  "report-9999.csv:302: date 9999-12-31 is far outside the other dates" "$T/rep9999/2024-02/warnings.txt"
t_grep "silent: report: ... in the page itself" "date 9999-12-31 is far outside the other dates" \
  "$T/rep9999/2024-02/index.html"

# ---- the mark rule holds for amounts written with a currency too -------
printf 'customer\tdate\tamount\nC1\t2024-01-02\t€1.234\nC2\t2024-01-03\t1.234,56 €\n' > "$T/mark-euro.tsv"
t_run "silent: mark: €1.234 then 1.234,56 € stops" 1 cl-rollup "$T/mark-euro.tsv"
t_eq "silent: mark: ... naming both lines, the currency kept" "$(cat "$T/err")" \
  "cl-rollup: $T/mark-euro.tsv:3: amount \"1.234,56 €\" has a decimal comma, but line 2 read \"€1.234\" with a decimal point (give --decimal-comma or --decimal-point)"
# a run started again transcoded (a byte that is not UTF-8 past the first MiB)
# counts its outlying dates once
awk 'BEGIN { print "customer,date,amount"; print "C1,9999-12-31,5"
             for (i = 0; i < 150000; i++) printf "C%d,2024-%02d-%02d,%d\n", i % 40, 1 + i % 12, 1 + i % 28, 1 + i % 9 }' \
    > "$T/restart.csv"
printf 'Caf\351,2024-01-01,1\n' >> "$T/restart.csv"
cl-rollup --stats "$T/rstats.csv" "$T/restart.csv" > /dev/null 2> "$T/err"
t_eq "silent: dates: a transcoded restart counts the outlying date once" \
  "$(awk -F, '$1 == "dates_outlying" { print $2 }' "$T/rstats.csv")" "1"
t_grep "silent: dates: ... and names its line" "restart.csv:2: date 9999-12-31 is far outside" "$T/err"
