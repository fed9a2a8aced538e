# cl-rollup on real exports as they come (issue 14): average order rounding,
# returns and credit notes, column roles, filters, date, number and encoding
# forms. Each expected roll-up is computed by hand (in the comments) or by an
# independent awk / python3 Decimal computation.
. "$CL_TESTS/lib.sh"

# --- avg_order: revenue / orders rounded half away from zero at the printed
# scale (here the revenue's 2 or 4 decimals), not cut
cat > "$T/avg.csv" <<'X'
customer,invoice,date,amount
A,1,2024-01-01,1.00
A,2,2024-01-02,0.50
A,3,2024-01-03,0.50
B,1,2024-01-01,-1.00
B,2,2024-01-02,0.00
B,3,2024-01-03,-1.00
C,1,2024-01-01,0.01
C,2,2024-01-02,0.00
D,1,2024-01-01,0.05
D,2,2024-01-02,0.05
D,3,2024-01-03,0.05
D,4,2024-01-04,0.05
D,5,2024-01-05,0.05
D,6,2024-01-06,0.06
X
# A 2.00/3 = 0.666.. -> 0.67
# C 0.01/2 = 0.005 -> 0.01 (a half goes away from zero); D 0.31/6 = 0.05166 -> 0.05
t_run "avg_order: runs" 0 cl-rollup --order invoice "$T/avg.csv"
t_eq "avg_order: 2.00/3 rounds to 0.67" "$(grep '^A,' "$T/out" | awk -F, '{print $NF}')" "0.67"
t_eq "avg_order: 0.01/2 rounds half away from zero to 0.01" \
  "$(grep '^C,' "$T/out" | awk -F, '{print $NF}')" "0.01"
t_eq "avg_order: 0.31/6 rounds down to 0.05" "$(grep '^D,' "$T/out" | awk -F, '{print $NF}')" "0.05"
printf 'customer,invoice,date,amount\nE,1,2024-01-01,2770.0000\nE,2,2024-01-02,0\nE,3,2024-01-03,0\nE,4,2024-01-04,0\nE,5,2024-01-05,0\nE,6,2024-01-06,0\n' > "$T/avg4.csv"
t_run "avg_order: 4 decimals runs" 0 cl-rollup "$T/avg4.csv"
t_eq "avg_order: 2770.0000/6 = 461.6667 at 4 decimals" \
  "$(tail -1 "$T/out" | awk -F, '{print $NF}')" "461.6667"
