# The recipe's order (docs/performance.md, "the workbook first"): the steps
# start in an order chosen for the two cores, which no output shows; going
# back to an older order would pass every other test and show only in
# `make bench`. cl-report --verbose says each step as it starts ("step 8:
# workbook (cl-workbook)"); the starts that follow each other in the
# recipe's code, whatever ends first, are checked here:
# - the workbook starts once its tables are made (the Pareto rankings, the
#   RFM scores, the personas' rows, the lifetime value), and before the
#   copies and the charts the workbook waits for only once its tables are
#   written: the personas', the choice of k's, the RFM's, the market's;
# - the lifetime value starts before the clusters chart (the workbook waits
#   for it, and for the chart only once its tables are written);
# - the personas' rows start once k is chosen.
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"
market="$SAMPLES/market-countries.csv"

t_run "report order: a report with every step, --verbose" 0 cl-report --verbose --month 2011-11 \
    --market "$market" --segment Country -o "$T/r" "$sales"
# the steps, one a line, in the order they started
sed -n 's/^cl-report: step [0-9]*: \([a-z_]*\) (.*)$/\1/p' "$T/err" > "$T/steps"
t_eq "report order: ... each step said once, numbered from 1 in order" \
    "$(grep -c '' "$T/steps") $(sort -u "$T/steps" | grep -c '')
$(sed -n 's/^cl-report: step \([0-9]*\):.*/\1/p' "$T/err" | awk '$1 != NR { print "gap" }')" \
    "$(grep -c '' "$T/steps") $(grep -c '' "$T/steps")
"
# at NAME: its line in the steps, or 0 when it did not start
at() { grep -nx "$1" "$T/steps" | cut -d: -f1 | grep . || echo 0; }
# before A B...: A started, and before each B (each started too)
before() {
    _a=$(at "$1"); _first=$1; shift
    _bad=""
    for _b in "$@"; do
        _at=$(at "$_b")
        if [ "$_a" = 0 ] || [ "$_at" = 0 ] || [ "$_a" -ge "$_at" ]; then
            _bad="$_bad $_first($_a)>=$_b($_at)"
        fi
    done
    echo "${_bad:-ok}"
}
t_eq "report order: the workbook after its tables" \
    "$(for s in pareto rfm clusters clv; do before "$s" workbook; done | sort -u)" ok
t_eq "report order: the workbook before the copies and the charts it waits for last" \
    "$(before workbook neutral_early chart_personas chart_select chart_rfm chart_share \
        neutral_late page)" ok
t_eq "report order: the lifetime value before the clusters chart" \
    "$(before clv chart_clusters)" ok
t_eq "report order: the personas' rows once k is chosen" "$(before select clusters)" ok
t_eq "report order: ... the page last" "$(tail -n 1 "$T/steps")" page
# the same report without --verbose: the steps say nothing else
t_run "report order: without --verbose" 0 cl-report --quiet --month 2011-11 \
    --market "$market" --segment Country -o "$T/q" "$sales"
t_eq "report order: ... nothing said" "$(cat "$T/out" "$T/err")" ""
