# cl-report's page (cl-page): the figures on the page equal the programs'
# exact outputs and sums made here with Python's Decimal (three-decimal
# prices), the margin with a cost column, a partial month, the page made
# again from a finished folder.
. "$CL_TESTS/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# kf NAME FILE: the text of the key figure kf-NAME in a page
kf() { sed -n "s/.*id=\"kf-$1\">\([^<]*\)<.*/\1/p" "$2"; }
metric() { awk -F, -v m="$2" '$1 == m { print $2; exit }' "$1"; }
# grouped DECIMAL: an exact decimal string written as the page does
# (thousands by commas, at least two decimals, every other one kept; the
# minus sign U+2212), by Python's Decimal, independently of lib/.
grouped() {
    "$PY" -c '
import sys
from decimal import Decimal
d = Decimal(sys.argv[1])
s = format(abs(d), "f")
i, _, f = s.partition(".")
f = f.rstrip("0")
f = f + "0" * (2 - len(f)) if len(f) < 2 else f
i = "{:,}".format(int(i))
print(("\u2212" if d < 0 else "") + i + "." + f)' "$1"
}

# ---- three-decimal prices: 40 clients, prices like 0.333 and 12.125
"$PY" - > "$T/sales3.csv" <<'X'
import random
random.seed(7)
print("InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice")
n = 0
for day in range(1, 31):
    for k in range(6):
        n += 1
        c = random.randint(1, 40)
        q = random.randint(1, 9)
        p = "%d.%03d" % (random.randint(0, 40), random.randint(1, 999))
        print("I%05d,2024-03-%02d,C%03d,%d,%s" % (n, day, c, q, p))
X
t_run "report page: three-decimal prices" 0 cl-report --quiet --month 2024-03 -o "$T/r3" "$T/sales3.csv"
d="$T/r3/2024-03"
"$PY" - "$T/sales3.csv" > "$T/sums3" <<'X'
import csv, sys
from decimal import Decimal
rows = list(csv.DictReader(open(sys.argv[1])))
rev = sum(Decimal(r["Quantity"]) * Decimal(r["UnitPrice"]) for r in rows)
print(rev, len({r["CustomerID"] for r in rows}))
X
read rev3 clients3 < "$T/sums3"
t_eq "report page: figures.csv revenue = Decimal sum of quantity x price" \
    "$(metric "$d/figures.csv" revenue)" "$rev3"
t_eq "report page: ... it has its three decimals (not rounded to two)" \
    "$(metric "$d/figures.csv" revenue | sed 's/.*\.//' | wc -c)" "4"
t_eq "report page: ... = cl-pareto's exact summary total (no client at 0 or less)" \
    "$(metric "$d/summary.csv" total)" "$rev3"
t_eq "report page: the page's revenue, exact" "$(kf revenue "$d/index.html")" "$(grouped "$rev3")"
t_eq "report page: the page's clients" "$(kf clients "$d/index.html")" "$clients3"
# RFM segments: each segment's revenue = Decimal sum over rfm.csv's rows
"$PY" - "$d/rfm.csv" > "$T/seg.want" <<'X'
import csv, sys
from decimal import Decimal
order = ["champions", "loyal", "potential loyalists", "new", "promising", "need attention",
         "about to sleep", "at risk", "cannot lose them", "hibernating", "lost"]
tot, cnt = {}, {}
for r in csv.DictReader(open(sys.argv[1])):
    tot[r["segment"]] = tot.get(r["segment"], Decimal(0)) + Decimal(r["revenue"])
    cnt[r["segment"]] = cnt.get(r["segment"], 0) + 1
for s in order:
    if s in tot:
        print("%s,%d,%s" % (s, cnt[s], tot[s]))
X
cut -d, -f1,2,4 "$d/rfm-segments.csv" | tail -n +2 > "$T/seg.got"
t_file_eq "report page: rfm-segments.csv revenue per segment = Decimal sums over rfm.csv" \
    "$T/seg.got" "$T/seg.want"
first_seg_rev=$(sed -n 2p "$d/rfm-segments.csv" | cut -d, -f4)
t_grep "report page: ... the page shows the first segment's exact revenue" \
    "<td class=\"n\">$(grouped "$first_seg_rev")</td>" "$d/index.html"
# the ten largest clients: each revenue on the page = pareto.csv's cell
sed -n 's/.*<tr><td class="n">\([0-9]*\)<\/td><td class="id">[^<]*<\/td><td class="n">\([^<]*\)<.*/\1 \2/p' \
    "$d/index.html" | head -10 > "$T/top.got"
awk -F, 'NR > 1 && NR <= 11 { print $2 }' "$d/pareto.csv" > "$T/top.rev"
: > "$T/top.want"
while read -r rank_rev; do printf '%s\n' "$(grouped "$rank_rev")"; done < "$T/top.rev" |
    awk '{ print NR " " $0 }' > "$T/top.want"
t_file_eq "report page: the ten largest clients' revenue = pareto.csv's exact cells" \
    "$T/top.got" "$T/top.want"

# ---- the page again from the finished folder (its CSVs neutralised): the same
t_run "report page: cl-page on the finished folder" 0 cl-page -o "$T/again.html" "$d"
t_file_eq "report page: ... gives the same page" "$T/again.html" "$d/index.html"
cp "$d/figures.csv" "$T/figures.kept"
t_run "report page: cl-page -o onto one of its inputs" 2 cl-page -o "$d/figures.csv" "$d"
t_eq "report page: ... is refused" "$(head -1 "$T/err")" \
    "cl-page: $d/figures.csv is an input: it cannot also be an output (nothing was written)"
t_file_eq "report page: ... and the figures are intact" "$d/figures.csv" "$T/figures.kept"
CLIENTELE_LANG=fr cl-page -o "$T/fr.html" "$d" 2> /dev/null
t_eq "report page: CLIENTELE_LANG=fr gives the French page" \
    "$(grep -c '<html lang="fr"' "$T/fr.html")" 1
t_run "report page: cl-page on a folder without figures.csv" 1 cl-page "$T"
t_eq "report page: ... says so" "$(cat "$T/err")" "cl-page: $T: not a cl-report folder (no figures.csv)"

# ---- margin: Online Retail-like sales with a unit cost (some sold at a loss)
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",UnitCost"; next }
    { c = $(NF-1); f = (c % 7 == 3) ? 1.15 : 0.62; printf "%s,%.3f\n", $0, $(NF-2) * f }' \
    "$SAMPLES/sales.csv" > "$T/cost.csv"
t_run "report page: a cost column" 0 cl-report --quiet --month 2011-11 --cost UnitCost -o "$T/rc" "$T/cost.csv"
d="$T/rc/2011-11"
"$PY" - "$T/cost.csv" > "$T/margin" <<'X'
import csv, sys
from decimal import Decimal
rev = mar = Decimal(0)
for r in csv.DictReader(open(sys.argv[1])):
    if not r["CustomerID"] or not r["InvoiceDate"].startswith("2011-11"):
        continue
    q, p, c = Decimal(r["Quantity"]), Decimal(r["UnitPrice"]), Decimal(r["UnitCost"])
    rev += q * p
    mar += q * (p - c)
print(rev, mar, "%.1f" % (100 * mar / rev))
X
read revc marc ratec < "$T/margin"
t_eq "report page: margin = Decimal sum of quantity x (price - cost)" \
    "$(metric "$d/figures.csv" margin)" "$marc"
t_eq "report page: the page's margin" "$(kf margin "$d/index.html")" "$(grouped "$marc")"
t_eq "report page: the page's margin rate" "$(kf margin-rate "$d/index.html")" "$ratec%"
t_grep "report page: the margin section" '<section id="margin">' "$d/index.html"
t_grep "report page: ... its ABC table by margin" 'id="abc-margin-table"' "$d/index.html"
t_grep "report page: ... its Pareto chart by margin" 'id="fig-pareto-margin"' "$d/index.html"
for c in A B C; do
    t_grep "report page: ... class $c by margin = summary-margin.csv" \
        "<tr><td>$c</td><td class=\"n\">$(metric "$d/summary-margin.csv" "class_${c}_clients")</td>" "$d/index.html"
done
# the clients A by revenue and C (or below 0) by margin: a join made here
"$PY" - "$d/pareto.csv" "$d/pareto-margin.csv" > "$T/arc.want" <<'X'
import csv, sys
rev = list(csv.reader(open(sys.argv[1])))
mar = list(csv.reader(open(sys.argv[2])))
rc, mc = rev[0].index("class"), mar[0].index("class")
margin_class = {r[0]: r[mc] for r in mar[1:]}
for r in rev[1:]:
    if r[rc] == "A" and margin_class.get(r[0]) in ("C", "-"):
        print(r[0])
X
sed -n '/<table id="a-revenue-c-margin">/,/<\/table>/p' "$d/index.html" |
    sed -n 's/^<tr><td class="id">\([^<]*\)<.*/\1/p' > "$T/arc.got"
head -15 "$T/arc.want" > "$T/arc.want15"
t_file_eq "report page: clients A by revenue and C by margin = a join of the two rankings" \
    "$T/arc.got" "$T/arc.want15"
t_eq "report page: ... there are some (the test data sell some clients at a loss)" \
    "$([ -s "$T/arc.want" ] && echo yes)" "yes"

# ---- a partial month: the data end on 9 December 2011
t_run "report page: December 2011, data up to the 9th" 0 \
    cl-report --quiet --month 2011-12 -o "$T/rp" "$SAMPLES/sales.csv"
d="$T/rp/2011-12"
t_grep "report page: ... marked partial, with the days covered" \
    "Partial period: the sales end on 9 December 2011, before the end of December 2011. This report covers 9 of its 31 days." \
    "$d/index.html"
t_eq "report page: ... figures.csv says the last day" "$(metric "$d/figures.csv" partial_to)" "2011-12-09"
awk -F, 'NR > 1 && $(NF-1) != "" && substr($(NF-3), 1, 10) >= "2011-11-01" && substr($(NF-3), 1, 10) <= "2011-11-09" {
        r += $(NF-4) * $(NF-2) } END { printf "%.2f\n", r }' "$SAMPLES/sales.csv" > "$T/same"
t_eq "report page: ... the same days of November, summed here" \
    "$(metric "$d/figures.csv" same_days_revenue)" "$(cat "$T/same")"
t_eq "report page: ... the revenue change is against those days" \
    "$(grep -o '<div class="d [a-z]*">[^<]*</div>' "$d/index.html" | head -1 | sed 's/<[^>]*>//g')" \
    "+$(awk -v a="$(metric "$d/figures.csv" revenue)" -v b="$(cat "$T/same")" 'BEGIN { printf "%.1f", 100 * (a - b) / b }')% vs the same days (1 November 2011 – 9 November 2011)"
t_eq "report page: ... recency counted from the day after the last sale" \
    "$(metric "$d/figures.csv" asof)" "2011-12-10"
t_run "report page: ... in French" 0 cl-report --quiet --lang fr --month 2011-12 -o "$T/rpf" "$SAMPLES/sales.csv"
t_grep "report page: ... partielle, en français" \
    "Période partielle&#8239;: les ventes s’arrêtent le 9 décembre 2011, avant la fin de décembre 2011. Ce rapport en couvre 9 jours sur 31." \
    "$T/rpf/2011-12/index.html"
t_eq "report page: a complete month is not marked partial" \
    "$(grep -c 'id="partial"' "$T/rc/2011-11/index.html")" "0"


# ---- --from alone: up to the last sale
t_run "report page: --from alone" 0 cl-report --quiet --from 2011-11-15 -o "$T/rf" "$SAMPLES/sales.csv"
t_eq "report page: ... the folder runs to the last sale" "$(ls "$T/rf")" "2011-11-15_2011-12-09"
t_eq "report page: ... not partial (it ends where the data do)" \
    "$(grep -c 'id="partial"' "$T/rf/2011-11-15_2011-12-09/index.html")" "0"
t_run "report page: --to alone" 2 cl-report --quiet --to 2011-11-15 -o "$T/rt" "$SAMPLES/sales.csv"
t_eq "report page: ... says what it needs" "$(head -1 "$T/err")" \
    "cl-report: --to needs --from (--from alone runs to the last sale)"

# ---- cl-page --calendar and --label: cl-report's dates and subtitles,
# against date(1) (the leap years 1900, 2000, 2012, 2011's February)
cal_ok=1
for d in 1900-02-28 2000-02-28 2000-02-29 2011-02-28 2011-12-31 2012-02-28 2012-02-29 2011-04-30; do
    got=$(cl-page --calendar next-day "$d")
    want=$(date -u -d "$d + 1 day" +%Y-%m-%d)
    [ "$got" = "$want" ] || { cal_ok=0; echo "# next-day $d: $got, date(1): $want"; }
    m=${d%-*}
    got=$(cl-page --calendar month-end "$m")
    want=$(date -u -d "$m-01 + 1 month - 1 day" +%Y-%m-%d)
    [ "$got" = "$want" ] || { cal_ok=0; echo "# month-end $m: $got, date(1): $want"; }
    got=$(cl-page --calendar month-before "$m")
    want=$(date -u -d "$m-15 - 1 month" +%Y-%m)
    [ "$got" = "$want" ] || { cal_ok=0; echo "# month-before $m: $got, date(1): $want"; }
done
t_eq "page: --calendar agrees with date(1) on next-day, month-end, month-before" "$cal_ok" 1
t_run "page: --calendar valid refuses 29 February 2011" 1 cl-page --calendar valid 2011-02-29
t_grep "page: ... and says why" "'2011-02-29' is not a date YYYY-MM-DD" "$T/err"
t_run "page: --calendar valid takes 29 February 2012" 0 cl-page --calendar valid 2012-02-29
t_run "page: --calendar month-end refuses month 13" 1 cl-page --calendar month-end 2011-13
t_run "page: --calendar refuses the day after 9999-12-31" 1 cl-page --calendar next-day 9999-12-31
t_run "page: --calendar, an unknown OP" 1 cl-page --calendar tomorrow 2011-01-01
t_run "page: --calendar without ARG" 2 cl-page --calendar next-day
t_eq "page: --label period, a month" "$(cl-page --lang en --label period 2011-11)" "November 2011"
t_eq "page: --label period, two dates in French" \
    "$(cl-page --lang fr --label period 2011-12-01_2011-12-09)" "1er décembre 2011 – 9 décembre 2011"
t_eq "page: --label history" "$(cl-page --lang fr --label history 2011-11-30)" \
    "clients jusqu’au 30 novembre 2011"
t_run "page: --label period, not a period" 1 cl-page --label period 'x<b>'

# ---- cl-page --derive: the small tables made from a folder's CSVs
dv="$T/derive"; mkdir -p "$dv/now" "$dv/prev"
printf 'prescriber,revenue,clients,last_date\n=A,10.125,1,2011-11-02\n' > "$dv/now/prescribers.csv"
# the previous report's cells neutralised for spreadsheets ('=A is =A)
printf 'prescriber,revenue,clients,last_date\n"'"'"'=A",5,1,2011-10-01\nB,7.5,2,2011-10-03\nC,12.001,1,2011-10-09\nD,7.5,1,2011-10-04\n' \
    > "$dv/prev/prescribers.csv"
t_run "page: --derive stopped" 0 cl-page --derive stopped --previous "$dv/prev" "$dv/now"
t_eq "page: ... the previous prescribers absent now, the largest first, ties in order, '=A is =A" \
    "$(cat "$T/out")" "prescriber,previous_revenue,previous_clients,last_date
C,12.001,1,2011-10-09
B,7.5,2,2011-10-03
D,7.5,1,2011-10-04"
t_run "page: --derive stopped needs --previous" 1 cl-page --derive stopped "$dv/now"
printf 'cohort,period,cohort_size,active,retention,partial\n2010-09,1,10,5,0.5,0\n2010-10,1,20,4,0.2,0\n2011-09,1,30,6,0.2,0\n2011-10,1,40,30,0.75,1\n2011-09,3,30,3,0.1,0\n' \
    > "$dv/now/cohorts.csv"
t_run "page: --derive retention" 0 cl-page --derive retention "$dv/now"
t_eq "page: ... the last complete cohort of each month, beside the year before" "$(cat "$T/out")" \
"months,cohort,cohort_size,retention,year_before_cohort,year_before_size,year_before_retention
1,2011-09,30,0.2,2010-09,10,0.5
3,2011-09,30,0.1,2010-09,,
6,,,,,,"
# features: the clients counted, and each persona feature the same for
# every client with its value (1.0 and 1 are the same number); a feature
# that differs only on the last row is not the same, and rows are counted
# to the end once every feature differs (the cells no longer read)
mkdir -p "$dv/f1" "$dv/f2" "$dv/f3"
printf 'customer,recency_days,orders,revenue\nA,5,1,10\nB,5,1.0,20\nC,5,1,20\n' \
    > "$dv/f1/history.csv"
t_run "page: --derive features" 0 cl-page --derive features "$dv/f1"
t_eq "page: ... the clients and the features the same for all" "$(cat "$T/out")" "metric,value
clients,3
recency_days,5
orders,1"
{ echo customer,recency_days,orders,revenue
  i=0; while [ $i -lt 3000 ]; do echo "\"C,$i\",7,$((i % 5)),1$i.5"; i=$((i + 1)); done
  echo 'Z,8,2,3'; } > "$dv/f2/history.csv"
t_run "page: --derive features, one differing on the last row" 0 cl-page --derive features \
    "$dv/f2"
t_eq "page: ... not the same; every row counted" "$(cat "$T/out")" "metric,value
clients,3001"
{ cat "$dv/f2/history.csv"; echo 'Y,8,2'; } > "$dv/f3/history.csv"
t_run "page: --derive features, a short row after every feature differs" 1 cl-page --derive \
    features "$dv/f3"
t_grep "page: ... named by its line" "history.csv:3003: 3 fields where the header has 4" "$T/err"
# prescribed: the clients with a prescriber (prescribers > 0, counted
# here by awk); no prescribers column: no row, and only the header read
# (a short row further on is not looked at)
mkdir -p "$dv/p1" "$dv/p2"
{ echo customer,revenue,prescribers
  i=0; while [ $i -lt 2000 ]; do echo "C$i,1$i.5,$((i % 3))"; i=$((i + 1)); done; } \
    > "$dv/p1/rollup.csv"
t_run "page: --derive prescribed" 0 cl-page --derive prescribed "$dv/p1"
t_eq "page: ... the clients with a prescriber" "$(cat "$T/out")" "metric,value
prescribed_clients,$(awk -F, 'NR > 1 && $3 > 0' "$dv/p1/rollup.csv" | wc -l | tr -d ' ')"
printf 'customer,revenue\nA,1\nB\n' > "$dv/p2/rollup.csv"
t_run "page: --derive prescribed, no prescribers column" 0 cl-page --derive prescribed "$dv/p2"
t_eq "page: ... no row" "$(cat "$T/out")" "metric,value"
t_run "page: --derive, a table it does not know" 2 cl-page --derive nothing "$dv/now"
# every table the man page names is in --help, and cl-page knows it
for w in $(sed -n '/^\.BI \\-\\-derive/,/^\.TP/p' "$CL_TESTS/../docs/cl-page.1" |
           grep -o '\\fB[a-z-]*\\fR' | sed 's/\\fB\(.*\)\\fR/\1/' | grep -v '^o$'); do
    t_eq "page: --derive $w in --help" "$(cl-page --help | tr -s ' \n' '  ' | grep -c -- "[ :,]$w[ ,)]")" 1
done
t_run "page: --derive at-risk without clv.csv" 1 cl-page --derive at-risk "$dv/now"

# ---- cl-page --copy: cells made safe for spreadsheets, and read back
printf 'id,value\n=1+1,-1.5e3\n-,+\n@x,"a,""b"""\n-x,.5\n' > "$T/cells.csv"
t_run "page: --copy neutral" 0 cl-page --copy neutral -o "$T/cells-n.csv" "$T/cells.csv"
t_eq "page: ... formulas behind an apostrophe, numbers and a lone - or + as they are" \
    "$(cat "$T/cells-n.csv")" "id,value
\"'=1+1\",-1.5e3
-,+
\"'@x\",\"a,\"\"b\"\"\"
\"'-x\",.5"
t_run "page: --copy raw" 0 cl-page --copy raw -o "$T/cells-r.csv" "$T/cells-n.csv"
t_file_eq "page: ... gives the cells back as they were" "$T/cells-r.csv" "$T/cells.csv"
t_run "page: --copy, an unknown way" 2 cl-page --copy other "$T/cells.csv"
# the key figures named for the workbook, beside the previous period's
printf 'metric,value\nperiod,2011-11\nrevenue,10.125\nasof,2011-12-01\nprescribers,3\n' > "$dv/now/figures.csv"
printf 'metric,value\nperiod,2011-10\nrevenue,9.5\n' > "$dv/prev/figures.csv"
t_run "page: --derive key-figures" 0 cl-page --lang fr --derive key-figures --previous "$dv/prev" \
    "$dv/now"
t_eq "page: ... named in French, beside the previous, asof left out, an unnamed one as it is" \
    "$(cat "$T/out")" 'metric,label,value,previous
period,"Période",2011-11,2011-10
revenue,"Chiffre d’affaires",10.125,9.5
prescribers,"prescribers",3,'
