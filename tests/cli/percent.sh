# Percent signs where a share is read (issue 14). Each place decides what
# "80%" means: 80 where the option counts in percent (cl-pareto --cut,
# --quota), 0.8 where it holds fractions (cl-score weights, cl-clv
# --discount, cl-plot's share columns). What is ambiguous is refused with a
# message. Each reading is checked against the same run written without
# signs, whose result the other tests check.
. "$CL_TESTS/lib.sh"
C="$SAMPLES/customers.csv"

# --- cl-pareto --cut / --quota: in percent
cl-pareto --cut 80,95 "$C" > "$T/plain" 2> /dev/null
for list in "80%,95%" "80 %,95 %" "80%,95" "$(printf '80\302\240%%,95\342\200\257%%')"; do
    t_run "percent: cl-pareto --cut '$list' runs" 0 cl-pareto --cut "$list" "$C"
    t_file_eq "percent: ... the same classes as --cut 80,95" "$T/out" "$T/plain"
done
cl-pareto --quota 20,30 "$C" > "$T/plain" 2> /dev/null
t_run "percent: cl-pareto --quota 20%,30%" 0 cl-pareto --quota 20%,30% "$C"
t_file_eq "percent: ... the same classes as --quota 20,30" "$T/out" "$T/plain"
# fractions where percents are wanted: refused, never read as 0.8 %
t_run "percent: --cut 0.8,0.95 is refused" 2 cl-pareto --cut 0.8,0.95 "$C"
t_eq "percent: ... saying why" "$(head -1 "$T/err")" \
  "cl-pareto: --cut: \"0.8,0.95\" reads as percents under 1: write cumulative shares in percent (80 for 80 %), or with % signs if they are meant (0.8%)"
t_run "percent: --quota 0.2,0.3 is refused" 2 cl-pareto --quota 0.2,0.3 "$C"
t_eq "percent: ... saying why" "$(head -1 "$T/err")" \
  "cl-pareto: --quota: \"0.2,0.3\" reads as percents under 1: write quotas in percent (20 for 20 %), or with % signs if they are meant (0.8%)"
t_run "percent: --cut 0.8,1 is refused too" 2 cl-pareto --cut 0.8,1 "$C"
# with the sign, tiny percents are meant: the first client (29 % of the
# value) is past 0.8 %, so it alone is A; 0.95 % is past too: the rest C
t_run "percent: --cut 0.8%,0.95% is read as meant" 0 cl-pareto --cut 0.8%,0.95% --summary "$C"
t_grep "percent: ... one client in A" "class_A_clients,1" "$T/out"
t_run "percent: --quota 1 is 1 % (no fraction means 1)" 0 cl-pareto --quota 1 "$C"
t_run "percent: --cut '%' is not a percent" 2 cl-pareto --cut % "$C"
t_run "percent: --cut 80%% is not a percent" 2 cl-pareto --cut 80%% "$C"

# --- cl-score --grid: weights are fractions, 50% is 0.5
cl-score --grid margin=0.5,potential=0.3,relation=0.2 "$C" > "$T/plain" 2> /dev/null
t_run "percent: cl-score --grid margin=50%,potential=30%,relation=20%" 0 \
  cl-score --grid margin=50%,potential=30%,relation=20% "$C"
t_file_eq "percent: ... the same scores as 0.5, 0.3, 0.2" "$T/out" "$T/plain"
t_eq "percent: ... and no note about the sum (it is 1)" "$(cat "$T/err")" ""
t_run "percent: a grid mixing 50% and 0.3 is refused" 2 \
  cl-score --grid margin=50%,potential=0.3,relation=20% "$C"
t_eq "percent: ... saying why" "$(head -1 "$T/err")" \
  "cl-score: --grid: weight \"0.3\" has no percent sign, but \"50%\" has one: write every value with % or none"

# --- cl-clv --discount: a rate, 0.2% is 0.002
printf 'parameter,value\nr,0.24\nalpha,4.4\na,0.81\nb,2.5\np,6.2\nq,3.7\ngamma,15.4\nunit_days,7\n' \
  > "$T/model.csv"
cl-rollup --to 1997-09-30 "$SAMPLES/cdnow-sample.csv" 2> /dev/null | head -200 > "$T/cal.csv"
cl-clv --model "$T/model.csv" --discount 0.002 "$T/cal.csv" > "$T/plain" 2> /dev/null
t_run "percent: cl-clv --discount 0.2%" 0 cl-clv --model "$T/model.csv" --discount 0.2% "$T/cal.csv"
t_file_eq "percent: ... the same values as --discount 0.002" "$T/out" "$T/plain"
cl-clv --model "$T/model.csv" "$T/cal.csv" > "$T/none" 2> /dev/null
t_eq "percent: ... which is not the undiscounted clv" "$(cmp -s "$T/none" "$T/plain"; echo $?)" "1"
t_run "percent: --discount -1% is refused" 2 cl-clv --model "$T/model.csv" --discount -1% "$T/cal.csv"

# --- cl-plot: a share column saved as percent is the fraction it shows
printf 'customer,revenue\nA,50\nB,25\nC,15\nD,10\n' > "$T/four.csv"
cl-pareto "$T/four.csv" > "$T/p.csv"
t_eq "percent: the hand-made Pareto table" "$(cut -d, -f4-6 "$T/p.csv" | tr '\n' ' ')" \
  "share,cum_share,cum_clients_share 0.5,0.5,0.25 0.25,0.75,0.5 0.15,0.9,0.75 0.1,1,1 "
# the shares in percent, as a spreadsheet saves a column formatted as %
cat > "$T/pct.csv" <<'X'
customer,revenue,rank,share,cum_share,cum_clients_share,class
A,50,1,50%,50%,25%,A
B,25,2,25%,75%,50%,A
C,15,3,15%,90%,75%,A
D,10,4,10%,100%,100%,B
X
for kind in pareto lorenz; do
    cl-plot $kind --script "$T/p.csv" > "$T/plain" 2> /dev/null
    t_run "percent: cl-plot $kind on shares in percent" 0 cl-plot $kind --script "$T/pct.csv"
    t_file_eq "percent: ... the same chart as on fractions" "$T/out" "$T/plain"
done
# French: ';', decimal comma, a no-break space before the sign
printf 'customer;revenue;rank;share;cum_share;cum_clients_share;class\nA;50;1;50\302\240%%;50\302\240%%;25\302\240%%;A\nB;25;2;25\302\240%%;75\302\240%%;50\302\240%%;A\nC;15;3;15\302\240%%;90\302\240%%;75\302\240%%;A\nD;10;4;10\302\240%%;100\302\240%%;100\302\240%%;B\n' > "$T/pct-fr.csv"
cl-plot pareto --script "$T/p.csv" > "$T/plain" 2> /dev/null
t_run "percent: cl-plot pareto on '50 %' with a ';' file" 0 cl-plot pareto --script "$T/pct-fr.csv"
t_file_eq "percent: ... the same chart" "$T/out" "$T/plain"
sed 's/^B,25,2,25%/B,25,2,0.25/' "$T/pct.csv" > "$T/mix.csv"
t_run "percent: a share column mixing 50% and 0.25 is refused" 1 cl-plot pareto --script "$T/mix.csv"
t_eq "percent: ... naming both lines" "$(cat "$T/err")" \
  "cl-plot: $T/mix.csv: share \"0.25\" at line 3 has no percent sign, but \"50%\" at line 2 has one: write every value with % or none"

# --- value columns saved as percent: the fractions they show
printf 'customer,revenue,rate\nA,10,12%%\nB,20,30%%\nC,5,1%%\nD,7,5%%\n' > "$T/rate.csv"
printf 'customer,revenue,rate\nA,10,0.12\nB,20,0.3\nC,5,0.01\nD,7,0.05\n' > "$T/rate0.csv"
# cl-pareto's and cl-score's copied cells keep the text: compare the computed columns
cl-pareto --value rate "$T/rate0.csv" | cut -d, -f1,4- > "$T/plain"
t_run "percent: cl-pareto --value a rate column saved as percent" 0 cl-pareto --value rate "$T/rate.csv"
t_eq "percent: ... the same ranks, shares and classes as on fractions" \
  "$(cut -d, -f1,4- "$T/out")" "$(cat "$T/plain")"
# 30 / (12 + 30 + 1 + 5) = 0.625: B's share, by hand
t_eq "percent: ... B's share is 30/48" "$(grep '^B,' "$T/out" | cut -d, -f5)" "0.625"
cl-score --grid revenue=1,rate=1 "$T/rate0.csv" 2> /dev/null | cut -d, -f1,4- > "$T/plain"
t_run "percent: cl-score with a criterion saved as percent" 0 cl-score --grid revenue=1,rate=1 "$T/rate.csv"
t_eq "percent: ... the same scores" "$(cut -d, -f1,4- "$T/out")" "$(cat "$T/plain")"
cl-kmeans --features revenue,rate --k 2 --seed 1 --profiles "$T/rate0.csv" > "$T/plain" 2> /dev/null
t_run "percent: cl-kmeans with a feature saved as percent" 0 \
  cl-kmeans --features revenue,rate --k 2 --seed 1 --profiles "$T/rate.csv"
t_file_eq "percent: ... the same personas, in fractions" "$T/out" "$T/plain"
printf 'customer,revenue,rate\nA,10,0.12\nB,20,30%%\nC,5,0.01\nD,7,0.05\n' > "$T/ratemix.csv"
for p in "cl-pareto --value rate" "cl-score --grid revenue=1,rate=1" \
         "cl-kmeans --features revenue,rate --k 2"; do
    t_run "percent: $p on a column mixing 0.12 and 30%" 1 $p "$T/ratemix.csv"
    t_grep "percent: ... names both lines" \
      "rate \"0.12\" at line 2 has no percent sign, but \"30%\" at line 3 has one: write every value with % or none" "$T/err"
done

# --- cl-workbook: a share column saved as percent becomes percentage cells
cl-workbook -o "$T/book.xlsx" "pareto=$T/pct.csv" 2> "$T/err"
t_eq "percent: cl-workbook on shares in percent runs, nothing said" "$?:$(cat "$T/err")" "0:"
for cell in "D2|n|0.5|0.00%" "E3|n|0.75|0.00%" "F5|n|1|0.00%" "B2|n|50|#,##0"; do
    ref=${cell%%|*}
    t_eq "percent: ... $ref read back by openpyxl" \
      "$(/usr/bin/python3 "$CL_TESTS/xlsx_read.py" cell "$T/book.xlsx" pareto "$ref")" "${cell#*|}"
done
