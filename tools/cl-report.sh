#!/bin/sh
# cl-report: the monthly customer report, for cron.
#
# A recipe made of the clientele programs themselves: cl-rollup rolls the
# sales up per customer, cl-pareto ranks them (A/B/C, Lorenz, Gini),
# cl-score --rfm segments them, cl-kmeans finds the personas, cl-share
# places the company in its market, cl-plot draws every chart; a little awk
# writes the page. Copy it and adapt it: every step is one command.
#
# Contract: DIR/PERIOD/ appears complete or not at all, and the last good
# report is never lost. The run works in DIR/.cl-report-PID/ under a lock
# (flock on DIR/.cl-report.lock, released by the kernel when its holder
# dies, that a second run waits for). At the end the old report is renamed
# to DIR/.cl-report-old-PID.PERIOD, the work folder to DIR/PERIOD, and the
# old one removed: each step a rename, recoverable at any point. A signal
# (the trap) puts the old report back if the new one is not in place; after
# SIGKILL or a power cut, the next run recovers under the lock: an old folder
# goes back to DIR/PERIOD if that is missing (else it is removed), and work
# folders of dead runs are removed. A failure leaves the last good report as
# it was, removes the work folder and exits 1 with the reason.
set -u
LC_ALL=C
export LC_ALL
prog=cl-report
version=0.1.0

# The programs beside this script come first: an installed cl-report uses
# the suite it was installed with, even under cron's short PATH.
case $0 in
    */*) PATH="$(cd "$(dirname "$0")" && pwd):$PATH" ;;
esac
export PATH

usage() {
    cat <<'EOF'
Usage: cl-report [OPTION]... -o DIR SALES.csv
Write the customer report of a period of SALES.csv (one row per invoice line)
into DIR/PERIOD/: index.html (one self-contained page: key figures, Pareto
and Lorenz, A/B/C classes and migrations, class A clients at risk (with
cl-clv), RFM segments, personas, cohorts (with cl-cohort), market shares,
data quality), report.xlsx (the same as an Excel workbook), every chart as
SVG and PNG, and every intermediate CSV. The folder is written beside and
renamed into place when all went well.

Period (default: the last complete month in the data):
      --month=YYYY-MM    one calendar month; the folder is DIR/YYYY-MM
      --from=DATE        first day included (YYYY-MM-DD), with --to
      --to=DATE          last day included; the folder is DIR/FROM_TO

Report:
  -o, --output=DIR       where the period's folder is written (required)
      --market=FILE      a market table, one row per segment (see cl-share)
      --segment=COL      the sales column holding the market's segments: our
                         clients and revenue per segment are counted from the
                         sales (default: the market table's clients column)
      --previous=DIR     the previous period's report folder, or 'auto' (the
                         latest report in DIR before this period): changes in
                         the key figures and A/B/C migrations
      --lang=LANG        en (default) or fr: words, dates and numbers
      --k=N|A..B         number of personas, or a range to choose from
                         (default 2..6)
      --wait=SECONDS     wait that long for another run on DIR to finish
                         (default 300; 0: stop at once)
      --quiet            print nothing when all went well (for cron)

Sales columns and input (passed to cl-rollup; default: found by name):
  -c, --customer=COL     customer id
      --order=COL        order or invoice id
      --date=COL         date of the line
      --amount=COL       line amount, or:
      --quantity=COL     quantity, with
      --price=COL        unit price
      --cost=COL         unit cost (adds the margin)
      --margin=COL       line margin
      --prescriber=COL   who prescribed the sale (default: found by name); with
                         a prescriber column the page has a prescribers section
  -d, --delimiter=C      , ; tab or | (default: sniffed)
      --decimal-comma    numbers use a decimal comma
      --decimal-point    numbers use a decimal point
      --date-format=FMT  dates as FMT, e.g. %d/%m/%Y
      --encoding=NAME    the file's encoding (default: UTF-16 BOM, UTF-8 when
                         valid, else WINDOWS-1252)
      --credit-prefix=P  order ids starting with P are credit notes
      --where=COL=VALUE  keep only these lines (COL=A|B, COL!=VALUE; repeatable)
      --strict           an unusable line is an error, not a rejected line

  -h, --help             show this help and exit
  -V, --version          show the version and exit

Exit status: 0 success, 1 data or runtime error (the previous report is left
as it was), 2 usage error.
EOF
}

# ---- messages and cleanup -------------------------------------------------

work=""          # the work folder, removed at exit unless renamed into place
old=""           # the old report while it is moved aside for the swap
final=""         # DIR/PERIOD
out=""           # the -o folder (absolute once created)

# restore_old: the old report back in place if the new one is not there,
# else removed. Used by the trap and, for dead runs, at start.
restore_old() {     # restore_old OLD FINAL
    if [ -e "$2" ] || [ -L "$2" ]; then
        rm -rf "$1"
    else
        mv "$1" "$2"
    fi
}

cleanup() {
    trap '' HUP INT TERM    # a second signal must not cut the cleanup short
    # a chart's PNG drawn in the background: stopped (it removes its
    # temporary) before the work folder goes, so nothing writes there after
    if [ -n "${png_pid:-}" ]; then
        kill "$png_pid" 2>/dev/null
        wait "$png_pid" 2>/dev/null
    fi
    [ -n "$old" ] && [ -d "$old" ] && restore_old "$old" "$final"
    [ -n "$work" ] && [ -d "$work" ] && rm -rf "$work"
    return 0
}
trap 'cleanup' EXIT
trap 'exit 1' HUP INT TERM

# disk_full: the system's message when the output folder's disk is full
# (a program that fails there often says only that its output is short).
disk_full() {
    [ -n "$out" ] && [ -d "$out" ] || return 0
    probe="$out/.cl-report-probe-$$"
    # 256 KB: a chart that failed on a full disk has removed its temporary
    # by now, and the space it freed must not hide that the disk is full
    if ! msg=$(dd if=/dev/zero of="$probe" bs=65536 count=4 2>&1 >/dev/null); then
        case $msg in *space*|*quota*) printf '%s\n' "${msg##*: }" ;; esac
    fi
    rm -f "$probe"
}

die() {         # die MESSAGE: one line on stderr, exit 1
    full=$(disk_full)
    if [ -n "$full" ]; then
        printf '%s: %s: %s\n' "$prog" "$out" "$full" >&2
    fi
    printf '%s: %s\n' "$prog" "$*" >&2
    exit 1
}

usage_error() {
    printf '%s: %s\n' "$prog" "$*" >&2
    printf "Try '%s --help'.\n" "$prog" >&2
    exit 2
}

quote() {       # quote WORD: WORD as one shell word, for eval
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# ---- dates (awk, proleptic Gregorian, no dependence on date(1)) ------------

DATE_AWK='
function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
function mdays(y, m) { return m == 2 ? 28 + leap(y) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31 }
function valid(s,   y, m, d) {
    if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/) return 0
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    return m >= 1 && m <= 12 && d >= 1 && d <= mdays(y, m)
}
function next_day(s,   y, m, d) {
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    if (d < mdays(y, m)) d++; else { d = 1; if (m < 12) m++; else { m = 1; y++ } }
    return sprintf("%04d-%02d-%02d", y, m, d)
}
function month_end(ym,   y, m) {
    y = substr(ym, 1, 4) + 0; m = substr(ym, 6, 2) + 0
    return sprintf("%04d-%02d-%02d", y, m, mdays(y, m))
}
function month_before(ym,   y, m) {
    y = substr(ym, 1, 4) + 0; m = substr(ym, 6, 2) + 0
    if (m > 1) m--; else { m = 12; y-- }
    return sprintf("%04d-%02d", y, m)
}'

# CSV in awk: RFC 4180 records (quoted fields, doubled quotes, newlines in
# quotes). csvrecord() parses the current record of the main input into
# F[1..NF_]; frec(FILE) reads the next record of FILE (0 at the end);
# csvjoin() writes F back as one CSV record. Linear in the record's length
# (a 1 MB name is one split, not a loop over its characters).
CSV_AWK='
function nquotes(s,   t) { t = s; return gsub(/"/, "", t) }
function quotes_open(s) { return nquotes(s) % 2 }
function csvsplit(s,   n, i, np, p, nc, cp, k, f, inq) {
    if (index(s, "\"") == 0) { NF_ = split(s, F, ","); if (s == "") { NF_ = 1; F[1] = "" } return NF_ }
    # the pieces between quotes: outside a quoted field, commas part fields;
    # inside, a quote followed by an empty piece and another quote is a
    # doubled quote
    np = split(s, p, "\"")
    n = 0; f = ""; inq = 0
    for (i = 1; i <= np; i++) {
        if (inq) f = f p[i]
        else {
            nc = split(p[i], cp, ",")
            if (nc > 0) f = f cp[1]
            for (k = 2; k <= nc; k++) { F[++n] = f; f = cp[k] }
        }
        if (i == np) break
        if (!inq) inq = 1
        else if (p[i + 1] == "" && i + 1 < np) { f = f "\""; i++ }
        else inq = 0
    }
    F[++n] = f
    NF_ = n
    return n
}
function csvrecord(   s, more, q) {
    s = $0; q = nquotes(s)
    while (q % 2 && (getline more) > 0) { s = s "\n" more; q += nquotes(more) }
    sub(/\r$/, "", s)
    return csvsplit(s)
}
function frec(file,   s, more, q) {
    if ((getline s < file) <= 0) return 0
    q = nquotes(s)
    while (q % 2 && (getline more < file) > 0) { s = s "\n" more; q += nquotes(more) }
    sub(/\r$/, "", s)
    csvsplit(s)
    return 1
}
function csvquote(s) {
    if (s !~ /[",\r\n]/) return s
    gsub(/"/, "\"\"", s)
    return "\"" s "\""
}
function csvjoin(   i, s) {
    s = csvquote(F[1])
    for (i = 2; i <= NF_; i++) s = s "," csvquote(F[i])
    return s
}'

datefn() {      # datefn FUNCTION ARG: prints FUNCTION(ARG)
    awk -v a="$2" "$DATE_AWK"'
        BEGIN { f = "'"$1"'"
                if (f == "valid") print valid(a); else if (f == "next_day") print next_day(a)
                else if (f == "month_end") print month_end(a); else print month_before(a) }'
}

# ---- options ----------------------------------------------------------------

month="" from="" to="" market="" segment="" previous="" lang=en quiet=0
wait_seconds=300 k_range=2..6 output="" sales="" nfiles=0
rollup_opts=""   # cl-rollup's column and input options, quoted for eval

while [ $# -gt 0 ]; do
    arg=$1
    case $arg in
        --*=*) opt=${arg%%=*}; val=${arg#*=}; has_val=1 ;;
        -[ocd]?*) opt=$(printf '%s' "$arg" | cut -c1-2); val=${arg#??}; has_val=1 ;;
        *) opt=$arg; val=""; has_val=0 ;;
    esac
    case $opt in
        --month|--from|--to|--market|--segment|--previous|--lang|--k|--wait|\
        -o|--output|-c|--customer|--order|--date|--amount|--quantity|--price|\
        --cost|--margin|-d|--delimiter|--date-format|--encoding|--credit-prefix|--where|\
        --prescriber)
            if [ $has_val = 0 ]; then
                [ $# -ge 2 ] || usage_error "option '$opt' needs a value"
                val=$2; shift
            fi ;;
        --*)
            [ $has_val = 1 ] && usage_error "option '$opt' takes no value" ;;
    esac
    case $opt in
        --month) month=$val ;;
        --from) from=$val ;;
        --to) to=$val ;;
        --market) market=$val ;;
        --segment) segment=$val ;;
        --previous) previous=$val ;;
        --lang) lang=$val ;;
        --k) k_range=$val ;;
        --wait) wait_seconds=$val ;;
        --quiet) quiet=1 ;;
        -o|--output) output=$val ;;
        -c|--customer) rollup_opts="$rollup_opts --customer $(quote "$val")" ;;
        -d|--delimiter) rollup_opts="$rollup_opts --delimiter $(quote "$val")" ;;
        --order|--date|--amount|--quantity|--price|--cost|--margin|--date-format|\
        --encoding|--credit-prefix|--where|--prescriber)
            rollup_opts="$rollup_opts $opt $(quote "$val")" ;;
        --decimal-comma|--decimal-point|--strict) rollup_opts="$rollup_opts $opt" ;;
        -h|--help) usage; exit 0 ;;
        -V|--version) echo "$prog (clientele) $version"; exit 0 ;;
        --) shift; for f in "$@"; do sales=$f; nfiles=$((nfiles + 1)); done; break ;;
        -) sales=-; nfiles=$((nfiles + 1)) ;;
        -*) usage_error "unknown option $opt" ;;
        *) sales=$arg; nfiles=$((nfiles + 1)) ;;
    esac
    shift
done

[ -n "$output" ] || usage_error "no output folder (-o DIR)"
[ $nfiles = 1 ] || usage_error "give one sales file (got $nfiles)"
case $lang in en|fr) ;; *) usage_error "--lang: '$lang' is not en or fr" ;; esac
case $wait_seconds in ''|*[!0-9]*) usage_error "--wait: '$wait_seconds' is not a number of seconds" ;; esac
case $k_range in
    [0-9]*) case $k_range in *[!0-9.]*) usage_error "--k: '$k_range' is not N or A..B" ;; esac ;;
    *) usage_error "--k: '$k_range' is not N or A..B" ;;
esac
if [ -n "$month" ]; then
    { [ -n "$from" ] || [ -n "$to" ]; } && usage_error "--month and --from/--to exclude each other"
    [ "$(datefn valid "$month-01")" = 1 ] || usage_error "--month: '$month' is not YYYY-MM"
fi
if [ -n "$from" ] || [ -n "$to" ]; then
    { [ -n "$from" ] && [ -n "$to" ]; } || usage_error "--from and --to go together"
    [ "$(datefn valid "$from")" = 1 ] || usage_error "--from: '$from' is not a date YYYY-MM-DD"
    [ "$(datefn valid "$to")" = 1 ] || usage_error "--to: '$to' is not a date YYYY-MM-DD"
    [ "$from" \< "$to" ] || [ "$from" = "$to" ] || usage_error "--from $from is after --to $to"
fi
[ -n "$segment" ] && [ -z "$market" ] && usage_error "--segment needs --market"

say() { [ $quiet = 1 ] || printf '%s\n' "$*"; }

abspath() {     # abspath FILE: FILE made absolute (it need not exist)
    case $1 in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}

# ---- inputs, output folder, lock ------------------------------------------

if [ "$sales" != - ]; then
    [ -f "$sales" ] && [ -r "$sales" ] || die "$sales: cannot read the sales file"
    sales=$(abspath "$sales")
fi
if [ -n "$market" ]; then
    [ -f "$market" ] && [ -r "$market" ] || die "$market: cannot read the market table"
    market=$(abspath "$market")
fi
if [ -n "$previous" ] && [ "$previous" != auto ]; then
    [ -f "$previous/figures.csv" ] || die "$previous: not a cl-report folder (no figures.csv)"
    previous=$(cd "$previous" && pwd)
fi

msg=$(mkdir -p "$output" 2>&1) || die "$output: cannot create the folder: ${msg##*: }"
out=$(cd "$output" && pwd) || die "$output: cannot enter the folder"

# The lock: flock(1) on a file, held on descriptor 9 until this shell and
# its children end, however they end (the kernel releases it). The file
# keeps the holder's pid, for the messages only. A folder where the file
# cannot be made (read-only, not ours) is said at once.
lockfile="$out/.cl-report.lock"
if ! msg=$( { : >> "$lockfile"; } 2>&1 ); then
    die "$out: cannot write in the output folder: ${msg##*: }"
fi
exec 9>> "$lockfile" || die "$lockfile: cannot open the lock file"
if ! flock -n 9; then
    owner_pid=$(cat "$lockfile" 2>/dev/null)
    [ $quiet = 0 ] && [ "$wait_seconds" -gt 0 ] && \
        printf '%s: %s is locked by pid %s; waiting up to %s s\n' "$prog" "$out" "${owner_pid:-?}" "$wait_seconds" >&2
    if ! flock -w "$wait_seconds" 9; then
        owner_pid=$(cat "$lockfile" 2>/dev/null)
        die "$lockfile: another cl-report (pid ${owner_pid:-?}) is writing to $out; gave up after $wait_seconds s"
    fi
fi
echo "$$" > "$lockfile"

# Recovery, under the lock: what a killed run left. An old report moved
# aside goes back if its period's folder is missing; work folders of runs
# that are gone are removed.
for d in "$out"/.cl-report-old-*; do
    [ -d "$d" ] || continue
    rest=${d##*/.cl-report-old-}
    period=${rest#*.}
    case $period in ''|*/*|.*) continue ;; esac
    [ ! -e "$out/$period" ] && [ $quiet = 0 ] && printf '%s: %s\n' "$prog" \
        "$out/$period: recovered, as an interrupted run had left it aside" >&2
    restore_old "$d" "$out/$period" || die "$d: cannot recover the old report into $out/$period"
done
for d in "$out"/.cl-report-[0-9]*; do
    [ -d "$d" ] || continue
    pid=${d##*/.cl-report-}
    case $pid in *[!0-9]*) continue ;; esac
    kill -0 "$pid" 2>/dev/null || rm -rf "$d"
done

work="$out/.cl-report-$$"
rm -rf "$work"
mkdir "$work" || die "$work: cannot create the work folder"
cd "$work" || die "$work: cannot enter the work folder"
: > warnings.txt
: > notes.txt

if [ "$sales" = - ]; then
    cat > sales-input.csv || die "cannot read the sales from standard input"
    sales="$work/sales-input.csv"
fi

# step WHAT KEEP COMMAND...: runs COMMAND (its standard error in step.err);
# on failure, shows that error and stops; on success, KEEP=1 keeps its
# warnings for the page.
step() {
    what=$1 keep=$2
    shift 2
    "$@" 2> step.err
    rc=$?
    if [ $rc = 0 ]; then
        [ "$keep" = 1 ] && cat step.err >> warnings.txt
        return 0
    fi
    cat step.err >&2
    die "$what failed (exit $rc); ${final:-the report} left as it was"
}

# The sales file is read by several programs: one that changes meanwhile
# (an export still being written) would give figures from different data.
# Its identity, size and modification time are checked after every pass.
sales_id() { stat -L -c '%d:%i:%s:%.9Y' "$sales" 2>/dev/null; }
sales_seen=$(sales_id)
sales_check() {
    now=$(sales_id)
    [ "$now" = "$sales_seen" ] && return 0
    before=$(printf '%s' "$sales_seen" | cut -d: -f3)
    after=$(printf '%s' "$now" | cut -d: -f3)
    die "$sales changed while the report read it (${before} bytes at the start, ${after:-no file} now): run again once it is complete; ${final:-the report} left as it was"
}

# ---- the period -------------------------------------------------------------

# (the roll-up of the whole file is only for its --stats; it goes in the
# work folder, never to /dev/null, which as root it would replace)
eval "step 'reading the sales' 0 cl-rollup $rollup_opts --stats stats-all.csv -o rollup-all.csv $(quote "$sales")"
rm -f rollup-all.csv
cp step.err read-sales.err
# dates far outside the others (placeholders, typos) go on the page, with their lines
grep -F ' is far outside the other dates ' read-sales.err >> warnings.txt
sales_check

metric() {      # metric FILE NAME: the value of a metric,value row
    awk -F, -v m="$2" '$1 == m { print $2; exit }' "$1"
}
data_first=$(metric stats-all.csv first_date)
data_last=$(metric stats-all.csv last_date)

if [ -n "$month" ]; then
    from="$month-01"; to=$(datefn month_end "$month"); name=$month
elif [ -n "$from" ]; then
    name="${from}_$to"
    case $from in *-01) [ "$(datefn month_end "$from")" = "$to" ] && name=$(printf '%s' "$from" | cut -c1-7) ;; esac
else
    last_month=$(printf '%s' "$data_last" | cut -c1-7)
    if [ "$(datefn month_end "$last_month")" = "$data_last" ]; then
        name=$last_month
    else
        name=$(datefn month_before "$last_month")
    fi
    # a last sale dated far after the others (9999-12-31, 2101 for 2011)
    # would choose the period: cl-rollup named its line, and so do we
    last_year=$(printf '%s' "$data_last" | cut -c1-4 | sed 's/^0*//')
    outlier=$(grep -F " line" read-sales.err | grep -F " in $last_year; a placeholder" | head -1)
    if [ -n "$outlier" ]; then
        where=$(printf '%s' "$outlier" | sed 's/^cl-rollup: \(.*\): date .*/\1/')
        bulk=$(printf '%s' "$outlier" | sed 's/.*(half the lines are dated \([0-9]* to [0-9]*\)).*/\1/')
        die "$where: the last sale, $data_last, is dated far after the others (half of them $bulk): the period would be chosen from it; correct the date, or give --month, or --from and --to"
    fi
    from="$name-01"; to=$(datefn month_end "$name")
    [ "$to" \< "$data_first" ] && \
        die "no complete month in the data (sales from $data_first to $data_last): give --month or --from and --to"
fi
asof=$(datefn next_day "$to")
final="$out/$name"

if [ "$previous" = auto ]; then
    previous=""
    for d in "$out"/*/; do
        d=${d%/}
        [ -f "$d/figures.csv" ] || continue
        [ "$(basename "$d")" \< "$name" ] && previous=$d
    done
fi

# ---- the analyses -------------------------------------------------------------

# The period: one row per customer; recency measured from the day after it.
eval "step 'the roll-up' 1 cl-rollup $rollup_opts --from $from --to $to --asof $asof \
    --stats stats.csv --rejects rejects.csv -o rollup.csv $(quote "$sales")"
# The history up to the period's end: the basis of RFM and personas.
eval "step 'the history roll-up' 0 cl-rollup $rollup_opts --to $to --asof $asof \
    -o history.csv $(quote "$sales")"
sales_check

# Pareto, A/B/C, Lorenz, Gini (and migrations against last period's ranks).
prev_opt=""
if [ -n "$previous" ] && [ -f "$previous/pareto.csv" ]; then
    # its CSVs are neutralised (see "for spreadsheets" below): the ids back
    # as the programs wrote them, to match this period's
    awk -v apos="'" "$CSV_AWK"'
        { csvrecord()
          for (i = 1; i <= NF_; i++)
              if (substr(F[i], 1, 1) == apos && substr(F[i], 2, 1) ~ /[-+=@\t\r]/) F[i] = substr(F[i], 2)
          print csvjoin() }' "$previous/pareto.csv" > previous-pareto.csv \
        || die "$previous/pareto.csv: cannot read the previous ranking"
    prev_opt="--previous previous-pareto.csv"
fi
eval "step 'the Pareto ranking' 0 cl-pareto $prev_opt -o pareto.csv rollup.csv"
eval "step 'the Pareto summary' 0 cl-pareto $prev_opt --summary -o summary.csv rollup.csv"
rm -f previous-pareto.csv
step 'the Lorenz curve' 0 cl-pareto --lorenz -o lorenz.csv rollup.csv

# RFM segments, and their totals per segment.
step 'the RFM scores' 1 cl-score --rfm -o rfm.csv history.csv

# What the data did not allow is said on the page rather than failing the
# run: note SECTION KEY [VALUE...] adds a line to notes.txt, which the page
# shows in that section, in its language (the PAGE_AWK keys nc_*).
note() {
    printf '%s' "$1" >> notes.txt; shift
    for v in "$@"; do printf '\t%s' "$v" >> notes.txt; done
    printf '\n' >> notes.txt
}

# Lifetime value and churn, when cl-clv is installed: BG/NBD and Gamma-Gamma
# fitted on the history (clv.csv); the period's class A clients least likely
# to be still active, with their value, in at-risk.csv (the 10 lowest
# p_alive, ties by the period's revenue) and their count in clv-summary.csv.
# A fit the data do not allow (exit 1) is said on the page.
if command -v cl-clv > /dev/null 2>&1; then
    if cl-clv --lang "$lang" -o clv.csv history.csv 2> step.err; then
        cat step.err >> warnings.txt
        awk "$CSV_AWK"'
            function worse(i, j) {   # is A client i more at risk than j?
                return p[i] < p[j] || (p[i] == p[j] && rev[i] > rev[j])
            }
            FNR == 1 { file++; csvrecord(); delete h; for (i = 1; i <= NF_; i++) h[F[i]] = i
                       if (file == 1) { key = F[1]; next }
                       cp = h["p_alive"]; ce = h["expected_purchases"]; cv = h["clv"]; next }
            file == 1 { csvrecord(); if (F[h["class"]] == "A") { a[F[1]] = F[h["revenue"]]; na++ }; next }
            { csvrecord(); if (!(F[1] in a)) next
              n++; id[n] = F[1]; rev[n] = a[F[1]] + 0; p[n] = F[cp] + 0; pe[n] = F[cp]
              e[n] = F[ce]; v[n] = F[cv]; if (F[cp] + 0 < 0.5) low++ }
            END {
                print csvquote(key) ",revenue,p_alive,expected_purchases,clv"
                for (k = 1; k <= 10 && k <= n; k++) {   # the 10 most at risk, by selection
                    b = 0
                    for (i = 1; i <= n; i++) if (!(i in done) && (b == 0 || worse(i, b))) b = i
                    done[b] = 1
                    printf "%s,%s,%s,%s,%s\n", csvquote(id[b]), a[id[b]], pe[b], e[b], v[b]
                }
                printf "metric,value\na_clients,%d\na_in_history,%d\na_below_half,%d\n", na, n, low > "clv-summary.csv"
            }' pareto.csv clv.csv > at-risk.csv || die "the clients at risk failed; ${final} left as it was"
    else
        rc=$?
        [ $rc = 1 ] || { cat step.err >&2; die "the lifetime values failed (exit $rc); ${final} left as it was"; }
        cat step.err >> warnings.txt
        note clv nc_clv "$(tail -1 step.err | sed 's/^cl-clv: //')"
        rm -f clv.csv
    fi
fi

# Personas: k chosen on the history, then the same fit for rows and profiles.
# A feature with the same value for every client (one order each, in a
# shop's first month) tells no one apart: it is left out, and the page says
# so. With no feature left, or fewer than 2 clients, or a clustering that
# cl-kmeans refuses for the data (exit 1), the page says why there are none.
constants=$(awk "$CSV_AWK"'
    BEGIN { split("recency_days orders revenue", name, " ") }
    NR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) h[F[i]] = i; next }
    { csvrecord(); n++
      for (j = 1; j <= 3; j++) { x = F[h[name[j]]] + 0; if (n == 1) v[j] = x; else if (x != v[j]) d[j] = 1 } }
    END { printf "rows %d\n", n; for (j = 1; j <= 3; j++) if (n > 0 && !(j in d)) printf "%s %s\n", name[j], v[j] }' \
    history.csv) || die "reading history.csv failed; $final left as it was"
history_rows=$(printf '%s\n' "$constants" | awk '$1 == "rows" { print $2 }')
features="" logs=""
for f in recency_days orders revenue; do
    value=$(printf '%s\n' "$constants" | awk -v f="$f" '$1 == f { print $2 }')
    if [ -n "$value" ] && [ "$history_rows" -ge 2 ]; then
        note personas nc_constant "$f" "$value"
        continue
    fi
    features="${features:+$features,}$f"
    [ "$f" != recency_days ] && logs="${logs:+$logs,}$f"
done
k=""
if [ "$history_rows" -lt 2 ]; then
    note personas nc_few "$history_rows"
elif [ -z "$features" ]; then
    note personas nc_nofeature
else
    # a range of k beyond the clients: tried up to one less than their number
    k_try=$k_range
    case $k_range in
        *..*) k_low=${k_range%%..*} k_high=${k_range##*..}
              if [ "$k_high" -ge "$history_rows" ] && [ "$k_low" -lt "$history_rows" ]; then
                  k_try="$k_low..$((history_rows - 1))"
                  note personas nc_krange "$k_try" "$k_range" "$history_rows"
              fi ;;
    esac
    kmeans_opts="--features $features${logs:+ --log $logs} --lang $lang"
    if cl-kmeans $kmeans_opts --k "$k_try" --select -o select.csv history.csv 2> step.err; then
        cat step.err >> warnings.txt
        k=$(awk -F, 'NR > 1 && $6 == 1 { print $1; exit }' select.csv)
        [ -n "$k" ] || die "cl-kmeans chose no k (select.csv); ${final} left as it was"
    else
        rc=$?
        [ $rc = 1 ] || { cat step.err >&2; die "the choice of personas failed (exit $rc); ${final} left as it was"; }
        cat step.err >> warnings.txt
        note personas nc_failed "$(tail -1 step.err | sed 's/^cl-kmeans: //')"
        rm -f select.csv
    fi
fi
if [ -n "$k" ]; then
    step 'the personas' 0 cl-kmeans $kmeans_opts --k "$k" -o clusters.csv history.csv
    step 'the persona profiles' 0 cl-kmeans $kmeans_opts --k "$k" --profiles -o profiles.csv history.csv
fi

# Market shares: our clients per segment counted from the sales, or the
# market table's own clients column. The table is kept in the folder.
if [ -n "$market" ]; then
    cp "$market" market.csv || die "$market: cannot copy the market table"
    if [ -n "$segment" ]; then
        eval "step 'the roll-up by segment' 0 cl-rollup $rollup_opts --by $(quote "$segment") \
            --from $from --to $to --asof $asof -o rollup-segment.csv $(quote "$sales")"
        sales_check
        # cl-share refuses a negative revenue: a segment whose net revenue
        # is negative (returns only) counts 0 there, and the page says so.
        share_input=rollup-segment.csv
        awk -v seg="$segment" "$CSV_AWK"'
            FNR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) h[F[i]] = i
                       if (!(seg in h) || !("revenue" in h)) exit 0; s = h[seg]; r = h["revenue"]; pass++; next }
            pass == 1 { csvrecord(); sum[F[s]] += F[r]; next }
            END { for (x in sum) if (sum[x] < 0) printf "%s\t%.2f\n", x, sum[x] }' \
            rollup-segment.csv rollup-segment.csv > negative-segments.txt
        if [ -s negative-segments.txt ]; then
            share_input=share-input.csv
            awk -v seg="$segment" "$CSV_AWK"'
                FILENAME != last { last = FILENAME; file++ }
                file == 1 { split($0, p, "\t"); neg[p[1]] = 1; next }
                FNR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) h[F[i]] = i; s = h[seg]; r = h["revenue"]; print csvjoin(); next }
                { csvrecord(); if (F[s] in neg) F[r] = "0.00"; print csvjoin() }' \
                negative-segments.txt rollup-segment.csv > share-input.csv
        fi
        share_opts="--clients $share_input --segment $(quote "$segment")"
    else
        share_opts=""
    fi
    eval "step 'the market shares' 1 cl-share $share_opts -o share.csv market.csv"
    eval "step 'the market summary' 0 cl-share $share_opts --summary -o share-summary.csv market.csv"
fi

# ---- prescribers: when the sales say who prescribed each sale -----------------

# The roll-up has a prescribers column exactly when the sales have a
# prescriber column; without one nothing here runs, and the page has no
# prescribers section. prescribed: the period's clients who bought through
# a prescriber at least once.
prescribed=$(awk "$CSV_AWK"'
    NR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) if (F[i] == "prescribers") c = i
              if (!c) exit
              next }
    { csvrecord(); if (F[c] > 0) n++ }
    END { if (c) print n + 0 }' rollup.csv) || die "reading the roll-up failed; $final left as it was"
if [ -n "$prescribed" ]; then
    if [ "$prescribed" -gt 0 ]; then
        eval "step 'the per-prescriber roll-up' 0 cl-rollup $rollup_opts --per-prescriber \
            --from $from --to $to --asof $asof -o prescribers.csv $(quote "$sales")"
        step 'the prescribers ranking' 0 cl-pareto -o prescribers-pareto.csv prescribers.csv
        step 'the prescribers summary' 0 cl-pareto --summary -o prescribers-summary.csv prescribers.csv
        # Each prescriber's clients: the partials (customer, order, ...,
        # prescriber) with the prescriber moved first and the direct rows
        # left out are partials keyed by prescriber then customer, which
        # --merge rolls up exactly.
        eval "step 'the prescribed orders' 0 cl-rollup $rollup_opts --partial \
            --from $from --to $to -o prescribed-orders.tmp $(quote "$sales")"
        awk "$CSV_AWK"'
            { csvrecord(); if (NR > 1 && F[NF_] == "") next
              p = F[NF_]; for (i = NF_; i > 1; i--) F[i] = F[i - 1]; F[1] = p; print csvjoin() }' \
            prescribed-orders.tmp > prescribed-orders.csv \
            || die "the prescribed orders failed; $final left as it was"
        step 'the clients of each prescriber' 0 cl-rollup --merge --asof "$asof" -o prescriber-clients.csv \
            prescribed-orders.csv
        rm -f prescribed-orders.tmp prescribed-orders.csv
    fi
    # The previous report's prescribers who prescribed nothing this period,
    # the largest first (by what they prescribed then).
    if [ -n "$previous" ] && [ -f "$previous/prescribers.csv" ]; then
        now=prescribers.csv
        [ -f "$now" ] || { now=prescribers-none.tmp; echo prescriber > "$now"; }
        awk "$CSV_AWK"'
            FNR == 1 { file++ }
            file == 1 { csvrecord(); if (FNR > 1) here[F[1]] = 1; next }
            FNR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) h[F[i]] = i; next }
            { csvrecord(); if (F[1] in here) next
              n++; id[n] = F[1]; rev[n] = F[h["revenue"]]; cl[n] = F[h["clients"]]; ld[n] = F[h["last_date"]] }
            END {
                print "prescriber,previous_revenue,previous_clients,last_date"
                for (i = 1; i <= n; i++) order[i] = i
                for (i = 2; i <= n; i++)        # insertion sort, stable: ties keep the id order
                    for (j = i; j > 1 && rev[order[j]] + 0 > rev[order[j - 1]] + 0; j--) {
                        t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
                for (i = 1; i <= n; i++) { k = order[i]; printf "%s,%s,%s,%s\n", csvquote(id[k]), rev[k], cl[k], ld[k] }
            }' "$now" "$previous/prescribers.csv" > prescribers-stopped.csv \
            || die "the prescribers who stopped failed; $final left as it was"
        rm -f prescribers-none.tmp
    fi
    # the key figures of the section, for figures.csv
    {
        echo "prescribed_clients,$prescribed"
        if [ -f prescribers.csv ]; then
            awk "$CSV_AWK"'
                NR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) h[F[i]] = i; next }
                { csvrecord(); n++; rev += F[h["revenue"]] }
                END { printf "prescribers,%d\nprescribed_revenue,%.2f\n", n, rev }' prescribers.csv
            for m in share_top20 clients_for_80 clients_for_80_share; do
                echo "prescribers_$m,$(metric prescribers-summary.csv "$m")"
            done
        else
            printf 'prescribers,0\nprescribed_revenue,0.00\n'
        fi
    } > prescriber-figures.tmp
fi

# ---- figures: the key figures in one metric,value file ------------------------

# RFM totals per segment, in the usual order from champions to lost.
awk "$CSV_AWK"'
    BEGIN { n = split("champions,loyal,potential loyalists,new,promising,need attention,about to sleep,at risk,cannot lose them,hibernating,lost", order, ",")
            for (i = 1; i <= n; i++) rank[order[i]] = i }
    NR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) h[F[i]] = i; next }
    { csvrecord(); s = F[h["segment"]]
      if (!(s in clients)) { seen[++nseen] = s }
      clients[s]++; total++; revenue[s] += F[h["revenue"]]; all += F[h["revenue"]]
      recency[s] += F[h["recency_days"]]; orders[s] += F[h["orders"]] }
    END {
        print "segment,clients,clients_share,revenue,revenue_share,recency_days_mean,orders_mean"
        for (r = 1; r <= n + nseen; r++) {
            if (r <= n) { s = order[r]; if (!(s in clients)) continue }
            else { s = seen[r - n]; if (s in rank) continue }
            printf "%s,%d,%.17g,%.2f,%s,%.17g,%.17g\n", csvquote(s), clients[s], clients[s] / total, revenue[s],
                (all > 0 ? sprintf("%.17g", revenue[s] / all) : ""), recency[s] / clients[s], orders[s] / clients[s]
        }
    }' rfm.csv > rfm-segments.csv || die "the RFM segment totals failed; $final left as it was"

# Sums over the roll-up: revenue (net of returns), margin, orders, clients.
awk "$CSV_AWK"'
    NR == 1 { csvrecord(); for (i = 1; i <= NF_; i++) h[F[i]] = i; next }
    { csvrecord(); n++; rev += F[h["revenue"]]; ord += F[h["orders"]]; if ("margin" in h) mar += F[h["margin"]] }
    END { printf "revenue,%.2f\norders,%d\nclients,%d\n", rev, ord, n
          if ("margin" in h) printf "margin,%.2f\n", mar }' rollup.csv > sums.tmp \
    || die "the roll-up sums failed; $final left as it was"
{
    echo "metric,value"
    echo "period,$name"
    echo "from,$from"
    echo "to,$to"
    cat sums.tmp
    for m in positive share_top20 clients_for_80 clients_for_80_share gini; do
        echo "$m,$(metric summary.csv "$m")"
    done
    if [ -f share-summary.csv ]; then
        for m in share_effective share_potential share_value; do
            v=$(metric share-summary.csv "$m")
            [ -n "$v" ] && echo "market_$m,$v"
        done
    fi
    echo "history_clients,$(($(wc -l < history.csv) - 1))"
    echo "personas,$k"
    [ -f prescriber-figures.tmp ] && cat prescriber-figures.tmp
} > figures.csv
rm -f sums.tmp step.err prescriber-figures.tmp
[ -s negative-segments.txt ] || rm -f negative-segments.txt

# ---- charts: SVG for the page, PNG for slides ----------------------------------

# labels(WHAT): the period, or the history's end, in words of the language
labels() {
    awk -v lang="$lang" -v what="$1" -v name="$name" -v from="$from" -v to="$to" '
        function fdate(s,   d) { d = substr(s, 9, 2) + 0
            return (lang == "fr" && d == 1 ? "1er" : d) " " mn[substr(s, 6, 2) + 0] " " substr(s, 1, 4) }
        BEGIN { split(lang == "fr" ? "janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre" \
                                   : "January,February,March,April,May,June,July,August,September,October,November,December", mn, ",")
            if (what == "history") print (lang == "fr" ? "clients jusqu’au " : "clients up to ") fdate(to)
            else if (name ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]$/) print mn[substr(name, 6, 2) + 0] " " substr(name, 1, 4)
            else print fdate(from) " – " fdate(to) }'
}
period_label=$(labels period)
history_label=$(labels history)

# chart KIND INPUT SUBTITLE: KIND.svg and KIND.png (the PNG drawn meanwhile)
chart() {
    cl-plot "$1" --lang "$lang" --subtitle "$3" -o "$1.png" "$2" 2> "$1.png.err" &
    png_pid=$!
    step "the $1 chart" 0 cl-plot "$1" --lang "$lang" --subtitle "$3" -o "$1.svg" "$2"
    if ! wait $png_pid; then
        png_pid=""
        cat "$1.png.err" >&2
        die "the $1 chart (PNG) failed; $final left as it was"
    fi
    png_pid=""
    rm -f "$1.png.err"
    # gnuplot escapes the text it draws; an SVG with active content is refused
    if grep -qi '<script\|<foreignobject\|<iframe' "$1.svg"; then
        die "$1.svg holds active content; $final left as it was"
    fi
}
# No client with a positive net revenue (a month of returns only): no
# ranking, curve or class can be drawn, and the page says so.
if [ "$(metric summary.csv positive)" = 0 ]; then
    note pareto nc_pareto
else
    chart pareto pareto.csv "$period_label"
    # lorenz and abc from the ranking's rows, which say what was ranked (a
    # summary does not: its charts would say "value")
    chart lorenz pareto.csv "$period_label"
    chart abc pareto.csv "$period_label"
    [ -n "$prev_opt" ] && chart migration summary.csv "$period_label"
fi
chart rfm rfm.csv "$history_label"
if [ -n "$k" ]; then
    chart personas profiles.csv "$history_label"
    chart clusters clusters.csv "$history_label"
    chart select select.csv "$history_label"
fi
[ -f share.csv ] && chart share share.csv "$period_label"

# ---- the workbook: report.xlsx, the key figures then a sheet per table ---------
# (cl-workbook: cells typed, native Pareto and ABC charts, the PNGs beside).
# The key figures as on the page: named in the page's language, beside the
# previous period's (copied from its figures.csv, nothing computed).
awk -F, -v lang="$lang" -v prev="${previous:+$previous/figures.csv}" '
    BEGIN {
        n = split("period|Period|Période|from|From|Du|to|To|Au|" \
            "revenue|Revenue|Chiffre d\047affaires|orders|Orders|Commandes|" \
            "clients|Clients|Clients|margin|Margin|Marge|" \
            "positive|Clients with a positive value|Clients à valeur positive|" \
            "share_top20|Share of the top 20% of clients|Part des 20 % premiers clients|" \
            "clients_for_80|Clients making 80% of revenue|Clients faisant 80 % du CA|" \
            "clients_for_80_share|The same, share of clients|Les mêmes, part des clients|" \
            "gini|Gini index|Indice de Gini|" \
            "market_share_effective|Market share, effective demand|" \
            "Part de marché, demande effective|" \
            "market_share_potential|Market share, potential demand|" \
            "Part de marché, demande potentielle|" \
            "market_share_value|Market share in value|Part de marché en valeur|" \
            "history_clients|Clients up to the period\047s end|" \
            "Clients jusqu\047à la fin de la période|" \
            "personas|Personas|Personas", w, "|")
        for (i = 1; i < n; i += 3) label[w[i]] = lang == "fr" ? w[i + 2] : w[i + 1]
        if (prev != "")
            while ((getline line < prev) > 0) { split(line, f, ","); before[f[1]] = f[2] }
    }
    NR == 1 { print "metric,label,value" (prev != "" ? ",previous" : ""); next }
    { name = $1 in label ? label[$1] : $1
      print $1 ",\"" name "\"," $2 (prev != "" ? "," before[$1] : "") }
    ' figures.csv > key-figures.csv ||
    die "the key figures for the workbook failed; $final left as it was"
# A sheet for each table there is (some are not: no personas, returns only),
# when it fits in one (Excel's rows; the page is not given up for it).
wb_args=""
wb_sheet() {    # wb_sheet NAME FILE
    [ -f "$2" ] || return 0
    if [ "$(wc -l < "$2")" -gt 1048576 ]; then
        echo "report.xlsx: $2 has more rows than an Excel sheet holds (1,048,576): left out" \
            >> warnings.txt
        return 0
    fi
    wb_args="$wb_args $(quote "$1=$2")"
}
wb_image() {    # wb_image SHEET PNG
    [ -f "$2" ] && wb_args="$wb_args --image $(quote "$1=$2")"
    return 0
}
if [ "$lang" = fr ]; then
    wb_title="Rapport clients" wb_key="Chiffres clés" wb_summary="Résumé"
    wb_rfm_segments="Segments RFM" wb_clusters="Groupes" wb_select="Choix de k"
    wb_rollup="Clients" wb_share="Parts de marché"
    wb_risk="Clients A à risque" wb_clv="Valeur client" wb_clv_summary="Résumé valeur client"
else
    wb_title="Customer report" wb_key="Key figures" wb_summary="Summary"
    wb_rfm_segments="RFM segments" wb_clusters="Clusters" wb_select="k selection"
    wb_rollup="Customers" wb_share="Market shares"
    wb_risk="A clients at risk" wb_clv="Lifetime value" wb_clv_summary="Lifetime value summary"
fi
wb_sheet "$wb_key" key-figures.csv
wb_sheet Pareto pareto.csv
wb_sheet "$wb_summary" summary.csv
wb_sheet Lorenz lorenz.csv
wb_sheet RFM rfm.csv
wb_sheet "$wb_rfm_segments" rfm-segments.csv
wb_sheet Personas profiles.csv
wb_sheet "$wb_clusters" clusters.csv
wb_sheet "$wb_select" select.csv
wb_sheet "$wb_rollup" rollup.csv
wb_sheet "$wb_risk" at-risk.csv
wb_sheet "$wb_clv_summary" clv-summary.csv
wb_sheet "$wb_clv" clv.csv
wb_sheet "$wb_share" share.csv
wb_sheet "$wb_share (TOTAL)" share-summary.csv
case "$wb_args" in *"$wb_summary=summary.csv"*)
    grep -q '^class_A_clients,' summary.csv && wb_args="$wb_args --abc $(quote "$wb_summary")" ;;
esac
# the native Pareto chart where the page has one (not for returns only)
case "$wb_args" in *"Pareto=pareto.csv"*)
    [ -f pareto.png ] && wb_args="$wb_args --pareto-chart Pareto" ;;
esac
wb_image Pareto pareto.png
wb_image ABC abc.png
wb_image Lorenz lorenz.png
wb_image "$wb_summary" migration.png
wb_image RFM rfm.png
wb_image Personas personas.png
wb_image "$wb_clusters" clusters.png
wb_image "$wb_select" select.png
wb_image "$wb_share" share.png
# What Excel cannot hold (a cell of over 32,767 characters) costs the
# workbook, not the page: said in warnings.txt, no report.xlsx.
if ! eval "cl-workbook --lang $(quote "$lang") --title $(quote "$wb_title") \
    --period $(quote "$name") -o report.xlsx $wb_args" 2> step.err; then
    sed 's/^/report.xlsx not written: /' step.err >> warnings.txt
fi
rm -f step.err

# ---- cohorts: do the clients we win stay? (when cl-cohort is installed) --------
# One self-contained step: every monthly cohort up to the period's end
# (cohorts.csv, cl-cohort --until), the retention of the last complete
# cohorts at months 1, 3 and 6 beside the same months a year before
# (cohort-retention.csv), and the heat map of the last 13 cohorts. The page
# has its section when cohort-retention.csv exists; a failure of cl-cohort
# leaves the section out and says why among the messages.
if command -v cl-cohort >/dev/null 2>&1; then
    # cl-rollup's column and input options, less those cl-cohort has no use for
    cohort_opts=$(eval "set -- $rollup_opts"
        while [ $# -gt 0 ]; do
            case $1 in
                --cost|--margin) shift 2 ;;
                --decimal-comma|--decimal-point|--strict) printf ' %s' "$1"; shift ;;
                *) printf ' %s %s' "$1" "$(quote "$2")"; shift 2 ;;
            esac
        done)
    if eval "cl-cohort $cohort_opts --until $to -o cohorts.csv $(quote "$sales")" 2> cohort.err
    then
        # what cl-cohort left out goes under its table; the rejected lines,
        # the --where count and the reading notes (encoding, headers, rounding,
        # date order) are cl-rollup's too, in the data quality section already
        grep -v -e ' lines after --until left out$' -e ' lines rejected: ' \
            -e ' lines left out by --where$' -e ': not UTF-8 (line ' -e ' repeated header line' \
            -e ' decimals rounded to 6 ' -e ' reads both as DD/MM and as MM/DD ' \
            cohort.err > cohort-notes.txt
        [ -s cohort-notes.txt ] || rm -f cohort-notes.txt
        # per k: the latest cohort whose month k is complete, and the cohort
        # twelve months before it (empty when the data do not go back so far)
        awk "$CSV_AWK"'
            NR == 1 { next }
            { csvrecord(); key = F[1] "," F[2]; size[key] = F[3]; ret[key] = F[5]
              if (F[9] == 0 && (!(F[2] in last) || F[1] > last[F[2]])) last[F[2]] = F[1] }
            END {
                print "months,cohort,cohort_size,retention,year_before_cohort,year_before_size,year_before_retention"
                split("1 3 6", ks, " ")
                for (i = 1; i <= 3; i++) {
                    k = ks[i]
                    if (!(k in last)) { print k ",,,,,,"; continue }
                    c = last[k]; b = sprintf("%04d", substr(c, 1, 4) - 1) substr(c, 5)
                    printf "%s,%s,%s,%s,%s,%s,%s\n", k, c, size[c "," k], ret[c "," k], b,
                        ((b "," k) in size) ? size[b "," k] : "", ((b "," k) in ret) ? ret[b "," k] : ""
                }
            }' cohorts.csv > cohort-retention.csv || die "the cohort retention failed; $final left as it was"
        # the heat map: the last 13 cohorts (a year and the period's own month)
        awk -F, 'NR == 1 { next } $1 != prev { n++; prev = $1 } END { print n - 12 }' cohorts.csv > cohort.first
        awk -F, -v first="$(cat cohort.first)" 'NR == 1 { print; next } $1 != prev { n++; prev = $1 }
            n >= first { print }' cohorts.csv > cohort-heatmap.csv
        rm -f cohort.first
        chart cohort cohort-heatmap.csv "$period_label"
    else
        printf '%s: the cohort section is left out: %s\n' "$prog" "$(tail -1 cohort.err)" >> warnings.txt
        rm -f cohorts.csv
    fi
    rm -f cohort.err step.err
    sales_check
fi

# ---- the page ---------------------------------------------------------------------

# Every text that comes from the data goes through esc(); numbers through
# num() and pct(), formatted for the language. The charts are inlined with
# their ids prefixed, so that two charts never share an id.
PAGE_AWK=$(cat <<'EOF'
function tr(key, en, fr) { TX[key] = (lang == "fr") ? fr : en }
function t(key) { return TX[key] }
function esc(s) {
    gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
    gsub(/"/, "\\&quot;", s); gsub(/'/, "\\&#39;", s)
    return s
}
# short(S, N): S cut to N characters (UTF-8) with an ellipsis, as the
# charts cut their labels: a name of a megabyte is a line on the page.
function short(s, max,   head, i, len, chars) {
    if (length(s) <= max) return s
    head = substr(s, 1, 4 * max + 4); len = length(head); chars = 0
    for (i = 1; i <= len; i++)
        if (substr(head, i, 1) !~ /^[\200-\277]$/ && ++chars > max) break
    return substr(head, 1, i - 1) "\342\200\246"
}
function abs(x) { return x < 0 ? -x : x }
function num(x, d,   s, neg, i, ip, fp, o) {
    if (x == "") return "–"
    s = sprintf("%." d "f", x)
    neg = 0
    if (s ~ /^-/) { neg = 1; s = substr(s, 2) }
    i = index(s, ".")
    if (i) { ip = substr(s, 1, i - 1); fp = substr(s, i + 1) } else { ip = s; fp = "" }
    o = ""
    while (length(ip) > 3) { o = TH substr(ip, length(ip) - 2) o; ip = substr(ip, 1, length(ip) - 3) }
    o = ip o
    if (fp != "") o = o DEC fp
    if (neg && o ~ /[1-9]/) o = "-" o
    return o
}
function pct(x, d) { return x == "" ? "–" : num(x * 100, d) PC }
function share(x) { return x == "" ? "–" : pct(x, abs(x) < 0.01 ? 2 : 1) }   # a market share: 2 decimals below 1%
# a change: "+" before a rise, the minus sign U+2212 before a fall (as the charts write it)
function signed(x, d,   s) {
    s = num(x, d)
    if (s ~ /^-/) return "−" substr(s, 2)
    return (x > 0 && s ~ /[1-9]/) ? "+" s : s
}
function fdate(s,   d) {
    if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]/) return esc(s)
    d = substr(s, 9, 2) + 0
    return (lang == "fr" && d == 1 ? "1er" : d) " " MONTH[substr(s, 6, 2) + 0] " " substr(s, 1, 4)
}
function plabel(p) {
    if (p ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]$/) return MONTH[substr(p, 6, 2) + 0] " " substr(p, 1, 4)
    if (p ~ /^[0-9-]+_[0-9-]+$/) return fdate(substr(p, 1, 10)) " – " fdate(substr(p, 12))
    return esc(p)
}

# ---- reading CSV files into tables
function load(file, tb, maxrows,   n, i) {
    ROWS[tb] = 0
    if (!frec(file)) return 0
    for (i = 1; i <= NF_; i++) HD[tb, F[i]] = i
    n = 0
    while ((maxrows == 0 || n < maxrows) && frec(file)) {
        n++
        for (i = 1; i <= NF_; i++) C[tb, n, i] = F[i]
    }
    close(file)
    ROWS[tb] = n
    return n
}
function has(tb, col) { return (tb, col) in HD }
function get(tb, r, col) { return ((tb, col) in HD) ? C[tb, r, HD[tb, col]] : "" }
function loadm(file, tb,   n) {
    n = 0
    if (!frec(file)) return 0
    while (frec(file)) { M[tb, F[1]] = F[2]; n++ }
    close(file)
    return n
}
function m(tb, key) { return ((tb, key) in M) ? M[tb, key] : "" }
function exists(file,   line, r) { r = (getline line < file); if (r >= 0) close(file); return r >= 0 }

# ---- pieces of the page
function delta(cur, prev, how, good,   d, cls, txt) {
    if (prevname == "" || prev == "" || cur == "") return ""
    if (how == "pct") {
        if (prev + 0 == 0) return ""
        d = (cur - prev) / abs(prev); txt = signed(d * 100, 1) PC
    } else if (how == "pts") {
        d = cur - prev; txt = signed(d * 100, 1) " " t("pts")
    } else if (how == "gini") {
        d = cur - prev; txt = signed(d, 2)
    } else {
        d = cur - prev; txt = signed(d, 0)
    }
    cls = "flat"
    if (good && d > 0) cls = "up"
    if (good && d < 0) cls = "down"
    return "<div class=\"d " cls "\">" txt " " t("vs") " " plabel(prevname) "</div>"
}
function kpi(id, label, value, subtext, dlt) {
    printf "<div class=\"kpi\"><div class=\"l\">%s</div><div class=\"v\" id=\"kf-%s\">%s</div>", label, id, value
    if (subtext != "") printf "<div class=\"s\">%s</div>", subtext
    printf "%s</div>\n", dlt
}
function figure(kind, caption,   file, line, idp) {
    file = kind ".svg"
    if (!exists(file)) return
    idp = "c-" kind "-"
    printf "<figure class=\"chart\" id=\"fig-%s\">\n", kind
    while ((getline line < file) > 0) {
        if (line ~ /^<\?xml/) continue
        gsub(/ id='/, " id='" idp, line); gsub(/ id="/, " id=\"" idp, line)
        gsub(/href='#/, "href='#" idp, line); gsub(/href="#/, "href=\"#" idp, line)
        gsub(/url\(#/, "url(#" idp, line)
        if (line ~ /^<title>Gnuplot<\/title>$/) line = "<title>" caption "</title>"
        if (line ~ /^<desc>/) continue
        sub(/^<svg /, "<svg class=\"chart\" role=\"img\" aria-label=\"" caption "\" ", line)
        print line
    }
    close(file)
    printf "<figcaption>%s · <a href=\"%s.svg\">SVG</a> · <a href=\"%s.png\">PNG</a></figcaption>\n</figure>\n", caption, kind, kind
}
function th(list, align,   n, a, i, s) {  # ALIGN: l or n per column (default: l, then n)
    n = split(list, a, "|"); s = "<tr>"
    for (i = 1; i <= n; i++)
        s = s "<th" ((align == "" ? (i > 1) : substr(align, i, 1) == "n") ? " class=\"n\"" : "") ">" a[i] "</th>"
    return s "</tr>"
}
# The prescribers section: their Pareto as a table, each with its main
# clients (from prescriber-clients.csv), and those who stopped.
function prescribers_section(   r, n, i, j, p, k, top, cnt, best, bestv, line, shown) {
    printf "<section id=\"prescribers\">\n<h2>%s</h2>\n", t("presc_h")
    if (m("f", "prescribers") + 0 == 0) printf "<p class=\"note\" id=\"prescribers-brief\">%s</p>\n", t("presc_none")
    else {
        printf "<p class=\"brief\" id=\"prescribers-brief\">" t("presc_brief"), num(m("f", "prescribers"), 0),
            num(m("f", "prescribed_revenue"), 2), pct(m("f", "revenue") + 0 > 0 ? m("f", "prescribed_revenue") / m("f", "revenue") : "", 1),
            num(prescribed, 0), num(m("f", "clients"), 0)
        if (m("f", "prescribers_share_top20") != "")
            printf " " t("presc_pareto"), pct(m("f", "prescribers_share_top20"), 1), num(m("f", "prescribers_clients_for_80"), 0),
                pct(m("f", "prescribers_clients_for_80_share"), 1)
        print "</p>"
        n = load("prescribers-pareto.csv", "pp", 10)
        for (r = 1; r <= n; r++) top[C["pp", r, 1]] = r
        # each top prescriber's three largest clients (ties: the first in byte order)
        if (frec("prescriber-clients.csv")) {
            while (frec("prescriber-clients.csv")) {
                if (!(F[1] in top)) continue
                r = top[F[1]]; cnt[r]++
                for (j = 1; j <= 3; j++)
                    if (!((r, j) in bestv) || F[3] + 0 > bestv[r, j] + 0) {
                        for (k = 3; k > j; k--) if ((r, k - 1) in bestv) { best[r, k] = best[r, k - 1]; bestv[r, k] = bestv[r, k - 1] }
                        best[r, j] = F[2]; bestv[r, j] = F[3]
                        break
                    }
            }
            close("prescriber-clients.csv")
        }
        printf "<h3>%s</h3>\n<table id=\"top-prescribers\" class=\"wide\">\n", sprintf(t("presc_top"), n)
        print th(t("rank") "|" t("prescriber") "|" t("prescribed") "|" t("share") "|" t("cum") "|" t("class") "|" t("brought") "|" t("their_clients"), "nlnnnnnl")
        for (r = 1; r <= n; r++) {
            line = ""
            for (j = 1; j <= 3 && (r, j) in best; j++)
                line = line (j > 1 ? ", " : "") esc(best[r, j]) " (" num(bestv[r, j], 2) ")"
            if (cnt[r] > 3) line = line ", " sprintf(t("more"), num(cnt[r] - 3, 0))
            printf "<tr><td class=\"n\">%s</td><td class=\"id\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"id\">%s</td></tr>\n",
                esc(get("pp", r, "rank")), esc(C["pp", r, 1]), num(get("pp", r, "revenue"), 2), pct(get("pp", r, "share"), 1),
                pct(get("pp", r, "cum_share"), 1), cls(get("pp", r, "class")), num(get("pp", r, "clients"), 0), line
        }
        print "</table>"
    }
    if (prevname == "") printf "<p class=\"note\">%s</p>\n", t("stopped_noprev")
    else if (exists("prescribers-stopped.csv")) {
        printf "<h3>%s</h3>\n", sprintf(t("stopped_h"), plabel(prevname))
        n = load("prescribers-stopped.csv", "ps", 0)
        if (n == 0) printf "<p class=\"note\" id=\"stopped\">%s</p>\n", sprintf(t("stopped_none"), plabel(prevname))
        else {
            printf "<p class=\"note\">%s</p>\n<p id=\"stopped\">", sprintf(t("stopped_note"), plabel(prevname))
            shown = n < 15 ? n : 15
            for (r = 1; r <= shown; r++)
                printf "%s%s (%s)", (r > 1 ? ", " : ""), esc(C["ps", r, 1]), num(get("ps", r, "previous_revenue"), 2)
            if (n > shown) printf " %s", sprintf(t("stopped_more"), num(n - shown, 0))
            print "</p>"
        }
    }
    print "</section>"
}
function cls(c) { return c == "-" ? t("none") : c == "" ? t("new") : esc(c) }
# notes(SECTION): what could not be computed there, and why (notes.txt)
function notes(section,   i, p, n, what) {
    for (i = 1; (section, i) in NOTE; i++) {
        n = split(NOTE[section, i], p, "\t")
        if (p[2] == "nc_constant") {
            what = tolower(p[3] == "recency_days" ? t("recency") : p[3] == "orders" ? t("orders") : t("revenue"))
            printf "<p class=\"note nc\" id=\"nc-%s-%d\">%s</p>\n", section, i, sprintf(t(p[2]), what, num(p[4], p[3] == "revenue" ? 2 : 0))
        } else if (p[2] == "nc_krange")
            printf "<p class=\"note nc\" id=\"nc-%s-%d\">%s</p>\n", section, i, sprintf(t(p[2]), p[3], p[4], p[5])
        else
            printf "<p class=\"note nc\" id=\"nc-%s-%d\">%s</p>\n", section, i, sprintf(t(p[2]), n >= 3 ? esc(p[3]) : "")
    }
}
function noted(section) { return (section, 1) in NOTE }
function segname(s) { return (s in SEG) ? SEG[s] : esc(s) }

# ---- cohorts (written by the cohorts step; its words are here with it)
function cohort_section(   r, k, ret, prev, hdr, line) {
    tr("coh_h", "Do the clients we win stay? Retention by cohort", "Les clients gagnés restent-ils ? Rétention par cohorte")
    tr("coh_note", "Clients grouped by the month of their first purchase (their cohort); a client is active in a month when they bought in it (returns alone do not count); the first month of the data gathers the clients already there. Sales up to %s.",
                   "Clients regroupés par mois de premier achat (leur cohorte) ; un client est actif un mois s’il y a acheté (un retour seul ne compte pas) ; le premier mois des données rassemble les clients déjà là. Ventes jusqu’au %s.")
    tr("coh_k", "Months after the first purchase", "Mois après le premier achat")
    tr("coh_c", "Last complete cohort", "Dernière cohorte complète")
    tr("coh_r", "Still buying", "Achètent encore")
    tr("coh_y", "A year before", "Un an plus tôt")
    tr("coh_d", "Change", "Écart")
    tr("coh_left", "Left out (as cl-cohort says): ", "Laissés de côté (selon cl-cohort)&#160;: ")
    tr("coh_cap", "Share of each cohort active in each month since its first purchase", "Part de chaque cohorte active chaque mois depuis son premier achat")
    load("cohort-retention.csv", "coh", 0)
    printf "<section id=\"cohorts\">\n<h2>%s</h2>\n", t("coh_h")
    printf "<p class=\"note\">%s</p>\n", sprintf(t("coh_note"), fdate(to))
    hdr = t("coh_k") "|" t("coh_c") "|" t("clients") "|" t("coh_r") "|" t("coh_y") "|" t("coh_r") "|" t("coh_d")
    printf "<table id=\"cohort-table\">\n%s\n", th(hdr, "nlnnlnn")
    for (r = 1; r <= ROWS["coh"]; r++) {
        k = get("coh", r, "months"); ret = get("coh", r, "retention"); prev = get("coh", r, "year_before_retention")
        printf "<tr><td class=\"n\">%s</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
            esc(k), get("coh", r, "cohort") == "" ? "–" : plabel(get("coh", r, "cohort")),
            num(get("coh", r, "cohort_size"), 0), pct(ret, 1)
        printf "<td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
            (prev == "" ? "–" : plabel(get("coh", r, "year_before_cohort")) " (" num(get("coh", r, "year_before_size"), 0) ")"),
            pct(prev, 1), (ret == "" || prev == "") ? "–" : signed((ret - prev) * 100, 1) " " t("pts")
    }
    print "</table>"
    while ((getline line < "cohort-notes.txt") > 0) {
        sub(/^cl-cohort: /, "", line)
        printf "<p class=\"note\">%s%s</p>\n", t("coh_left"), esc(line)
    }
    figure("cohort", t("coh_cap"))
    print "</section>"
}

BEGIN {
    NAME_MAX = 60       # characters of a client or segment name shown
    if (lang == "fr") { TH = "\342\200\257"; DEC = ","; PC = "\342\200\257%" } else { TH = ","; DEC = "."; PC = "%" }
    split(lang == "fr" ? "janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre" \
                       : "January,February,March,April,May,June,July,August,September,October,November,December", MONTH, ",")
    tr("title", "Customer report", "Rapport clients")
    tr("pts", "pts", "pts")
    tr(":", ":", "&#160;:")
    tr("vs", "vs", "par rapport à")
    tr("key", "Key figures", "Chiffres clés")
    tr("revenue", "Revenue", "Chiffre d’affaires")
    tr("revenue_sub", "net of returns", "net des retours")
    tr("margin", "Margin", "Marge")
    tr("clients", "Clients", "Clients")
    tr("clients_sub", "%s with a positive net revenue", "dont %s avec un CA net positif")
    tr("top20", "Share of the top 20%", "Part des 20&#8239;% premiers")
    tr("top20_sub", "of revenue made by the top 20% of clients", "du CA fait par les 20&#8239;% meilleurs clients")
    tr("for80", "Clients making 80%", "Clients faisant 80&#8239;%")
    tr("for80_sub", "%s of the clients", "soit %s des clients")
    tr("gini", "Gini index", "Indice de Gini")
    tr("gini_sub", "0 = equal, 1 = one client has it all", "0 = égalité, 1 = un seul client fait tout")
    tr("share_eff", "Market share", "Part de marché")
    tr("share_eff_sub", "of the actual consumers", "des consommateurs effectifs")
    tr("share_pot", "Share of potential demand", "Part du potentiel")
    tr("share_pot_sub", "actual consumers + relative non-consumers", "consommateurs + non-consommateurs relatifs")
    tr("share_val", "Market share in value", "Part de marché en valeur")
    tr("share_val_sub", "of the market’s revenue", "du CA du marché")
    tr("brief1", "%s clients bought for %s in %s.", "%s clients ont acheté pour %s en %s.")
    tr("brief1r", "%s clients bought for %s from %s.", "%s clients ont acheté pour %s du %s.")
    tr("brief2", "The top 20%% of clients made %s of the revenue, and %s clients (%s of them) made 80%% of it.",
                 "Les 20&#8239;%% meilleurs clients ont fait %s du chiffre d’affaires, et %s clients (%s d’entre eux) en ont fait 80&#8239;%%.")
    tr("brief3", "Revenue changed by %s from %s.", "Le chiffre d’affaires a varié de %s par rapport à %s.")
    tr("brief4", "Our clients are %s of the market’s actual consumers.", "Nos clients sont %s des consommateurs effectifs du marché.")
    tr("pareto_h", "Who carries the business: Pareto 20/80", "Qui fait le chiffre : Pareto 20/80")
    tr("pareto_cap", "Clients ranked by revenue, and the cumulative share", "Clients classés par chiffre d’affaires, et la part cumulée")
    tr("lorenz_cap", "Lorenz curve: how concentrated the revenue is", "Courbe de Lorenz : la concentration du chiffre d’affaires")
    tr("top_h", "The %s largest clients", "Les %s plus gros clients")
    tr("rank", "Rank", "Rang")
    tr("client", "Client", "Client")
    tr("share", "Share", "Part")
    tr("cum", "Cumulated", "Cumul")
    tr("class", "Class", "Classe")
    tr("prev_class", "Before", "Avant")
    tr("abc_h", "A/B/C classes", "Classes A/B/C")
    tr("abc_note", "Class A: the clients making the first 80% of the revenue; B: up to 95%; C: the rest. Clients with a net revenue of 0 or less are left out.",
                   "Classe A : les clients qui font les premiers 80&#8239;% du chiffre d’affaires ; B : jusqu’à 95&#8239;% ; C : le reste. Les clients au CA net nul ou négatif sont à part.")
    tr("abc_cap", "Share of the clients and of the revenue per class", "Part des clients et du chiffre d’affaires par classe")
    tr("clients_share", "% of clients", "% des clients")
    tr("revenue_share", "% of revenue", "% du CA")
    tr("mig_h", "Migrations since %s", "Migrations depuis %s")
    tr("mig_note", "Rows: the class in %s (new: not a client then); columns: the class now (lost: no purchase this period).",
                   "Lignes : la classe en %s (nouveaux : pas clients alors) ; colonnes : la classe maintenant (perdus : aucun achat sur la période).")
    tr("mig_cap", "Class moves between the two periods", "Changements de classe entre les deux périodes")
    tr("new", "new", "nouveaux")
    tr("none", "none (≤ 0)", "aucune (≤ 0)")
    tr("lost", "lost", "perdus")
    tr("from_to", "from \\ to", "de \\ vers")
    tr("down_h", "Class A clients who dropped", "Clients de classe A qui ont baissé")
    tr("no_prev", "Give the previous report (--previous) to see the clients who changed class.",
                  "Donnez le rapport précédent (--previous) pour voir les clients qui ont changé de classe.")
    tr("rfm_h", "RFM segments", "Segments RFM")
    tr("rfm_note", "Recency, frequency and monetary value scored 1 to 5 by quintiles, over %s clients who bought up to %s; recency counted from %s.",
                   "Récence, fréquence et montant notés de 1 à 5 par quintiles, sur %s clients ayant acheté jusqu’au %s ; récence comptée depuis le %s.")
    tr("segment", "Segment", "Segment")
    tr("recency", "Days since last order", "Jours depuis la dernière commande")
    tr("orders", "Orders", "Commandes")
    tr("rfm_cap", "Clients and revenue per RFM segment", "Clients et chiffre d’affaires par segment RFM")
    tr("clv_h", "Class A clients at risk of leaving", "Clients de classe A en risque de départ")
    tr("clv_note", "P(alive): the probability that the client is still buying from us, from the BG/NBD model (Fader, Hardie & Lee) fitted by cl-clv on the %s clients who bought up to %s; expected value: the spend expected over the next 52 weeks (Gamma-Gamma model). %s of the %s class A clients of the period are alive with a probability under 50%%; the %s least likely:",
                   "P(actif) : la probabilité que le client achète encore chez nous, selon le modèle BG/NBD (Fader, Hardie et Lee) ajusté par cl-clv sur les %s clients ayant acheté jusqu’au %s ; valeur attendue : la dépense attendue sur les 52 prochaines semaines (modèle Gamma-Gamma). %s des %s clients de classe A de la période sont actifs avec une probabilité inférieure à 50&#8239;%% ; les %s les moins probables :")
    tr("p_alive", "P(alive)", "P(actif)")
    tr("exp_purchases", "Expected purchases", "Achats attendus")
    tr("exp_value", "Expected value", "Valeur attendue")
    tr("period_revenue", "Revenue of the period", "CA de la période")
    tr("nc_clv", "No lifetime values: cl-clv could not fit its models to the history (%s).",
                 "Pas de valeur vie client : cl-clv n’a pas pu ajuster ses modèles à l’historique (%s).")
    tr("nc_noa", "No class A client in this period.", "Aucun client de classe A sur la période.")
    tr("personas_h", "Personas", "Personas")
    tr("personas_note", "%s typical clients found by k-means on recency, number of orders and revenue (logarithmic), over the same clients as RFM.",
                        "%s clients types trouvés par k-means sur la récence, le nombre de commandes et le CA (logarithmiques), sur les mêmes clients que le RFM.")
    tr("persona", "Persona", "Persona")
    tr("size", "Clients", "Clients")
    tr("mean_revenue", "Mean revenue", "CA moyen")
    tr("mean_orders", "Mean orders", "Commandes moyennes")
    tr("mean_recency", "Mean days since last order", "Jours moyens depuis la dernière commande")
    tr("personas_cap", "What sets each persona apart (deviation from all clients)", "Ce qui distingue chaque persona (écart à l’ensemble)")
    tr("clusters_cap", "The clients on the two main axes, by persona", "Les clients sur les deux axes principaux, par persona")
    tr("market_h", "Market shares", "Parts de marché")
    tr("market_note", "Market table: %s. Our clients per segment counted from the sales column %s.",
                      "Table du marché : %s. Nos clients par segment comptés d’après la colonne %s des ventes.")
    tr("market_note2", "Market table: %s, with its own clients column.", "Table du marché : %s, avec sa propre colonne de clients.")
    tr("effective", "Actual consumers", "Consommateurs effectifs")
    tr("potential", "Potential", "Potentiel")
    tr("share_e", "Share (actual)", "Part (effective)")
    tr("share_p", "Share (potential)", "Part (potentielle)")
    tr("our_revenue", "Our revenue", "Notre CA")
    tr("market_revenue", "Market revenue", "CA du marché")
    tr("share_v", "Share in value", "Part en valeur")
    tr("total", "Total", "Total")
    tr("share_cap", "Our clients, the competitors’ and the relative non-consumers per segment", "Nos clients, ceux des concurrents et les non-consommateurs relatifs par segment")
    tr("negative", "Segment %s: net revenue %s (returns), counted as 0 in the market shares.",
                   "Segment %s : CA net %s (retours), compté 0 dans les parts de marché.")
    tr("nc_pareto", "No client has a positive net revenue in this period (returns only): the Pareto ranking, the Lorenz curve, the A/B/C classes and the Gini index cannot be computed.",
                    "Aucun client n’a de chiffre d’affaires net positif sur la période (retours seulement) : le classement de Pareto, la courbe de Lorenz, les classes A/B/C et l’indice de Gini ne peuvent pas être calculés.")
    tr("nc_abc", "No classes: no client has a positive net revenue in this period.",
                 "Pas de classes : aucun client n’a de chiffre d’affaires net positif sur la période.")
    tr("nc_constant", "Left out of the personas: %s, the same for every client (%s), which tells no one apart.",
                      "Écarté des personas : %s, identique pour tous les clients (%s), qui ne les distingue pas.")
    tr("nc_krange", "The number of personas was chosen in %s rather than %s: there are %s clients.",
                    "Le nombre de personas a été choisi entre %s plutôt qu’entre %s : il y a %s clients.")
    tr("nc_few", "No personas: %s clients in the history, too few to group.", "Pas de personas : %s clients dans l’historique, trop peu pour les grouper.")
    tr("nc_nofeature", "No personas: every client has the same recency, number of orders and revenue, so nothing tells them apart.",
                       "Pas de personas : tous les clients ont la même récence, le même nombre de commandes et le même CA, rien ne les distingue.")
    tr("nc_failed", "No personas: cl-kmeans could not group these clients (%s).", "Pas de personas : cl-kmeans n’a pas pu grouper ces clients (%s).")
    tr("personas_note_some", "%s typical clients found by k-means on %s, over the same clients as RFM.",
                             "%s clients types trouvés par k-means sur %s, sur les mêmes clients que le RFM.")
    tr("quality_h", "Data quality", "Qualité des données")
    tr("q_file", "%s: %s lines, %s usable, dated %s to %s.", "%s : %s lignes, dont %s utilisables, datées du %s au %s.")
    tr("q_period", "This period: %s lines used, %s outside the period, %s rejected.",
                   "Sur la période : %s lignes utilisées, %s hors période, %s rejetées.")
    tr("q_reasons", "Rejected lines (in rejects.csv, with the reason):", "Lignes rejetées (dans rejects.csv, avec la raison) :")
    tr("q_nonpos", "%s clients with a net revenue of 0 or less (returns) are left out of the shares, the Lorenz curve and the Gini index.",
                   "%s clients au CA net nul ou négatif (retours) sont exclus des parts, de la courbe de Lorenz et de l’indice de Gini.")
    tr("q_warn", "Messages of the programs:", "Messages des programmes :")
    tr("q_nowarn", "The programs gave no warning.", "Les programmes n’ont signalé aucune anomalie.")
    tr("method_h", "Method and files", "Méthode et fichiers")
    tr("select_cap", "How the number of personas was chosen (silhouette: higher is better)", "Choix du nombre de personas (silhouette : plus haut, mieux c’est)")
    tr("files", "Every figure comes from these files:", "Chaque chiffre vient de ces fichiers :")
    tr("made_by", "Made by", "Produit par")
    tr("period", "Period", "Période")
    tr("sales", "Sales", "Ventes")
    tr("compared", "compared with", "comparé à")
    tr("presc_h", "Prescribers: who makes others buy", "Prescripteurs : qui fait acheter")
    tr("presc_brief", "%s prescribers brought %s of the revenue (%s), through %s of the %s clients; the rest was bought directly.",
                      "%s prescripteurs ont apporté %s du chiffre d’affaires (%s), par %s des %s clients ; le reste a été acheté en direct.")
    tr("presc_pareto", "The top 20%% of the prescribers brought %s of it, and %s prescribers (%s of them) brought 80%%.",
                       "Les 20&#8239;%% premiers prescripteurs en ont apporté %s, et %s prescripteurs (%s d’entre eux) 80&#8239;%%.")
    tr("presc_none", "No sale of the period names a prescriber: every sale was direct.",
                     "Aucune vente de la période ne nomme de prescripteur : toutes ont été directes.")
    tr("presc_top", "The %s prescribers who brought the most", "Les %s prescripteurs qui ont le plus apporté")
    tr("prescriber", "Prescriber", "Prescripteur")
    tr("prescribed", "Prescribed revenue", "CA prescrit")
    tr("brought", "Clients brought", "Clients apportés")
    tr("their_clients", "Their main clients", "Leurs principaux clients")
    tr("more", "%s more", "%s autres")
    tr("stopped_h", "Prescribers who stopped since %s", "Prescripteurs qui ont cessé depuis %s")
    tr("stopped_note", "Prescribers of %s with no sale this period, with what they brought then.",
                       "Prescripteurs de %s sans vente sur la période, avec ce qu’ils apportaient alors.")
    tr("stopped_none", "Every prescriber of %s prescribed again this period.",
                       "Tous les prescripteurs de %s ont de nouveau prescrit sur la période.")
    tr("stopped_noprev", "Give the previous report (--previous) to see the prescribers who stopped.",
                         "Donnez le rapport précédent (--previous) pour voir les prescripteurs qui ont cessé.")
    tr("stopped_more", "and %s more, in prescribers-stopped.csv.", "et %s autres, dans prescribers-stopped.csv.")
    split("wrong_number_of_fields|no_customer_id|unusable_date|unusable_amount|unusable_quantity|unusable_price|unusable_cost|unusable_margin", RK, "|")
    split(lang == "fr" ? "nombre de champs incorrect|pas de code client|date illisible|montant illisible|quantité illisible|prix illisible|coût illisible|marge illisible" \
                       : "wrong number of fields|no customer id|unusable date|unusable amount|unusable quantity|unusable price|unusable cost|unusable margin", RN, "|")
    if (lang == "fr") {
        SEG["champions"] = "Champions"; SEG["loyal"] = "Fidèles"; SEG["potential loyalists"] = "Fidèles potentiels"
        SEG["new"] = "Nouveaux"; SEG["promising"] = "Prometteurs"; SEG["need attention"] = "À surveiller"
        SEG["about to sleep"] = "Bientôt endormis"; SEG["at risk"] = "À risque"; SEG["cannot lose them"] = "À ne pas perdre"
        SEG["hibernating"] = "En hibernation"; SEG["lost"] = "Perdus"
    } else {
        SEG["champions"] = "Champions"; SEG["loyal"] = "Loyal"; SEG["potential loyalists"] = "Potential loyalists"
        SEG["new"] = "New"; SEG["promising"] = "Promising"; SEG["need attention"] = "Need attention"
        SEG["about to sleep"] = "About to sleep"; SEG["at risk"] = "At risk"; SEG["cannot lose them"] = "Cannot lose them"
        SEG["hibernating"] = "Hibernating"; SEG["lost"] = "Lost"
    }

    loadm("figures.csv", "f")
    loadm("summary.csv", "s")
    loadm("stats.csv", "st")
    loadm("stats-all.csv", "sa")
    if (prevname != "") loadm(prevdir "/figures.csv", "p")
    if (exists("share-summary.csv")) loadm("share-summary.csv", "ms")
    load("pareto.csv", "par", 10)
    load("rfm-segments.csv", "rfm", 0)
    if (exists("profiles.csv")) load("profiles.csv", "pro", 0)
    if (exists("at-risk.csv")) { load("at-risk.csv", "risk", 10); loadm("clv-summary.csv", "cs") }
    while ((getline line < "notes.txt") > 0) {
        split(line, p, "\t")
        NOTE[p[1], ++NN[p[1]]] = line
    }
    if (exists("share.csv")) load("share.csv", "sh", 0)

    # ---- head
    printf "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", lang
    printf "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    printf "<title>%s — %s</title>\n", t("title"), plabel(period)
    print "<style>"
    print "body { font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, Helvetica, sans-serif; color: #222; max-width: 1000px; margin: 0 auto; padding: 24px; line-height: 1.45; font-size: 15px; }"
    print "h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 2px solid #4472c4; padding-bottom: 4px; } h3 { font-size: 16px; margin: 20px 0 8px; }"
    print ".meta { color: #555; margin: 0 0 16px; } .note { color: #555; font-size: 13px; }"
    print ".brief { font-size: 16px; background: #f3f6fb; border-radius: 6px; padding: 10px 14px; }"
    print ".kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px; }"
    print ".kpi { border: 1px solid #d0d7e2; border-radius: 6px; padding: 10px 12px; break-inside: avoid; }"
    print ".kpi .l { font-size: 13px; color: #444; font-weight: bold; } .kpi .v { font-size: 26px; font-weight: bold; margin: 2px 0; white-space: nowrap; }"
    print ".kpi .s { font-size: 12px; color: #666; } .kpi .d { font-size: 13px; margin-top: 4px; }"
    print ".up { color: #1a7f37; } .down { color: #b42318; } .flat { color: #555; }"
    print "figure.chart { margin: 14px 0; break-inside: avoid; } svg.chart { width: 100%; height: auto; display: block; border: 1px solid #e4e4e4; }"
    print "figcaption { font-size: 13px; color: #555; margin-top: 4px; }"
    print "table { border-collapse: collapse; margin: 8px 0; font-size: 14px; } th, td { padding: 4px 10px; border-bottom: 1px solid #e2e2e2; text-align: left; vertical-align: top; }"
    print "th { background: #f3f6fb; font-weight: bold; } .n { text-align: right; font-variant-numeric: tabular-nums; } td.n { white-space: nowrap; } table.wide { font-size: 13px; } table.wide th, table.wide td { padding: 4px 6px; } tr.total td { font-weight: bold; border-top: 2px solid #999; }"
    print "td.id { max-width: 360px; overflow-wrap: anywhere; } td.diag { font-weight: bold; }"
    print ".quality { background: #f7f7f7; border-left: 4px solid #888; padding: 6px 16px; } .quality ul { margin: 4px 0; } .warn { font-family: monospace; font-size: 12px; overflow-wrap: anywhere; }"
    print ".files { columns: 3; font-size: 13px; } .files li { break-inside: avoid; } footer { margin-top: 30px; font-size: 12px; color: #777; }"
    print "@media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { break-after: avoid; } .kpi, table, figure.chart, .quality { break-inside: avoid; }"
    print "  a { color: inherit; text-decoration: none; } .files { columns: 2; } .brief { background: none; border: 1px solid #ccc; } }"
    print "@page { size: A4; margin: 14mm; }"
    print "</style>\n</head>\n<body>"

    # ---- title and brief
    printf "<header>\n<h1>%s — %s</h1>\n", t("title"), plabel(period)
    printf "<p class=\"meta\">%s%s %s · %s%s %s – %s", t("sales"), t(":"), esc(sales), t("period"), t(":"), fdate(from), fdate(to)
    if (prevname != "") printf " · %s %s", t("compared"), plabel(prevname)
    print "</p>\n</header>"

    revenue = m("f", "revenue"); clients = m("f", "clients")
    printf "<p class=\"brief\" id=\"brief\">"
    if (period ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]$/) printf t("brief1"), num(clients, 0), num(revenue, 2), plabel(period)
    else printf t("brief1r"), num(clients, 0), num(revenue, 2), fdate(from) " – " fdate(to)
    if (noted("pareto")) printf " %s", t("nc_pareto")
    else printf " " t("brief2"), pct(m("f", "share_top20"), 1), num(m("f", "clients_for_80"), 0), pct(m("f", "clients_for_80_share"), 1)
    if (prevname != "" && m("p", "revenue") + 0 != 0)
        printf " " t("brief3"), signed((revenue - m("p", "revenue")) / abs(m("p", "revenue")) * 100, 1) PC, plabel(prevname)
    if (m("f", "market_share_effective") != "") printf " " t("brief4"), share(m("f", "market_share_effective"))
    print "</p>"

    # ---- key figures
    printf "<section id=\"key\">\n<h2>%s</h2>\n<div class=\"kpis\">\n", t("key")
    kpi("revenue", t("revenue"), num(revenue, 2), t("revenue_sub"), delta(revenue, m("p", "revenue"), "pct", 1))
    if (m("f", "margin") != "") kpi("margin", t("margin"), num(m("f", "margin"), 2), "", delta(m("f", "margin"), m("p", "margin"), "pct", 1))
    kpi("clients", t("clients"), num(clients, 0), sprintf(t("clients_sub"), num(m("f", "positive"), 0)), delta(clients, m("p", "clients"), "abs", 1))
    kpi("top20", t("top20"), pct(m("f", "share_top20"), 1), t("top20_sub"), delta(m("f", "share_top20"), m("p", "share_top20"), "pts", 0))
    kpi("for80", t("for80"), num(m("f", "clients_for_80"), 0), sprintf(t("for80_sub"), pct(m("f", "clients_for_80_share"), 1)),
        delta(m("f", "clients_for_80"), m("p", "clients_for_80"), "abs", 0))
    kpi("gini", t("gini"), num(m("f", "gini"), 2), t("gini_sub"), delta(m("f", "gini"), m("p", "gini"), "gini", 0))
    if (m("f", "market_share_effective") != "")
        kpi("share-effective", t("share_eff"), share(m("f", "market_share_effective")), t("share_eff_sub"),
            delta(m("f", "market_share_effective"), m("p", "market_share_effective"), "pts", 1))
    if (m("f", "market_share_potential") != "")
        kpi("share-potential", t("share_pot"), share(m("f", "market_share_potential")), t("share_pot_sub"),
            delta(m("f", "market_share_potential"), m("p", "market_share_potential"), "pts", 1))
    if (m("f", "market_share_value") != "")
        kpi("share-value", t("share_val"), share(m("f", "market_share_value")), t("share_val_sub"),
            delta(m("f", "market_share_value"), m("p", "market_share_value"), "pts", 1))
    print "</div>\n</section>"

    # ---- Pareto
    printf "<section id=\"pareto\">\n<h2>%s</h2>\n", t("pareto_h")
    figure("pareto", t("pareto_cap"))
    figure("lorenz", t("lorenz_cap"))
    notes("pareto")
    if (!noted("pareto")) {
    printf "<h3>%s</h3>\n<table id=\"top-clients\">\n", sprintf(t("top_h"), ROWS["par"])
    print th(t("rank") "|" t("client") "|" t("revenue") "|" t("share") "|" t("cum") "|" t("class") (has("par", "previous_class") ? "|" t("prev_class") : ""), "nlnnnnn")
    for (r = 1; r <= ROWS["par"]; r++) {
        printf "<tr><td class=\"n\">%s</td><td class=\"id\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
            esc(get("par", r, "rank")), esc(short(C["par", r, 1], NAME_MAX)), num(get("par", r, "revenue"), 2), pct(get("par", r, "share"), 1),
            pct(get("par", r, "cum_share"), 1), cls(get("par", r, "class"))
        if (has("par", "previous_class")) printf "<td class=\"n\">%s</td>", cls(get("par", r, "previous_class"))
        print "</tr>"
    }
    print "</table>"
    }
    print "</section>"

    # ---- A/B/C
    printf "<section id=\"abc\">\n<h2>%s</h2>\n", t("abc_h")
    if (!noted("pareto")) {
    printf "<table id=\"abc-table\">\n"
    print th(t("class") "|" t("clients") "|" t("clients_share") "|" t("revenue_share"))
    for (c = 1; c <= 26; c++) {
        cl = substr("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c, 1)
        if (m("s", "class_" cl "_clients") == "") break
        classes[++nclass] = cl
        printf "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n", cl,
            num(m("s", "class_" cl "_clients"), 0), pct(m("s", "class_" cl "_clients_share"), 1), pct(m("s", "class_" cl "_value_share"), 1)
    }
    print "</table>"
    printf "<p class=\"note\">%s</p>\n", t("abc_note")
    } else printf "<p class=\"note nc\" id=\"nc-abc\">%s</p>\n", t("nc_abc")
    figure("abc", t("abc_cap"))
    if (prevname != "" && m("s", "migrate_A_A") != "") {
        printf "<h3>%s</h3>\n<table id=\"migrations\">\n", sprintf(t("mig_h"), plabel(prevname))
        row_keys = ""; for (i = 1; i <= nclass; i++) row_keys = row_keys classes[i] "|"; row_keys = row_keys "-|new"
        col_keys = ""; for (i = 1; i <= nclass; i++) col_keys = col_keys classes[i] "|"; col_keys = col_keys "-|lost"
        nr = split(row_keys, rk, "|"); nc = split(col_keys, ck, "|")
        hdr = t("from_to"); for (j = 1; j <= nc; j++) hdr = hdr "|" (ck[j] == "lost" ? t("lost") : cls(ck[j]))
        print th(hdr)
        for (i = 1; i <= nr; i++) {
            printf "<tr><th>%s</th>", rk[i] == "new" ? t("new") : cls(rk[i])
            for (j = 1; j <= nc; j++) {
                if (rk[i] == "new" && ck[j] == "lost") { printf "<td class=\"n\"></td>"; continue }
                key = rk[i] == "new" ? "migrate_new_" ck[j] : ck[j] == "lost" ? "migrate_" rk[i] "_lost" : "migrate_" rk[i] "_" ck[j]
                printf "<td class=\"n%s\" id=\"%s\">%s</td>", rk[i] == ck[j] ? " diag" : "", key, m("s", key) == "" ? "" : num(m("s", key), 0)
            }
            print "</tr>"
        }
        print "</table>"
        printf "<p class=\"note\">%s</p>\n", sprintf(t("mig_note"), plabel(prevname))
        figure("migration", t("mig_cap"))
        # the class A clients of last period who are now below A
        n = 0
        if (frec("pareto.csv")) {
            for (i = 1; i <= NF_; i++) hh[F[i]] = i
            while (frec("pareto.csv") && n < 15)
                if (F[hh["previous_class"]] == "A" && F[hh["class"]] != "A") { n++; down[n] = esc(short(F[1], NAME_MAX)) " → " cls(F[hh["class"]]) }
            close("pareto.csv")
        }
        if (n > 0) {
            printf "<h3>%s</h3>\n<p id=\"dropped\">", t("down_h")
            for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? ", " : ""), down[i]
            print "</p>"
        }
    } else if (!noted("pareto")) printf "<p class=\"note\">%s</p>\n", t("no_prev")
    print "</section>"

    # ---- RFM
    printf "<section id=\"rfm\">\n<h2>%s</h2>\n", t("rfm_h")
    printf "<p class=\"note\">%s</p>\n", sprintf(t("rfm_note"), num(m("f", "history_clients"), 0), fdate(to), fdate(asof))
    printf "<table id=\"rfm-table\">\n%s\n", th(t("segment") "|" t("clients") "|" t("clients_share") "|" t("revenue") "|" t("revenue_share") "|" t("recency") "|" t("orders"))
    for (r = 1; r <= ROWS["rfm"]; r++)
        printf "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
            segname(get("rfm", r, "segment")), num(get("rfm", r, "clients"), 0), pct(get("rfm", r, "clients_share"), 1),
            num(get("rfm", r, "revenue"), 2), pct(get("rfm", r, "revenue_share"), 1),
            num(get("rfm", r, "recency_days_mean"), 0), num(get("rfm", r, "orders_mean"), 1)
    print "</table>"
    figure("rfm", t("rfm_cap"))
    print "</section>"

    # ---- lifetime value and churn (cl-clv)
    if (exists("at-risk.csv") || noted("clv")) {
        printf "<section id=\"clv\">\n<h2>%s</h2>\n", t("clv_h")
        notes("clv")
        if (exists("at-risk.csv") && ROWS["risk"] == 0) printf "<p class=\"note\">%s</p>\n", t("nc_noa")
        if (ROWS["risk"] > 0) {
            printf "<p class=\"note\">%s</p>\n", sprintf(t("clv_note"), num(m("f", "history_clients"), 0), fdate(to),
                num(m("cs", "a_below_half"), 0), num(m("cs", "a_clients"), 0), num(ROWS["risk"], 0))
            printf "<table id=\"at-risk\">\n%s\n", th(t("client") "|" t("period_revenue") "|" t("p_alive") "|" t("exp_purchases") "|" t("exp_value"))
            for (r = 1; r <= ROWS["risk"]; r++)
                printf "<tr><td class=\"id\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    esc(C["risk", r, 1]), num(get("risk", r, "revenue"), 2), pct(get("risk", r, "p_alive"), 1),
                    num(get("risk", r, "expected_purchases"), 1), num(get("risk", r, "clv"), 2)
            print "</table>"
        }
        print "</section>"
    }

    # ---- personas
    printf "<section id=\"personas\">\n<h2>%s</h2>\n", t("personas_h")
    notes("personas")
    if (ROWS["pro"] > 0) {
    if (features == "recency_days,orders,revenue")
        printf "<p class=\"note\">%s</p>\n", sprintf(t("personas_note"), num(ROWS["pro"], 0))
    else {
        nf = split(features, fl, ","); words = ""
        for (i = 1; i <= nf; i++)
            words = words (i > 1 ? (i == nf ? (lang == "fr" ? " et " : " and ") : ", ") : "") \
                    tolower(fl[i] == "recency_days" ? t("recency") : fl[i] == "orders" ? t("orders") : t("revenue"))
        printf "<p class=\"note\">%s</p>\n", sprintf(t("personas_note_some"), num(ROWS["pro"], 0), words)
    }
    printf "<table id=\"personas-table\">\n%s\n", th(t("persona") "|" t("size") "|" t("clients_share") "|" t("revenue_share") "|" t("mean_recency") "|" t("mean_orders") "|" t("mean_revenue"))
    for (r = 1; r <= ROWS["pro"]; r++)
        printf "<tr><td>%s. %s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
            esc(get("pro", r, "cluster")), esc(get("pro", r, "label")), num(get("pro", r, "size"), 0), pct(get("pro", r, "share"), 1),
            pct(get("pro", r, "revenue_share"), 1), num(get("pro", r, "recency_days_mean"), 0), num(get("pro", r, "orders_mean"), 1),
            num(get("pro", r, "revenue_mean"), 2)
    print "</table>"
    }
    figure("personas", t("personas_cap"))
    figure("clusters", t("clusters_cap"))
    print "</section>"

    # ---- cohorts (when the cohorts step made them)
    if (exists("cohort-retention.csv")) cohort_section()

    # ---- market
    if (ROWS["sh"] > 0) {
        printf "<section id=\"market\">\n<h2>%s</h2>\n", t("market_h")
        if (segment != "") printf "<p class=\"note\">%s</p>\n", sprintf(t("market_note"), esc(market), esc(segment))
        else printf "<p class=\"note\">%s</p>\n", sprintf(t("market_note2"), esc(market))
        hdr = t("segment") "|" t("clients") "|" t("effective") "|" t("share_e") "|" t("potential") "|" t("share_p")
        value = has("sh", "share_value")
        if (value) hdr = hdr "|" t("our_revenue") "|" t("market_revenue") "|" t("share_v")
        printf "<table id=\"share-table\" class=\"wide\">\n%s\n", th(hdr)
        for (r = 1; r <= ROWS["sh"]; r++) {
            seg = get("sh", r, "segment")
            printf "<tr%s><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                seg == "TOTAL" ? " class=\"total\"" : "", seg == "TOTAL" ? t("total") : esc(short(seg, NAME_MAX)),
                num(get("sh", r, "clients"), 0), num(get("sh", r, "effective"), 0), share(get("sh", r, "share_effective")),
                num(get("sh", r, "potential"), 0), share(get("sh", r, "share_potential"))
            if (value) printf "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                num(get("sh", r, "revenue"), 2), num(get("sh", r, "market_revenue"), 2), share(get("sh", r, "share_value"))
            print "</tr>"
        }
        print "</table>"
        while ((getline line < "negative-segments.txt") > 0) {
            split(line, p, "\t")
            printf "<p class=\"note\">%s</p>\n", sprintf(t("negative"), esc(short(p[1], NAME_MAX)), num(p[2], 2))
        }
        figure("share", t("share_cap"))
        print "</section>"
    }

    # ---- prescribers (only when the sales have a prescriber column)
    if (prescribed != "") prescribers_section()

    # ---- data quality
    printf "<section id=\"quality\" class=\"quality\">\n<h2>%s</h2>\n<ul>\n", t("quality_h")
    printf "<li>" t("q_file") "</li>\n", esc(sales), num(m("sa", "lines_read"), 0), num(m("sa", "lines_used"), 0),
        fdate(m("sa", "first_date")), fdate(m("sa", "last_date"))
    printf "<li id=\"q-period\">" t("q_period") "</li>\n", num(m("st", "lines_used"), 0), num(m("st", "lines_out_of_period"), 0), num(m("st", "lines_rejected"), 0)
    if (m("st", "lines_rejected") + 0 > 0) {
        printf "<li>%s<ul>", t("q_reasons")
        for (i = 1; i in RK; i++)
            if (m("st", "rejected_" RK[i]) + 0 > 0) printf "<li>%s%s %s</li>", RN[i], t(":"), num(m("st", "rejected_" RK[i]), 0)
        print "</ul></li>"
    }
    if (m("s", "nonpositive") + 0 > 0) printf "<li>" t("q_nonpos") "</li>\n", num(m("s", "nonpositive"), 0)
    nw = 0
    while ((getline line < "warnings.txt") > 0) if (line != "") warn[++nw] = line
    if (nw > 0) {
        printf "<li>%s<ul class=\"warn\" id=\"warnings\">\n", t("q_warn")
        for (i = 1; i <= nw; i++) printf "<li>%s</li>\n", esc(short(warn[i], 400))
        print "</ul></li>"
    } else printf "<li>%s</li>\n", t("q_nowarn")
    print "</ul>\n</section>"

    # ---- method and files
    printf "<section id=\"method\">\n<h2>%s</h2>\n", t("method_h")
    figure("select", t("select_cap"))
    printf "<p>%s</p>\n<ul class=\"files\">\n", t("files")
    while ((getline line < ".files") > 0) printf "<li><a href=\"%s\">%s</a></li>\n", esc(line), esc(line)
    print "</ul>\n</section>"
    printf "<footer>%s cl-report (clientele) %s</footer>\n</body>\n</html>\n", t("made_by"), version
}
EOF
)

prevname=""
[ -n "$previous" ] && prevname=$(metric "$previous/figures.csv" period)
market_name=""
[ -n "$market" ] && market_name=$(basename "$market")
sales_name=$(basename "$sales")
[ "$sales_name" = sales-input.csv ] && sales_name="(standard input)"
{ ls -1 | grep -v '^index\.html$'; echo index.html; } | grep -v '^\.' > .files
awk -v lang="$lang" -v period="$name" -v from="$from" -v to="$to" -v asof="$asof" \
    -v prescribed="${prescribed:-}" \
    -v prevname="$prevname" -v prevdir="$previous" -v sales="$sales_name" -v market="$market_name" \
    -v segment="$segment" -v version="$version" -v features="$features" "$CSV_AWK
$PAGE_AWK" > index.html || die "writing the page failed; $final left as it was"
rm -f .files
[ "$sales_name" = "(standard input)" ] && rm -f sales-input.csv

# ---- for spreadsheets ----------------------------------------------------------

# The CSVs linked from the page are opened in spreadsheets: a text cell that
# starts with = + - @ (or a tab or CR), other than a number or a lone - or +
# (the class of clients at 0 or less), is written quoted behind an
# apostrophe, as the programs' --excel does (lib/csvio.c),
# here in the folder's comma dialect, so that no cell runs as a formula.
# The page was written from the files as the programs made them. The market
# table is the user's own file, copied as it is (any delimiter).
for f in *.csv; do
    [ "$f" = market.csv ] && continue
    awk -v apos="'" "$CSV_AWK"'
        { csvrecord(); row = ""
          for (i = 1; i <= NF_; i++) {
              x = F[i]
              if (x ~ /^[-+=@\t\r]/ && x != "-" && x != "+" &&
                  x !~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/) {
                  gsub(/"/, "\"\"", x); x = "\"" apos x "\""
              } else x = csvquote(x)
              row = row (i > 1 ? "," : "") x
          }
          print row }' "$f" > "$f.neutral" && mv "$f.neutral" "$f" \
        || die "$f: cannot write the spreadsheet-safe copy; $final left as it was"
done

# ---- into place -------------------------------------------------------------------

# Three renames and a removal; whatever stops us between two of them, the
# trap or the next run (see the contract at the top) ends with one whole
# report in $final.
if [ -e "$final" ]; then
    old="$out/.cl-report-old-$$.$name"   # set first: the trap checks that it exists
    mv "$final" "$old" || { old=""; die "cannot move the old report $final aside"; }
fi
if ! mv "$work" "$final"; then
    die "cannot rename $work to $final; the old report is back"
fi
work=""
if [ -n "$old" ]; then
    rm -rf "$old"
    old=""
fi

if [ $quiet = 0 ]; then
    nwarn=$(grep -c . "$final/warnings.txt" || true)
    printf '%s: %s: %s clients, revenue %s, report in %s/index.html (%s warnings)\n' "$prog" "$name" \
        "$(metric "$final/figures.csv" clients)" "$(metric "$final/figures.csv" revenue)" "$final" "$nwarn"
fi
exit 0
