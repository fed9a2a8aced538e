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
t_run "silent: an id holding 0x1F is rejected" 0 cl-rollup --by segment "$T/us.csv"
t_eq "silent: 0x1F ids: only the clean line is rolled up" "$(cut -d, -f1-3 "$T/out")" \
  "customer,segment,revenue
C2,B,7"
t_eq "silent: 0x1F ids: counted with their reason" "$(cat "$T/err")" \
  "cl-rollup: 2 of 3 lines rejected: 2 control character in an id (--rejects FILE keeps them)"
t_run "silent: an id holding 0x1F with --strict names the line" 1 cl-rollup --strict --by segment "$T/us.csv"
t_eq "silent: 0x1F with --strict: the message" "$(cat "$T/err")" \
  "cl-rollup: $T/us.csv:2: control character in an id"
cat "$T/us.csv" | cl-rollup --by segment - > "$T/out" 2> "$T/err"
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
  "cl-rollup: 3 of 5 lines had spaces around the customer id or a --by value, trimmed (--keep-spaces keeps them)"
t_eq "silent: trimmed ids are counted in --stats" "$(awk -F, '$1 == "ids_trimmed" { print $2 }' "$T/stats.csv")" "3"
cl-rollup - < "$T/spaces.csv" > "$T/out2" 2> /dev/null
t_file_eq "silent: padded ids are one customer (standard input)" "$T/out2" "$T/out"
cl-rollup --keep-spaces "$T/spaces.csv" > "$T/out" 2> "$T/err"
t_eq "silent: --keep-spaces keeps them apart" "$(wc -l < "$T/out" | tr -d ' ')" "6"
t_eq "silent: --keep-spaces says nothing" "$(cat "$T/err")" ""
printf 'customer,date,amount,segment\nC1,2024-01-02,10,Retail\nC1,2024-01-03,5,"Retail "\n' > "$T/by-spaces.csv"
t_eq "silent: --by values are trimmed too" "$(cl-rollup --by segment "$T/by-spaces.csv" 2>/dev/null | cut -d, -f1-3)" \
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
cl-rollup --by segment "$T/many.csv" > "$T/run1.csv"
cl-rollup --by segment "$T/many.csv" > "$T/run2.csv"
cl-rollup --threads 3 --by segment - < "$T/many.csv" > "$T/run3.csv"
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
