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
