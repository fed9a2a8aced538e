# cl-rollup --also cohorts=FILE: the cohorts read in the roll-up's pass are,
# byte for byte, cl-cohort --until TO's given the same columns (the parallel
# ranges and the sequential reader, a pipe, --where, a file that turns out
# not to be UTF-8 after its first MiB, --excel), what they leave out said
# as cl-cohort says it, and cl-report's cohorts are cl-cohort's alone (in
# the roll-up's pass, or by cl-cohort with --cost, or when no client bought).
. "$CL_TESTS/lib.sh"

# cohorts FILE TO [OPTIONS...]: cl-rollup's (c1.csv) and cl-cohort's (c2.csv)
cohorts() {
    c_file=$1 c_to=$2
    shift 2
    cl-rollup "$@" ${c_to:+--to "$c_to"} --also cohorts="$T/c1.csv" -o "$T/r1.csv" "$c_file" \
        2> "$T/e1"
    c_rc1=$?
    cl-cohort "$@" ${c_to:+--until "$c_to"} -o "$T/c2.csv" "$c_file" 2> "$T/e2"
    c_rc2=$?
}

for f in sales.csv invoices.csv cdnow-sample.csv sales-prescribers.csv; do
    for to in "" 2011-11-30 2011-10-20 1997-06-30; do
        for th in 1 3; do
            rm -f "$T/c1.csv" "$T/c2.csv"
            cohorts "$SAMPLES/$f" "$to" --threads "$th"
            # a day before the file's first sale: both refuse (no line up to it);
            # any other day, both succeed (a failure of both is not a pass)
            want=0
            [ "$to" = 1997-06-30 ] && [ "$f" != cdnow-sample.csv ] && want=1
            t_eq "cohort fold: $f ${to:-(every line)} --threads $th: exits" "$c_rc1 $c_rc2" \
                "$want $want"
            [ "$c_rc1" = 0 ] || continue
            t_file_eq "cohort fold: $f ${to:-(every line)} --threads $th: cl-cohort's bytes" \
                "$T/c1.csv" "$T/c2.csv"
        done
    done
done
# the roll-up itself is the one written without --also cohorts
cl-rollup --to 2011-11-30 -o "$T/r2.csv" "$SAMPLES/sales.csv" 2> /dev/null
cohorts "$SAMPLES/sales.csv" 2011-11-30
t_file_eq "cohort fold: the roll-up is unchanged" "$T/r1.csv" "$T/r2.csv"
# what the cohorts left out: cl-cohort's sentences, each once, after "--also cohorts: "
t_eq "cohort fold: what the cohorts left out, as cl-cohort says it" \
    "$(sed -n 's/^cl-rollup: --also cohorts: //p' "$T/e1")" \
    "$(grep -e 'clients left out' -e 'client periods before' "$T/e2" | sed 's/^cl-cohort: //')"
t_eq "cohort fold: ... said (returns, clients who never bought)" \
    "$(grep -c '^cl-rollup: --also cohorts: ' "$T/e1")" 2

# a pipe (the sequential reader), --where, a period's --from (not the cohorts')
cohorts - 2011-11-30 --where 'Country!=France' < "$SAMPLES/sales.csv"
t_eq "cohort fold: a pipe, --where: exits" "$c_rc1" 0
cl-cohort --where 'Country!=France' --until 2011-11-30 -o "$T/c2.csv" - \
    < "$SAMPLES/sales.csv" 2> /dev/null
t_file_eq "cohort fold: a pipe, --where: cl-cohort's bytes" "$T/c1.csv" "$T/c2.csv"
cl-rollup --from 2011-11-01 --to 2011-11-30 --also cohorts="$T/c1.csv" -o "$T/r1.csv" \
    "$SAMPLES/sales.csv" 2> /dev/null
cl-cohort --until 2011-11-30 -o "$T/c2.csv" "$SAMPLES/sales.csv" 2> /dev/null
t_file_eq "cohort fold: --from is the roll-up's, not the cohorts'" "$T/c1.csv" "$T/c2.csv"
cohorts "$SAMPLES/ventes-1252.csv" 2011-11-30
t_eq "cohort fold: a file not in UTF-8: exits" "$c_rc1 $c_rc2" "0 0"
t_file_eq "cohort fold: a file not in UTF-8: cl-cohort's bytes" "$T/c1.csv" "$T/c2.csv"
cohorts "$SAMPLES/sales.csv" 2011-11-30 --excel
t_file_eq "cohort fold: --excel: cl-cohort's bytes" "$T/c1.csv" "$T/c2.csv"

# more than a MiB of UTF-8, then a Latin-1 byte: cl-rollup starts again with
# the file transcoded, and the cohort cells with it
awk 'BEGIN { print "customer,date,amount"
             for (i = 0; i < 40000; i++)
                 printf "C%d,2011-%02d-%02d,%d.50\n", i % 700, 1 + i % 12, 1 + i % 28, 1 + i % 90
             printf "Caf\351,2011-12-02,3.00\n" }' > "$T/late-latin1.csv"
for th in 1 2; do
    cohorts "$T/late-latin1.csv" "" --threads "$th"
    t_eq "cohort fold: Latin-1 after the first MiB, --threads $th: exits" "$c_rc1 $c_rc2" "0 0"
    t_file_eq "cohort fold: Latin-1 after the first MiB, --threads $th: cl-cohort's bytes" \
        "$T/c1.csv" "$T/c2.csv"
done
t_eq "cohort fold: ... the Latin-1 client in a cohort" "$(grep -c '^2011-12,0,1,' "$T/c1.csv")" 1

# placeholder dates: the outlying year named with its line, on 1 and 3 threads
awk 'BEGIN { print "customer,date,amount"
             for (i = 0; i < 3000; i++) printf "C%d,20%02d-%02d-%02d,%d\n", i % 40, 9 + i % 3, 1 + i % 12, 1 + i % 28, 1 + i % 9
             print "C2,2101-03-04,5"; print "C3,2101-05-04,5" }' > "$T/dates.csv"
said="cl-rollup: --also cohorts: $T/dates.csv:3002: date 2101-03-04 is far outside the other dates (half the lines are dated 2009 to 2011): 2 lines in 2101; a placeholder or a typo? (correct it in the data; --to leaves later lines out)"
for th in 1 3; do
    cohorts "$T/dates.csv" "" --threads "$th"
    t_file_eq "cohort fold: outlying dates, --threads $th: cl-cohort's bytes" "$T/c1.csv" "$T/c2.csv"
    t_eq "cohort fold: outlying dates, --threads $th: named with their line" \
        "$(grep -F -- '--also cohorts: ' "$T/e1")" "$said"
done

# a table that cannot be made fails the run, and nothing is written
printf 'customer,date,amount\nA,2011-01-03,-5\nB,2011-02-03,-7\n' > "$T/returns.csv"
rm -f "$T/c1.csv" "$T/r1.csv"
t_run "cohort fold: no client bought: exit 1" 1 cl-rollup --also cohorts="$T/c1.csv" \
    -o "$T/r1.csv" "$T/returns.csv"
t_grep "cohort fold: ... said as --also cohorts'" "cl-rollup: --also cohorts: " "$T/err"
t_eq "cohort fold: ... no file written" "$(ls "$T/c1.csv" "$T/r1.csv" 2> /dev/null | wc -l)" 0

# usage
t_run "cohort fold: with --group: usage" 2 cl-rollup --group Country \
    --also cohorts="$T/c1.csv" "$SAMPLES/sales.csv"
t_grep "cohort fold: ... says why" "cohorts are of clients" "$T/err"
t_run "cohort fold: with --partial: usage" 2 cl-rollup --partial \
    --also cohorts="$T/c1.csv" "$SAMPLES/sales.csv"
t_run "cohort fold: given twice: usage" 2 cl-rollup --also cohorts="$T/c1.csv" \
    --also cohorts="$T/c3.csv" "$SAMPLES/sales.csv"
t_grep "cohort fold: ... says so" "cohorts is given twice" "$T/err"

# cl-report: cohorts.csv and cohort-notes.txt are cl-cohort's alone, when
# read in the roll-up's pass, and with --cost (cl-cohort reads the sales)
cl-cohort --until 2011-11-30 -o "$T/c2.csv" "$SAMPLES/sales.csv" 2> "$T/e2"
t_run "cohort fold: report" 0 cl-report --quiet --month 2011-11 -o "$T/rep" \
    "$SAMPLES/sales.csv"
t_file_eq "cohort fold: report: cohorts.csv is cl-cohort's" "$T/rep/2011-11/cohorts.csv" \
    "$T/c2.csv"
t_eq "cohort fold: report: cohort-notes.txt, cl-cohort's notes" \
    "$(cat "$T/rep/2011-11/cohort-notes.txt")" \
    "$(grep -e 'clients left out' -e 'client periods before' "$T/e2")"
t_eq "cohort fold: report: no cohort note among the warnings" \
    "$(grep -c 'cohorts' "$T/rep/2011-11/warnings.txt")" 0
t_run "cohort fold: report, --where" 0 cl-report --quiet --month 2011-11 \
    --where 'Country!=France' -o "$T/rep-w" "$SAMPLES/sales.csv"
cl-cohort --where 'Country!=France' --until 2011-11-30 -o "$T/c2.csv" "$SAMPLES/sales.csv" \
    2> /dev/null
t_file_eq "cohort fold: report, --where: cohorts.csv is cl-cohort's" \
    "$T/rep-w/2011-11/cohorts.csv" "$T/c2.csv"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "Cost"; next } { print $0, "1.00" }' \
    "$SAMPLES/sales.csv" > "$T/cost.csv"
cl-cohort --until 2011-11-30 -o "$T/c2.csv" "$T/cost.csv" 2> /dev/null
t_run "cohort fold: report, --cost (cl-cohort reads the sales)" 0 cl-report --quiet \
    --month 2011-11 --cost Cost -o "$T/rep-c" "$T/cost.csv"
t_file_eq "cohort fold: report, --cost: cohorts.csv is cl-cohort's" \
    "$T/rep-c/2011-11/cohorts.csv" "$T/c2.csv"
# a month whose history holds returns only: the table cannot be made; the
# report is made, without the section, and says why in cl-cohort's words
printf 'customer,date,amount\nA,2011-01-03,-5\nB,2011-01-05,-7\nA,2011-01-20,-2\n' \
    > "$T/returns.csv"
cl-cohort --until 2011-01-31 "$T/returns.csv" > /dev/null 2> "$T/e2"
t_run "cohort fold: report, returns only" 0 cl-report --quiet --month 2011-01 \
    -o "$T/rep-r" "$T/returns.csv"
t_eq "cohort fold: report, returns only: no cohort section, cl-cohort's reason" \
    "$(ls "$T/rep-r/2011-01/cohorts.csv" 2> /dev/null | wc -l) $(grep -F 'the cohort section is left out' "$T/rep-r/2011-01/warnings.txt")" \
    "0 cl-report: the cohort section is left out: $(tail -n 1 "$T/e2")"
# a placeholder date before the others: cohort-notes.txt names it as cl-cohort does
awk 'BEGIN { print "customer,date,amount"
             for (i = 0; i < 3000; i++)
                 printf "C%d,20%02d-%02d-%02d,%d\n", i % 40, 9 + i % 3, 1 + i % 12, 1 + i % 28, 1 + i % 9
             print "C2,1900-03-04,5" }' > "$T/early.csv"
cl-cohort --until 2010-11-30 "$T/early.csv" > /dev/null 2> "$T/e2"
t_run "cohort fold: report, a placeholder date" 0 cl-report --quiet --month 2010-11 \
    -o "$T/rep-e" "$T/early.csv"
t_eq "cohort fold: report, a placeholder date: named in cohort-notes.txt as cl-cohort names it" \
    "$(cat "$T/rep-e/2010-11/cohort-notes.txt")" "$(grep -F 'far outside' "$T/e2")"
t_grep "cohort fold: ... with cl-cohort's hint" "(correct it in the data; --until leaves later" \
    "$T/rep-e/2010-11/cohort-notes.txt"
