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

# ids with spaces and slash dates that read both ways (November's first 12
# days, day first), in French
python3 - "$SAMPLES/sales.csv" > "$T/slash.csv" <<'PY'
import csv, sys
rows = csv.reader(open(sys.argv[1], newline=""))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(next(rows))
spaced = 0
for r in rows:
    d = r[4]
    if not d.startswith("2011-11-") or int(d[8:10]) > 12:
        continue
    r[4] = "%s/%s/%s %s" % (d[8:10], d[5:7], d[0:4], d[11:16])
    if spaced < 5 and r[6]:
        r[6] = " " + r[6] + " "
        spaced += 1
    out.writerow(r)
PY
used=$(python3 -c 'import csv, sys
print(sum(1 for r in list(csv.reader(open(sys.argv[1], newline="")))[1:] if r[6].strip()))' \
    "$T/slash.csv")
t_run "report messages: slash dates and spaced ids (fr)" 0 cl-report --quiet --lang fr \
    --month 2011-11 -o "$T/slash" "$T/slash.csv"
page_text "$T/slash/2011-11/index.html" > "$T/slash.txt"
t_grep "... the date order, in French" \
    "Toutes les dates à barres obliques de slash.csv se lisent jour/mois et mois/jour («${nn}01/11/2011 09:14$nn»)$nn: lues jour/mois" \
    "$T/slash.txt"
t_grep "... the spaces, in French (Python: 5 of $used lines)" \
    "5 des $(fr_num "$used") lignes utilisées avaient des espaces autour du code client" \
    "$T/slash.txt"

# cl-pareto --previous's key check, as the page reads it from warnings.txt
cp -r "$T/fr/2011-11" "$T/prev-keys"
printf '%s\n' 'cl-pareto: /x/2011-10/pareto.csv: only 0 of its 129 clients are among the 126 here: are the keys written the same way ("<b>15701</b>" there, "15701.0" here)?' \
    >> "$T/prev-keys/warnings.txt"
t_run "report messages: cl-pareto's key check on the page (fr)" 0 \
    cl-page --lang fr "$T/prev-keys"
page_text "$T/prev-keys/index.html" > "$T/prev-keys.txt"
t_grep "... in French, the keys quoted" \
    "Seuls 0 des 129 clients du rapport précédent sont parmi les 126 de celui-ci$nn: les codes clients sont-ils écrits de la même façon («$nn<b>15701</b>$nn» avant, «${nn}15701.0$nn» maintenant)$nn?" \
    "$T/prev-keys.txt"
t_eq "... the key escaped in the HTML" "$(grep -c '<b>15701' "$T/prev-keys/index.html")" 0
t_eq "... the spaces said once, by the data quality section, not under the cohorts" \
    "$(grep -c -e 'had spaces' -e 'avaient des espaces' "$T/slash.txt")" 1
t_eq "... no English line on the French page" \
    "$(grep -c -e ' lines ' -e ' clients left out' "$T/slash.txt")" 0

# the file list: a line per file saying what it is, excel/ included
t_run "report messages: --excel" 0 cl-report --quiet --excel --month 2011-11 -o "$T/xl" \
    "$SAMPLES/sales.csv"
python3 - "$T/xl/2011-11/index.html" > "$T/files.txt" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
files = re.search(r'<ul class="files">(.*?)</ul>', page, re.S).group(1)
for item in re.findall(r"<li>(.*?)</li>", files, re.S):
    name = re.sub(r"<[^>]+>", "", item.split(" \u2014 ")[0])
    print(name, "described" if " \u2014 " in item else "BARE")
PY
t_eq "... the list names excel/" "$(grep -c '^excel described$' "$T/files.txt")" 1
t_eq "... and says what every file is" "$(grep -c ' BARE$' "$T/files.txt")" 0
