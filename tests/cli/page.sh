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
