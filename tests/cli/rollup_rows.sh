# cl-rollup: many rows formatted by two threads (blocks of 32,768 rows), the
# purchase days counted from the settled (client, order) log, a row that
# overflows after the blocks, the cohort table built beside the roll-up:
# the same bytes as one thread, the values as awk counts them.
. "$CL_TESTS/lib.sh"

# 140,000 clients (more than four blocks of rows), 1 to 3 orders each on 1
# or 2 days, a credit note for every 7th; "m0" with 150 orders on 28 days
# (a client's days counted by a sort, not one by one), lines of one order
# apart from one another (the log settled with repeated ids)
awk 'BEGIN {
    print "invoice,customer,date,amount"
    inv = 0
    for (c = 0; c < 140000; c++) {
        n = 1 + c % 3
        for (o = 0; o < n; o++) {
            inv++
            day = 1 + (c + o) % 2
            printf "%d,c%06d,2024-01-%02d,%d.%02d\n", inv, c, day, 1 + c % 50, o
            if (c % 7 == 0 && o == 0)
                printf "R%d,c%06d,2024-01-03,-1\n", inv, c
        }
    }
    for (o = 0; o < 150; o++)
        printf "M%d,m0,2024-02-%02d,2.5\n", o, 1 + o % 28
    for (o = 0; o < 150; o += 3)
        printf "M%d,m0,2024-02-%02d,0.5\n", o, 1 + o % 28
}' > "$T/many.csv"

t_run "rollup rows: 140,001 clients, two threads" 0 cl-rollup -o "$T/two.csv" "$T/many.csv"
t_run "rollup rows: one thread" 0 cl-rollup --threads 1 -o "$T/one.csv" "$T/many.csv"
t_file_eq "rollup rows: two threads write the bytes of one" "$T/two.csv" "$T/one.csv"
t_run "rollup rows: to standard output" 0 cl-rollup "$T/many.csv"
t_file_eq "rollup rows: ... the same bytes" "$T/out" "$T/one.csv"

# orders (invoices with a line above zero), purchase days (the days of every
# order, credit notes too), lines, by awk
awk -F, 'NR > 1 {
    lines[$2]++
    if (!(($2, $1) in seen)) { seen[$2, $1] = 1 }
    if ($4 + 0 > 0 && !(($2, $1) in bought)) { bought[$2, $1] = 1; orders[$2]++ }
    if (!(($2, $3) in day)) { day[$2, $3] = 1; days[$2]++ }
} END { for (c in lines) print c "," lines[c] "," orders[c] + 0 "," days[c] }' "$T/many.csv" |
    LC_ALL=C sort > "$T/awk.csv"
awk -F, 'NR > 1 { print $1 "," $4 "," $5 "," $11 }' "$T/two.csv" > "$T/got.csv"
t_file_eq "rollup rows: lines, orders and purchase days as awk counts them" "$T/got.csv" "$T/awk.csv"
t_eq "rollup rows: m0's 150 orders on 28 days" "$(grep '^m0,' "$T/got.csv")" "m0,200,150,28"

# a client whose gross revenue overflows (9e12 bought twice, 9e12 returned:
# each sum fits, revenue + returns does not) sorts after the others: the
# rows before it are written, then the message, as with one thread
{ cat "$T/many.csv"
  printf 'X1,zz,2024-03-01,9000000000000\nX2,zz,2024-03-02,-9000000000000\n'
  printf 'X3,zz,2024-03-03,9000000000000\n'; } > "$T/over.csv"
t_run "rollup rows: a gross revenue that overflows" 1 cl-rollup "$T/over.csv"
cp "$T/out" "$T/over-two.out"; cp "$T/err" "$T/over-two.err"
t_eq "rollup rows: ... said with the client" "$(cat "$T/err")" \
  'cl-rollup: the totals of customer "zz" overflow (over 9.2e12)'
t_run "rollup rows: ... one thread" 1 cl-rollup --threads 1 "$T/over.csv"
t_file_eq "rollup rows: ... the same output as one thread" "$T/over-two.out" "$T/out"
t_file_eq "rollup rows: ... the same message" "$T/over-two.err" "$T/err"
t_eq "rollup rows: ... every row before it written, its own cut at the gross revenue" \
  "$(grep -c '' "$T/over-two.out") $(tail -n 1 "$T/over-two.out")" \
  "140003 zz,9000000000000.00,0,3,2,2024-03-01,2024-03-03,1,2,4500000000000.00,3,9000000000000.00"
t_run "rollup rows: ... into a file" 1 cl-rollup -o "$T/over.csv.out" "$T/over.csv"
t_eq "rollup rows: ... which is not written" "$(ls "$T/over.csv.out" 2>&1 | grep -c 'No such')" 1

# the cohorts beside the roll-up (built on a thread while the rows are
# sorted and written): cl-cohort's bytes, at one and two threads
if command -v cl-cohort > /dev/null 2>&1; then
  t_run "rollup rows: --also cohorts" 0 cl-rollup -o "$T/r.csv" --also cohorts="$T/c2.csv" \
    "$T/many.csv"
  t_file_eq "rollup rows: ... the roll-up the same" "$T/r.csv" "$T/one.csv"
  t_run "rollup rows: --also cohorts, one thread" 0 cl-rollup --threads 1 -o "$T/r1.csv" \
    --also cohorts="$T/c1.csv" "$T/many.csv"
  t_run "rollup rows: cl-cohort" 0 cl-cohort -o "$T/cc.csv" "$T/many.csv"
  t_file_eq "rollup rows: ... its cohorts are cl-cohort's" "$T/c2.csv" "$T/cc.csv"
  t_file_eq "rollup rows: ... and one thread's" "$T/c1.csv" "$T/cc.csv"
fi
