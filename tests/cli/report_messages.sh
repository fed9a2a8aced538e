# The sales reader's notes on the report page, in the page's language: a
# file not in UTF-8, a repeated header, values rounded, lines left out by
# --where; the programs' English wording never reaches a French page.
. "$CL_TESTS/lib.sh"
nn=$(printf '\342\200\257')     # U+202F, the French narrow no-break space
fr_num() { printf '%s' "$1" | sed "s/\([0-9]\)\([0-9]\{3\}\)\$/\1$nn\2/"; }
page_text() {   # the page's text, tags dropped, entities read
    python3 -c 'import html, re, sys
print(html.unescape(re.sub(r"<[^>]+>", "\n", open(sys.argv[1]).read())))' "$1"
}

# a file in Windows-1252: its name (not its path) and the line
t_run "report messages: a Windows-1252 file, in French" 0 \
    cl-report --quiet --lang fr -o "$T/enc" "$SAMPLES/ventes-1252.csv"
page_text "$T/enc/2011-11/index.html" > "$T/enc.txt"
t_grep "... said in French, with the file's name and line" \
    "ventes-1252.csv n’est pas en UTF-8 (ligne 1)$nn: lu en Windows-1252$nn; si ses accents" \
    "$T/enc.txt"
t_eq "... not in English, and the path not shown" \
    "$(grep -c -e 'not UTF-8' -e "$SAMPLES" "$T/enc.txt")" 0

# a repeated header, three values of November with 9 decimals, --where
awk -F, -v OFS=, 'NR == 1 { print; h = $0; next }
    $5 ~ /^2011-11-3/ && n < 3 { $6 = $6 "1234567"; n++ } { print }
    END { print h }' "$SAMPLES/sales.csv" > "$T/odd.csv"
# counted with Python's csv (descriptions hold quoted commas)
count() { python3 -c 'import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:-1]   # less both headers
print(eval(sys.argv[2]))' "$T/odd.csv" "$1"; }
t_eq "report messages: the file has 3 values of the period with 9 decimals" \
    "$(count 'sum(1 for r in rows
               if r[4].startswith("2011-11") and re.search(r"\.\d{7}", r[5]))')" 3
where=$(count 'sum(1 for r in rows if r[7] != "United Kingdom")')
lines=$(count 'len(rows)')
for lang in fr en; do
    t_run "report messages: headers, rounding, --where ($lang)" 0 cl-report --quiet \
        --lang $lang --where "Country=United Kingdom" -o "$T/$lang" "$T/odd.csv"
    page_text "$T/$lang/2011-11/index.html" > "$T/$lang.txt"
done
t_grep "... the repeated header, in French" \
    "Une ligne d’en-tête répétée ignorée (fichiers mis bout à bout)." "$T/fr.txt"
t_grep "... the rounded values, in French" \
    "3 valeurs à plus de 6 décimales arrondies à 6 (la première ligne" "$T/fr.txt"
t_grep "... --where's count, in French (Python: $where of $lines)" \
    "$(fr_num "$where") des $(fr_num "$lines") lignes des ventes écartées par --where." \
    "$T/fr.txt"
t_eq "... none of it in the programs' English" \
    "$(grep -c -e 'header line' -e 'decimals rounded' -e 'left out by' "$T/fr.txt")" 0
t_grep "... in English on an English page" \
    "A repeated header line skipped (files put one after the other)." "$T/en.txt"
