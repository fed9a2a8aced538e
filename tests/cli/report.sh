# cl-report on samples/: the folder's contents, the figures of the page
# against the CSVs they come from and against sums made here with awk from
# the sales lines, French formatting, migrations against a join of the two
# months' classes, hostile names, usage and data errors.
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"
market="$SAMPLES/market-countries.csv"
out="$T/reports"

# kf NAME FILE: the text of the key figure kf-NAME in a page
kf() { sed -n "s/.*id=\"kf-$1\">\([^<]*\)<.*/\1/p" "$2"; }
# metric FILE NAME
metric() { awk -F, -v m="$2" '$1 == m { print $2; exit }' "$1"; }
# en NUMBER DECIMALS / fr NUMBER DECIMALS: formatted as the page does, written
# independently: grouping by threes with a comma, or a narrow no-break space
# and a decimal comma.
fmt() {
    awk -v x="$1" -v d="$2" -v lang="$3" 'BEGIN {
        s = sprintf("%." d "f", x); neg = s ~ /^-/; if (neg) s = substr(s, 2)
        split(s, p, "."); ip = p[2] == "" ? s : p[1]; o = ""
        sep = lang == "fr" ? "\342\200\257" : ","
        while (length(ip) > 3) { o = sep substr(ip, length(ip) - 2) o; ip = substr(ip, 1, length(ip) - 3) }
        o = ip o; if (d > 0) o = o (lang == "fr" ? "," : ".") p[2]
        print (neg ? "-" : "") o }'
}

# ---- two months, as cron makes them: October, then the default (November)
t_run "report: October" 0 cl-report --quiet --month 2011-10 --market "$market" --segment Country -o "$out" "$sales"
t_eq "report: --quiet prints nothing" "$(cat "$T/out")" ""
t_run "report: November against October" 0 cl-report --quiet --previous auto --market "$market" --segment Country -o "$out" "$sales"
t_eq "report: --quiet, nothing on stdout" "$(cat "$T/out")" ""
t_eq "report: the default period is the last complete month" "$(ls "$out" | tr '\n' ' ')" "2011-10 2011-11 "
nov="$out/2011-11"
oct="$out/2011-10"
page="$nov/index.html"
missing=""
for f in index.html rollup.csv history.csv stats.csv stats-all.csv rejects.csv pareto.csv summary.csv \
         lorenz.csv rfm.csv rfm-segments.csv clusters.csv profiles.csv select.csv share.csv \
         share-summary.csv rollup-segment.csv market.csv figures.csv warnings.txt \
         pareto.svg pareto.png lorenz.svg lorenz.png abc.svg abc.png migration.svg migration.png \
         rfm.svg rfm.png personas.svg personas.png clusters.svg clusters.png select.svg select.png \
         share.svg share.png; do
    [ -s "$nov/$f" ] || missing="$missing $f"
done
t_eq "report: every file is in the folder" "$missing" ""
t_eq "report: no work folder left, only the lock file" "$(ls -A "$out" | tr '\n' ' ')" ".cl-report.lock 2011-10 2011-11 "
t_eq "report: the period" "$(metric "$nov/figures.csv" from) $(metric "$nov/figures.csv" to)" "2011-11-01 2011-11-30"
t_eq "report: PNG files are PNG" "$(head -c 4 "$nov/pareto.png" | od -An -c | tr -d ' ')" "211PNG"

# ---- figures, against awk over the sales lines (the last five fields:
# Description may hold commas) and against the CSVs
awk -F, 'NR > 1 && $(NF-1) != "" && substr($(NF-3), 1, 7) == "2011-11" { rev += $(NF-4) * $(NF-2); c[$(NF-1)] = 1 }
    END { n = 0; for (k in c) n++; printf "%.2f %d\n", rev, n }' "$sales" > "$T/sums"
read rev clients < "$T/sums"
t_eq "report: revenue = sum of quantity x price in November" "$(metric "$nov/figures.csv" revenue)" "$rev"
t_eq "report: clients = distinct customers in November" "$(metric "$nov/figures.csv" clients)" "$clients"
t_eq "report: the page's revenue" "$(kf revenue "$page")" "$(fmt "$rev" 2 en)"
t_eq "report: the page's clients" "$(kf clients "$page")" "$clients"
gini=$(metric "$nov/summary.csv" gini)
t_eq "report: the page's Gini is summary.csv's" "$(kf gini "$page")" "$(fmt "$gini" 2 en)"
# Gini from the positive revenues, sorted: sum (2i - n - 1) x_i / (n sum x)
g=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "revenue") r = i; next } $r > 0 { print $r }' "$nov/rollup.csv" | sort -g |
    awk '{ x[++n] = $1; s += $1 } END { for (i = 1; i <= n; i++) g += (2 * i - n - 1) * x[i]; printf "%.12f", g / (n * s) }')
t_close "report: Gini against a sort in awk" "$gini" "$g" 1e-9
t_eq "report: the page's top 20% share" "$(kf top20 "$page")" "$(fmt "$(metric "$nov/summary.csv" share_top20 | awk '{ print $1 * 100 }')" 1 en)%"
t_eq "report: the page's clients for 80%" "$(kf for80 "$page")" "$(metric "$nov/summary.csv" clients_for_80)"
# market share: our 126 clients over the 7,300 actual consumers of the table
eff=$(awk -F, 'NR > 1 { e += $3 } END { print e }' "$market")
t_eq "report: market share = clients / actual consumers" "$(kf share-effective "$page")" "$(fmt "$(awk -v c="$clients" -v e="$eff" 'BEGIN { print 100 * c / e }')" 1 en)%"
t_eq "report: previous figures: October's revenue in the change" \
    "$(grep -o '<div class="d [a-z]*">[^<]*</div>' "$page" | head -1 | sed 's/<[^>]*>//g')" \
    "+$(fmt "$(awk -v a="$rev" -v b="$(metric "$oct/figures.csv" revenue)" 'BEGIN { print 100 * (a - b) / b }')" 1 en)% vs October 2011"
t_grep "report: data quality, lines of the period" \
    "This period: $(fmt "$(metric "$nov/stats.csv" lines_used)" 0 en) lines used, $(fmt "$(metric "$nov/stats.csv" lines_out_of_period)" 0 en) outside the period, $(metric "$nov/stats.csv" lines_rejected) rejected." "$page"
t_grep "report: data quality, the reason" "<li>no customer id: $(metric "$nov/stats.csv" rejected_no_customer_id)</li>" "$page"

# RFM and personas are over the history (all sales up to November 30)
hist=$(awk -F, 'NR > 1 && $(NF-1) != "" && substr($(NF-3), 1, 10) <= "2011-11-30" { c[$(NF-1)] = 1 } END { n = 0; for (k in c) n++; print n }' "$sales")
t_eq "report: history clients" "$(metric "$nov/figures.csv" history_clients)" "$hist"
t_eq "report: RFM segments add up to the history" "$(awk -F, 'NR > 1 { n += $2 } END { print n }' "$nov/rfm-segments.csv")" "$hist"
t_eq "report: RFM segment counts" \
    "$(awk -F, 'NR > 1 { print $NF }' "$nov/rfm.csv" | sort | uniq -c | awk '{ n = $1; $1 = ""; print substr($0, 2) "=" n }' | sort | tr '\n' ' ')" \
    "$(awk -F, 'NR > 1 { print $1 "=" $2 }' "$nov/rfm-segments.csv" | sort | tr '\n' ' ')"
t_eq "report: personas: the rows' clusters and the profiles' sizes agree" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "cluster") c = i; next } { print $c }' "$nov/clusters.csv" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" \
    "$(awk -F, 'NR > 1 { print $1 "=" $2 }' "$nov/profiles.csv" | tr '\n' ' ')"
t_eq "report: personas in the page" "$(grep -c '^<tr><td>[0-9]*\. ' "$page")" "$(metric "$nov/figures.csv" personas)"

# migrations: join October's and November's classes here
awk -F, 'FNR == 1 { f++; for (i = 1; i <= NF; i++) if ($i == "class") c = i; next }
    f == 1 { old[$1] = $c; next }
    { k = ($1 in old) ? old[$1] : "new"; m[k "_" $c]++; seen[$1] = 1 }
    END { for (x in old) if (!(x in seen)) m[old[x] "_lost"]++
          for (x in m) print "migrate_" x "," m[x] }' "$oct/pareto.csv" "$nov/pareto.csv" | sort > "$T/mig"
grep '^migrate_' "$nov/summary.csv" | grep -v ',0$' | sort > "$T/mig.summary"
t_file_eq "report: migrations = a join of the two months' classes" "$T/mig.summary" "$T/mig"
t_eq "report: the page's A to A" "$(sed -n 's/.*id="migrate_A_A">\([^<]*\)<.*/\1/p' "$page")" "$(grep '^migrate_A_A,' "$T/mig" | cut -d, -f2)"

# a fall is written with the minus sign U+2212, as the charts write it
t_eq "report: a fall with the minus sign, not a hyphen" \
    "$(grep -o 'class="d [a-z]*">-[0-9]' "$page" | head -1)" ""
t_eq "report: the fall of the top 20% share, in points" \
    "$(grep -c 'class="d [a-z]*">−[0-9][0-9.,]* pts' "$page")" \
    "$(awk -F, '$1 == "share_top20" { v[FILENAME] = $2 } END { n = 0; for (f in v) if (f ~ /2011-11/) c = v[f]; else p = v[f]; print (c < p) ? 1 : 0 }' "$nov/figures.csv" "$out/2011-10/figures.csv")"

# the inline charts: every chart, ids prefixed, no id twice
t_eq "report: charts inline" "$(grep -c '^<svg class="chart"' "$page")" 10   # 9 + the cohorts
t_eq "report: no id twice in the page" "$(grep -o ' id=["'"'"'][^"'"'"']*' "$page" | sort | uniq -d | head -3)" ""
t_eq "report: no network, no script" "$(grep -ci '<script\|<link\|src="http\|href="http' "$page")" 0

# ---- French
fr="$T/fr"
t_run "report: --lang fr" 0 cl-report --quiet --lang fr --month 2011-11 --market "$market" --segment Country -o "$fr" "$sales"
frpage="$fr/2011-11/index.html"
t_eq "report: fr revenue" "$(kf revenue "$frpage")" "$(fmt "$rev" 2 fr)"
t_eq "report: fr Gini" "$(kf gini "$frpage")" "$(fmt "$gini" 2 fr)"
t_eq "report: fr top 20%" "$(kf top20 "$frpage")" "$(fmt "$(metric "$nov/summary.csv" share_top20 | awk '{ print $1 * 100 }')" 1 fr)$(printf '\342\200\257')%"
t_grep "report: fr title" "<h1>Rapport clients — novembre 2011</h1>" "$frpage"
t_grep "report: fr lang" '<html lang="fr">' "$frpage"
t_file_eq "report: fr figures equal en figures" "$fr/2011-11/figures.csv" "$nov/figures.csv"

# ---- hostile names: data text never becomes markup
h="$T/hostile.csv"
{
    echo 'InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
    i=0
    # the ids as CSV fields: <script>..., "><img ...>, a&b'c"d, then plain ones
    for c in '<script>alert(1)</script>' '"""><img src=x onerror=alert(2)>"' "\"a&b'c\"\"d\"" \
             C4 C5 C6 C7 C8 C9 C10 C11 C12; do
        i=$((i + 1))
        for d in 05 12 19 26; do
            [ $((i % 4)) -lt $((${d#0} / 7)) ] && continue   # some buy less often
            echo "I$i$d,$((13 - i)),2024-03-$d 10:00:00,$(((13 - i) * 7)).50,$c,<b>Land</b>"
        done
    done
    echo "I99,1,2024-04-02 09:00:00,3.00,C4,<b>Land</b>"
} > "$h"
printf 'Country,effective,ncr,market_revenue\n<b>Land</b>,500,800,90000.00\n' > "$T/hmarket.csv"
t_run "report: hostile names" 0 cl-report --quiet --market "$T/hmarket.csv" --segment Country -o "$T/h" "$h"
hp="$T/h/2024-03/index.html"
t_eq "report: hostile: no script, img or b element" "$(grep -ci '<script\|<img\|<b>' "$hp")" 0
t_grep "report: hostile: the script name, escaped" '&lt;script&gt;alert(1)&lt;/script&gt;' "$hp"
t_grep "report: hostile: the quote and ampersand, escaped" 'a&amp;b&#39;c&quot;d' "$hp"
t_grep "report: hostile: the segment, escaped" '<td>&lt;b&gt;Land&lt;/b&gt;</td>' "$hp"

# ---- usage and data errors
t_run "report: --version" 0 cl-report --version
t_eq "report: --version text, the VERSION file's" "$(cat "$T/out")" "cl-report (clientele) $(cat "$CL_TESTS/../VERSION")"
t_run "report: no -o" 2 cl-report "$sales"
t_grep "report: no -o, the hint" "Try 'cl-report --help'." "$T/err"
t_run "report: bad --lang" 2 cl-report --lang de -o "$T/x" "$sales"
t_run "report: bad --month" 2 cl-report --month 2011-13 -o "$T/x" "$sales"
t_run "report: --month with --from" 2 cl-report --month 2011-11 --from 2011-11-01 --to 2011-11-30 -o "$T/x" "$sales"
t_run "report: unknown option" 2 cl-report --colour -o "$T/x" "$sales"
t_run "report: missing sales file" 1 cl-report -o "$T/x" "$T/nothing.csv"
t_grep "report: missing file, the message" "cl-report: $T/nothing.csv: cannot read the sales file" "$T/err"
t_run "report: a month without sales" 1 cl-report --month 2010-01 -o "$T/empty" "$sales"
t_eq "report: a failed run leaves nothing but the lock file" "$(ls -A "$T/empty" | tr '\n' ' ')" ".cl-report.lock "
t_grep "report: a failed run says why" "left as it was" "$T/err"

# ---- a market segment of returns only: cl-share --negative-as-zero counts it
# 0 and says so; the page says it in the market section, in its language,
# with the exact sum (three decimals), not among the warnings
neg="$T/neg.csv"
{ cat "$sales"
  echo '999001,X1,THING,-3,2011-11-05 10:00:00,4.125,99901.0,Switzerland'
  echo '999002,X1,THING,1,2011-11-06 10:00:00,2.5,99902.0,Switzerland'; } > "$neg"
# the segment's net revenue computed here: the sales' own Swiss lines plus these two
swiss=$(awk -F, '$8 == "Switzerland" && $5 ~ /^2011-11/ && $7 != "" { s += $4 * $6 }
    END { printf "%.3f", s }' "$neg")
t_run "report: a segment of returns only" 0 cl-report --quiet --month 2011-11 --market "$market" \
    --segment Country -o "$T/neg" "$neg"
t_eq "report: ... the segment is negative in the data (the case is tested)" \
    "$(echo "$swiss" | cut -c1)" "-"
t_grep "report: ... the page says it counts 0, with the exact sum" \
    "Segment Switzerland: net revenue $(printf '\342\210\222')${swiss#-} (returns), counted as 0" \
    "$T/neg/2011-11/index.html"
t_eq "report: ... not among the page's warnings" \
    "$(grep -c 'counted as 0 (--negative' "$T/neg/2011-11/index.html")" 0
t_eq "report: ... its revenue counts 0 in share.csv" \
    "$(awk -F, '$1 == "Switzerland" { print $13 }' "$T/neg/2011-11/share.csv")" "0.000"
t_run "report: ... in French" 0 cl-report --quiet --lang fr --month 2011-11 --market "$market" \
    --segment Country -o "$T/negfr" "$neg"
t_grep "report: ... the French sentence" \
    "Segment Switzerland&#8239;: CA net $(printf '\342\210\222')$(echo "${swiss#-}" | tr . ,) (retours)" \
    "$T/negfr/2011-11/index.html"

# ---- the programs' messages as a manager reads them: no internal file, no
# program's technical parenthesis, the known ones in the page's language
t_eq "report: ... no internal file named among the messages" \
    "$(grep -v 'href=' "$T/negfr/2011-11/index.html" | grep -c 'rollup-segment\.csv\|market\.csv:[0-9]\|history\.csv')" 0
t_grep "report: ... a market segment without our clients, in French" \
    "<li>Segment Portugal&#8239;: aucun de nos clients n’y a acheté sur la période.</li>" \
    "$T/negfr/2011-11/index.html"
t_grep "report: ... cl-cohort's note in French" \
    "Laissés hors des cohortes&#8239;: 6 clients qui n’ont jamais acheté" "$T/negfr/2011-11/index.html"
t_eq "report: ... cl-clv's message without its parenthesis of figures" \
    "$(grep -c 'BG/NBD.*a/(a + b)' "$T/neg/2011-11/index.html")" 0
