# cl-page's own options (the page's figures are checked in report_page.sh):
# a usage error is exit 2 with one line;
# the programs' messages shown once on the page and in its words.
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

