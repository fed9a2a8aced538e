# cl-page's own options (the page's figures are checked in report_page.sh):
# a usage error is exit 2 with one line, --quiet and --verbose as in every
# program, the programs' messages shown once on the page and in its words.
. "$CL_TESTS/lib.sh"

# a small report folder, made once
cl-report --quiet --month 2011-11 -o "$T/r" "$SAMPLES/sales.csv" 2> "$T/report.err" ||
    fail "page: cl-report makes a folder" "$(cat "$T/report.err")"
d="$T/r/2011-11"

# ---- --derive: a table it does not know is a usage error
t_run "page: --derive, a table it does not know" 2 cl-page --derive nothing "$d"
t_eq "page: ... one line naming the tables it knows, then the hint" "$(cat "$T/err")" \
"cl-page: --derive: 'nothing' is not at-risk, clv-summary, stopped, retention, features, prescribed, prescriber-partials or key-figures
Try 'cl-page --help'."
t_eq "page: ... nothing on standard output" "$(wc -c < "$T/out")" 0

# ---- --quiet and --verbose
t_run "page: --quiet --verbose is a usage error" 2 cl-page --quiet --verbose "$d"
t_eq "page: ... one line says so" "$(head -1 "$T/err")" "cl-page: --quiet and --verbose: give one"
t_run "page: --quiet" 0 cl-page --quiet -o "$T/q.html" "$d"
t_eq "page: ... says nothing" "$(wc -c < "$T/err")" 0
t_run "page: without --verbose" 0 cl-page -o "$T/n.html" "$d"
t_eq "page: ... says nothing either" "$(wc -c < "$T/err")" 0
t_file_eq "page: ... the same page as with --quiet" "$T/q.html" "$T/n.html"
t_run "page: -v" 0 cl-page -v -o "$T/v.html" "$d"
t_file_eq "page: ... the same page" "$T/v.html" "$T/n.html"
nfiles=$(find "$d" -maxdepth 1 -type f ! -name index.html ! -name '.*' | wc -l)
sections=$(sed -n 's/^<section id="\([a-z]*\)".*/\1/p' "$T/n.html" | tr '\n' ' ' | sed 's/ $//')
t_eq "page: ... says the files it may read, the period, the language and the sections written" \
    "$(cat "$T/err")" "cl-page: $d: $nfiles files of the folder may be read
cl-page: $d: the period 2011-11, the page in English
cl-page: $T/v.html: its sections: $sections"
t_eq "page: ... sections that a page of this folder has" \
    "$(echo "$sections" | grep -c '^key pareto abc .*quality method$')" 1
t_run "page: --verbose --derive" 0 cl-page --verbose --lang fr --derive key-figures "$d"
t_eq "page: ... names the table and the language" "$(tail -1 "$T/err")" \
    "cl-page: $d: the table key-figures, in French"
t_run "page: --verbose --copy" 0 cl-page --verbose --copy neutral "$d/pareto.csv"
t_eq "page: ... says how it copies" "$(cat "$T/err")" \
    "cl-page: $d/pareto.csv: copied with its text cells made safe for spreadsheets"

# ---- cl-clv's message: said once, in the lifetime value section
clv_msg=$(sed -n 's/^cl-clv: //p' "$d/warnings.txt" | head -1)
t_eq "page: cl-clv could not fit two months of history (the case tested)" \
    "$([ -n "$clv_msg" ] && grep -c "^clv	nc_clv	" "$d/notes.txt")" 1
words=$(echo "$clv_msg" | sed 's/^history\.csv: //; s/ (.*)//' | cut -c1-60)
t_eq "page: ... its words are on the page once" "$(grep -o -F "$words" "$T/n.html" | wc -l)" 1
t_eq "page: ... in the lifetime value section's note" \
    "$(grep -c -F "$words" "$T/n.html" | head -1)" "$(grep 'id="nc-clv-1"' "$T/n.html" |
        grep -c -F "$words")"
t_eq "page: ... so the messages list is not there" "$(grep -c 'id="warnings"' "$T/n.html")" 0
t_grep "page: ... and the list says no other warning" \
    "<li>The programs gave no other warning than those said above.</li>" "$T/n.html"
# another message stays in the list, once
cp -r "$d" "$T/w"
echo "cl-cohort: 3 clients left out: they never bought (only returns or zero amounts)" \
    >> "$T/w/warnings.txt"
cl-page -o "$T/w.html" "$T/w"
t_eq "page: another program's message is listed, cl-clv's is still not" \
    "$(sed -n '/id="warnings"/,/<\/ul>/p' "$T/w.html" | tail -n +2 | grep -c '^<li>')" 1
t_eq "page: ... cl-clv's words still once" "$(grep -o -F "$words" "$T/w.html" | wc -l)" 1

# ---- French typography (issue 17): on the page, in the charts, in the
# programs' messages and the key figures' labels
cl-report --quiet --lang fr --month 2011-11 -o "$T/fr" "$SAMPLES/sales.csv" 2> "$T/report.err" ||
    fail "page: cl-report --lang fr makes a folder" "$(cat "$T/report.err")"
f="$T/fr/2011-11"
nnbsp=$(printf '\342\200\257')
# the page's text, tags and style sheet left out, one line per text node
sed -e '/<style>/,/<\/style>/d' -e 's/<[^>]*>/\n/g' "$f/index.html" | grep -v '^ *$' > "$T/fr.text"
t_eq "page fr: no plain or no-break space before : ; ? ! (a narrow no-break one)" \
    "$(grep -c -E "( |&#160;|$(printf '\302\240'))[:;?!]( |$)" "$T/fr.text")" 0
t_eq "page fr: ... and there are such marks (the check reads the page)" \
    "$([ "$(grep -c -E "(&#8239;|$nnbsp)[:;]" "$T/fr.text")" -gt 20 ] && echo yes)" yes
t_eq "page fr: no straight apostrophe in the words (’)" \
    "$(grep -c -E "[[:alpha:]]('|&#39;)[[:alpha:]]" "$T/fr.text")" 0
t_eq "page fr: negative numbers with the minus sign U+2212, never a hyphen" \
    "$(grep -c -E '(^|[ (])-[0-9]' "$T/fr.text")" 0
t_grep "page fr: ... there is one (returns before the first purchase)" "net $(printf '\342\210\222')" \
    "$T/fr.text"
# cl-clv's French message: its spaces before : typeset too, its file named nowhere
t_grep "page fr: cl-clv's message typeset (narrow space before its colon)" \
    "suivis 60 jours au plus$nnbsp: ils" "$f/index.html"
t_eq "page fr: ... no internal file named in a message" \
    "$(grep -c -E '(history|rollup|market|notes|warnings)[a-z-]*\.(csv|txt) ?:' "$T/fr.text")" 0
# the charts' words: the same rule in every French SVG's text
for svg in "$f"/*.svg; do
    sed -n 's/.*<text[^>]*>\(.*\)<\/text>.*/\1/p' "$svg"
done | sed 's/<[^>]*>//g' > "$T/fr.svgtext"
t_eq "page fr: the charts have words (the check reads them)" \
    "$([ "$(wc -l < "$T/fr.svgtext")" -gt 50 ] && echo yes)" yes
t_eq "page fr: no chart has a plain space before : ; ? !" \
    "$(grep -E "( |&#160;)[:;?!]( |$)" "$T/fr.svgtext" | head -3)" ""
t_eq "page fr: ... no straight apostrophe in the charts' words" \
    "$(grep -E "[[:alpha:]]('|&#39;|&apos;)[[:alpha:]]" "$T/fr.svgtext" | head -3)" ""
# the key figures' labels for the workbook: ’ in both languages
cl-page --lang fr --derive key-figures "$f" > "$T/kf-fr.csv"
cl-page --lang en --derive key-figures "$f" > "$T/kf-en.csv"
t_grep "page: key figures' labels, French ’" "revenue,\"Chiffre d’affaires\"" "$T/kf-fr.csv"
t_grep "page: ... English ’" "history_clients,\"Clients up to the period’s end\"" "$T/kf-en.csv"
t_eq "page: ... no straight apostrophe in either" "$(cat "$T/kf-fr.csv" "$T/kf-en.csv" |
    grep -c "[[:alpha:]]'[[:alpha:]]")" 0
# a program's message with an apostrophe on the English page: ’
cp -r "$d" "$T/ap"
echo "cl-kmeans: the model's clusters are few" >> "$T/ap/warnings.txt"
cl-page -o "$T/ap.html" "$T/ap"
t_grep "page: a message's apostrophe is ’ on the page" "the model’s clusters are few" "$T/ap.html"
# the French Pareto and Lorenz charts keep their y axis label (gnuplot
# dropped it when it counted the tick labels' narrow spaces as 3 bytes)
for k in pareto lorenz; do
    t_eq "page fr: the $k chart has its y axis label" \
        "$(grep -c '<text>Part cumulée du chiffre d’affaires</text>' "$f/$k.svg")" 1
done
# one client's previous class when he is new: "nouveau", not the plural of
# the migration table's row (a previous_class column, its first cell empty)
cp -r "$f" "$T/nv"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "previous_class"; next }
    { print $0, (NR == 2 ? "" : "A") }' "$f/pareto.csv" > "$T/nv/pareto.csv"
cl-page --lang fr -o "$T/nv.html" "$T/nv"
t_eq "page fr: a new client's previous class is nouveau in the top 10" \
    "$(sed -n '/<table id="top-clients">/,/<\/table>/p' "$T/nv.html" | grep -c '<td class="n">nouveau</td>')" 1

# ---- --copy neutral: a row with nothing to change is copied as its bytes,
# the others cell by cell; both give what the rule says (written out here)
printf 'id,value\nc1,10\n=1+1,-1.5e3\nc2,-\n\nc3,2.5\n@x,"a,""b"""\nc4,-x' > "$T/mix.csv"
t_run "page: --copy neutral, plain and neutralised rows mixed" 0 \
    cl-page --copy neutral -o "$T/mix-n.csv" "$T/mix.csv"
t_eq "page: ... each row as the rule says, the blank line dropped, a final line end" \
    "$(od -c "$T/mix-n.csv" | sed 's/^[0-7]* *//' | tr -s ' ' | tr -d '\n')" \
    "$(printf 'id,value\nc1,10\n"'"'"'=1+1",-1.5e3\nc2,-\nc3,2.5\n"'"'"'@x","a,""b"""\nc4,"'"'"'-x"\n' |
       od -c | sed 's/^[0-7]* *//' | tr -s ' ' | tr -d '\n')"
printf 'id,value\r\nc1,10\r\nc2,=x\r\n' > "$T/crlf.csv"
t_run "page: --copy neutral, CRLF lines" 0 cl-page --copy neutral -o "$T/crlf-n.csv" "$T/crlf.csv"
t_eq "page: ... written with LF, as every copy" "$(od -c "$T/crlf-n.csv" | sed 's/^[0-7]* *//' |
    tr -s ' ' | tr -d '\n')" "$(printf 'id,value\nc1,10\nc2,"'"'"'=x"\n' | od -c |
    sed 's/^[0-7]* *//' | tr -s ' ' | tr -d '\n')"
