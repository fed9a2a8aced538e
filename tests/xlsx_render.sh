#!/bin/sh
# make check-xlsx: the demo's report.xlsx opened by another program.
# Runs after make demo, on the last month (demo-out/2011-11, with migrations):
#   1. LibreOffice headless converts the workbook to PDF (every sheet), and
#      pdftoppm turns the pages into PNGs in build/xlsx/ (to look at);
#   2. the key-figure page shows the revenue and the top-20% share with
#      their formats (1,234.56 and 55.39%), computed here from figures.csv;
#   3. the native charts were drawn: the Pareto chart's title, and the ABC
#      chart's title with its data labels (the class shares of summary.csv
#      as whole percentages);
#   4. Excel's row limit: 1,048,575 rows under a header make a workbook,
#      one more is an error and no file.
# Prints "ok - ..." or "not ok - ..." lines, then "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${CL_BIN:-$top/build/release/bin}
out="$top/build/xlsx"
rm -rf "$out"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok()   { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "not ok - $1"; shift; for l in "$@"; do echo "# $l"; done; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
t_eq() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got:      $2" "expected: $3"; fi; }

office=""
for o in soffice libreoffice; do
    command -v "$o" >/dev/null 2>&1 && { office=$o; break; }
done
if [ -z "$office" ]; then
    fail "LibreOffice is installed (apt-get install libreoffice-calc-nogui)"
    finish
fi
command -v pdftoppm >/dev/null 2>&1 || { fail "poppler-utils is installed"; finish; }

dir=$(ls -d "$top"/demo-out/*/ | tail -n 1)
book="$dir/report.xlsx"
if [ -f "$book" ]; then ok "the demo wrote $book"
else fail "the demo wrote report.xlsx in $dir"; finish; fi

# its own profile, so that it neither needs nor touches the user's
timeout 300 "$office" -env:UserInstallation="file://$tmp/profile" --headless \
    --convert-to pdf --outdir "$out" "$book" > "$tmp/office.log" 2>&1
pdf="$out/report.pdf"
[ -s "$pdf" ] && ok "LibreOffice converts report.xlsx to PDF" || {
    fail "LibreOffice converts report.xlsx to PDF" "$(head -c 400 "$tmp/office.log")"; finish; }
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
if [ "$pages" -ge 13 ]; then ok "a page at least per sheet ($pages)"
else fail "a page per sheet" "$pages pages"; fi
pdftoppm -r 80 -png "$pdf" "$out/report"
t_eq "every page as a PNG in build/xlsx/" "$(ls "$out"/report-*.png | wc -l)" "$pages"

metric() { awk -F, -v m="$1" '$1 == m { print $2; exit }' "$2"; }
page1=$(pdftotext -f 1 -l 1 -layout "$pdf" -)
revenue=$(metric revenue "$dir/figures.csv" | awk '{
    n = split($1, p, "."); s = p[1]; o = ""
    while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
    print s o "." p[2] }')
top20=$(metric share_top20 "$dir/figures.csv" | awk '{ printf "%.2f%%", $1 * 100 }')
case "$page1" in *"$revenue"*) ok "key figures: the revenue shown as $revenue" ;;
    *) fail "key figures: the revenue shown as $revenue" "$(echo "$page1" | head -8)" ;; esac
case "$page1" in *"$top20"*) ok "key figures: share_top20 shown as $top20" ;;
    *) fail "key figures: share_top20 shown as $top20" "$(echo "$page1" | head -12)" ;; esac

# the pages holding each native chart's title
find_page() {
    p=1
    while [ $p -le "$pages" ]; do
        pdftotext -f $p -l $p "$pdf" - | grep -qF "$1" && { echo $p; return; }
        p=$((p + 1))
    done
}
pareto_page=$(find_page "Pareto: cumulative share of value, top 30 clients")
[ -n "$pareto_page" ] && ok "the native Pareto chart is drawn (page $pareto_page)" ||
    fail "the native Pareto chart is drawn"
abc_page=$(find_page "ABC classes: clients and value")
[ -n "$abc_page" ] && ok "the native ABC chart is drawn (page $abc_page)" ||
    fail "the native ABC chart is drawn"
if [ -n "$abc_page" ]; then
    text=$(pdftotext -f "$abc_page" -l "$abc_page" "$pdf" -)
    for c in A B C; do
        v=$(metric "class_${c}_value_share" "$dir/summary.csv" |
            awk '{ printf "%.0f%%", $1 * 100 }')
        if echo "$text" | grep -Eq "(^|[^0-9])$v"; then
            ok "ABC chart: class $c's value share labelled $v"
        else fail "ABC chart: class $c's value share labelled $v"; fi
    done
    cp "$out/report-$(printf '%02d' "$abc_page").png" "$out/abc-page.png"
fi
[ -n "$pareto_page" ] && cp "$out/report-$(printf '%02d' "$pareto_page").png" "$out/pareto-page.png"

# Excel's row limit, exactly
awk 'BEGIN { print "n"; for (i = 1; i <= 1048575; i++) print i }' > "$tmp/full.csv"
"$bin/cl-workbook" -o "$tmp/full.xlsx" "$tmp/full.csv" 2> "$tmp/err"
t_eq "1,048,575 rows and a header fill a sheet" "$?" 0
echo 1048576 >> "$tmp/full.csv"
"$bin/cl-workbook" -o "$tmp/over.xlsx" "$tmp/full.csv" 2> "$tmp/err"
t_eq "one row more is an error" "$?" 1
t_eq "one row more, the message" "$(cat "$tmp/err")" \
    "cl-workbook: $tmp/full.csv: sheet \"full\": more than 1,048,576 rows, Excel's limit; $(
    )write CSV instead"
t_eq "one row more, no workbook" "$(ls "$tmp"/over.xlsx* 2>/dev/null)" ""
echo "pages to look at: $out/report-*.png"
finish
