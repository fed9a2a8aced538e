# cl-kmeans --model --also profiles=FILE: the rows (-o) and the profiles
# (FILE) from one read, byte for byte the outputs of the two separate runs
# (--model, then --model --profiles); the refusals; no half-written file.
. "$CL_TESTS/lib.sh"
MALL="$SAMPLES/mall-customers.csv"

# same_as_separate NAME OPTIONS... INPUT: the two runs of before and the
# one run, compared (cmp); $P: options of the profiles only (--describe,
# --value); the warnings of the one run in $T/NAME.err
P=""
same_as_separate() {
    _sn=$1; shift
    cl-kmeans "$@" > "$T/$_sn.rows" 2> /dev/null
    # shellcheck disable=SC2086
    cl-kmeans --profiles $P "$@" > "$T/$_sn.profiles" 2> /dev/null
    # shellcheck disable=SC2086
    t_run "$_sn: one run" 0 cl-kmeans -o "$T/$_sn.c.csv" --also profiles="$T/$_sn.p.csv" $P "$@"
    cp "$T/err" "$T/$_sn.err"
    t_file_eq "$_sn: rows = the --model run's" "$T/$_sn.c.csv" "$T/$_sn.rows"
    t_file_eq "$_sn: profiles = the --model --profiles run's" "$T/$_sn.p.csv" \
        "$T/$_sn.profiles"
    t_eq "$_sn: nothing on stdout" "$(wc -c < "$T/out" | tr -d ' ')" 0
}

# ---- the samples -------------------------------------------------------
awk -F, '{ sub(/\r$/, "") } NR == 1 { print $0 ",revenue"; next } { print $0 "," NR * 10 }' \
    "$MALL" > "$T/rev.csv"
cl-kmeans -f age,annual_income_thousands,spending_score --log annual_income_thousands --k 2..6 \
    --select --save-model "$T/mall.model" "$T/rev.csv" > /dev/null 2>&1
for lang in en fr; do
    P="--describe gender" same_as_separate "mall $lang" --model "$T/mall.model" --lang $lang \
        "$T/rev.csv"
done
same_as_separate "mall --excel" --model "$T/mall.model" --excel "$T/rev.csv"
P="--value age" same_as_separate "mall --value" --model "$T/mall.model" "$MALL"
t_grep "--value: the revenue share" "revenue_share" "$T/mall --value.p.csv"

# the report's way: cl-rollup's history, the chosen k's model, then one run
cl-rollup "$SAMPLES/sales.csv" -o "$T/rollup.csv" 2> /dev/null
cl-kmeans -f revenue,orders,recency_days --log revenue,orders --k 2..5 --select \
    --save-model "$T/sales.model" "$T/rollup.csv" > /dev/null 2>&1
same_as_separate "sales history" --model "$T/sales.model" "$T/rollup.csv"
# standard input: read once, both written
cl-kmeans --model "$T/sales.model" -o "$T/stdin.c.csv" --also profiles="$T/stdin.p.csv" \
    < "$T/rollup.csv" 2> /dev/null
t_file_eq "standard input: the rows" "$T/stdin.c.csv" "$T/sales history.rows"
t_file_eq "standard input: the profiles" "$T/stdin.p.csv" "$T/sales history.profiles"

# ---- a generated table (awk): rows, bad values, ties --------------------
awk 'BEGIN { srand(7); print "client,recency,orders,revenue,channel"
    for (i = 1; i <= 40000; i++) {
        rev = sprintf("%.2f", rand() * rand() * 900 + 1); rec = int(rand() * 700); o = 1 + int(rand() * rand() * 20)
        if (i % 9973 == 0) rev = ""            # no revenue: assigned, not profiled
        if (i % 12007 == 0) rec = "n/a"        # no feature: skipped by both
        if (i % 5 == 0) { rec = 30; o = 2; rev = "50.00" }   # ties
        printf "c%05d,%s,%d,%s,%s\n", i, rec, o, rev, (i % 3 ? "web" : "shop") } }' > "$T/gen.csv"
cl-kmeans -f recency,orders --log orders --k 4 --save-model "$T/gen.model" "$T/gen.csv" \
    > /dev/null 2>&1
P="--describe channel" same_as_separate "generated" --model "$T/gen.model" "$T/gen.csv"
same_as_separate "generated fr --excel" --model "$T/gen.model" --lang fr --excel "$T/gen.csv"
# the profiles' sizes and revenue shares recomputed by awk from the rows:
# a row without revenue is among the rows, not in the profiles
awk -F, 'NR > 1 && $4 != "" { n[$6]++; r[$6] += $4; t += $4 }
    END { for (c = 1; c <= 4; c++) printf "%d,%d,%.4f\n", c, n[c], r[c] / t }' \
    "$T/generated.c.csv" > "$T/expect"
awk -F, 'NR == 1 { for (j = 1; j <= NF; j++) if ($j == "revenue_share") s = j; next }
    { printf "%d,%d,%.4f\n", $1, $2, $s }' "$T/generated.p.csv" > "$T/got"
t_file_eq "generated: profile sizes and revenue shares from the rows (awk)" "$T/got" "$T/expect"
t_eq "generated: the rows without revenue are written" \
    "$(awk -F, 'NR > 1 && $4 == ""' "$T/generated.c.csv" | wc -l | tr -d ' ')" 4
t_grep "generated: a row without revenue said" "revenue is empty (row left out of the profiles)" \
    "$T/generated.err"
t_grep "generated: the profiles' count said" "--also profiles: " "$T/generated.err"
t_grep "generated: a row without a feature said" "(row skipped)" "$T/generated.err"

# --strict: a row without revenue fails the profiles, so the one run
cl-kmeans --model "$T/gen.model" --strict --profiles "$T/gen.csv" > /dev/null 2> "$T/strict.err"
t_run "--strict: an empty revenue is an error" 1 cl-kmeans --model "$T/gen.model" --strict \
    -o "$T/s.c.csv" --also profiles="$T/s.p.csv" "$T/gen.csv"
t_eq "--strict: the message of --profiles" "$(tail -1 "$T/err")" "$(tail -1 "$T/strict.err")"

# ---- refusals: usage errors (exit 2), nothing written -------------------
M="--model $T/sales.model"
refuse() {  # refuse NAME MESSAGE ARGS...
    _rn=$1; _msg=$2; shift 2
    # shellcheck disable=SC2086
    t_run "refused: $_rn" 2 cl-kmeans $M "$@" "$T/rollup.csv"
    t_grep "refused: $_rn said" "$_msg" "$T/err"
    t_grep "refused: $_rn names help" "Try 'cl-kmeans --help'." "$T/err"
}
refuse "the same file as -o" "is given as two outputs (nothing was written)" \
    -o "$T/x.csv" --also profiles="$T/x.csv"
refuse "the input" "is an input: it cannot also be an output (nothing was written)" \
    -o "$T/x.csv" --also profiles="$T/rollup.csv"
refuse "the model" "is an input: it cannot also be an output (nothing was written)" \
    -o "$T/x.csv" --also profiles="$T/sales.model"
refuse "standard output twice" "standard output is given as two outputs" --also profiles=-
refuse "a repeated name" "--also profiles= given twice" \
    --also profiles="$T/a.csv" --also profiles="$T/b.csv"
refuse "an unknown name" "--also summary=$T/a.csv: give profiles=FILE" --also summary="$T/a.csv"
refuse "no name" "--also $T/a.csv: give profiles=FILE" --also "$T/a.csv"
refuse "an empty file name" "--also profiles=: the file name is empty" --also profiles=
refuse "beside --profiles" "--profiles is the main output already" --profiles \
    --also profiles="$T/a.csv"
t_run "refused: without --model" 2 cl-kmeans --k 2 --also profiles="$T/a.csv" "$T/rollup.csv"
t_grep "refused: without --model said" "--also profiles=FILE goes with --model" "$T/err"
t_run "refused: beside --select" 2 cl-kmeans --k 2 --select --also profiles="$T/a.csv" \
    "$T/rollup.csv"
t_grep "refused: beside --select said" "goes with the rows, not with --select" "$T/err"
t_eq "refusals wrote nothing" "$(ls "$T" | grep -c '^[abx]\.csv')" 0

# ---- a failure leaves neither file half-written -------------------------
# a row with a field too many at the end: exit 1 after most rows are read
cp "$T/rollup.csv" "$T/broken.csv"
printf 'zz,1,2,3\n' >> "$T/broken.csv"
printf 'old rows\n' > "$T/f.c.csv"
printf 'old profiles\n' > "$T/f.p.csv"
t_run "a data error" 1 cl-kmeans $M -o "$T/f.c.csv" --also profiles="$T/f.p.csv" "$T/broken.csv"
t_eq "a data error: the rows file as it was" "$(cat "$T/f.c.csv")" "old rows"
t_eq "a data error: the profiles file as it was" "$(cat "$T/f.p.csv")" "old profiles"
t_run "a data error, new files" 1 cl-kmeans $M -o "$T/g.c.csv" --also profiles="$T/g.p.csv" \
    "$T/broken.csv"
t_eq "a data error: no file, no temporary" "$(ls "$T" | grep -c '^g\.')" 0
# every row skipped: the rows would be a header, the profiles have none
printf 'customer,revenue,orders,recency_days\nc1,x,1,2\n' > "$T/none.csv"
cl-kmeans $M --profiles "$T/none.csv" > /dev/null 2> "$T/none.err"
t_run "no row to profile" 1 cl-kmeans $M -o "$T/n.c.csv" --also profiles="$T/n.p.csv" \
    "$T/none.csv"
t_eq "no row to profile: the message of --profiles" "$(tail -1 "$T/err")" \
    "$(tail -1 "$T/none.err")"
t_eq "no row to profile: neither file" "$(ls "$T" | grep -c '^n\.')" 0

# ---- help ----------------------------------------------------------------
t_run "--help" 0 cl-kmeans --help
t_grep "--help: --also" "--also profiles=FILE" "$T/out"
