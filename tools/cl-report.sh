#!/bin/sh
# cl-report: the monthly customer report, for cron.
#
# A recipe made of the clientele programs themselves: cl-rollup rolls the
# sales up per customer, cl-pareto ranks them (A/B/C, Lorenz, Gini),
# cl-score --rfm segments them, cl-kmeans finds the personas, cl-share
# places the company in its market, cl-plot draws every chart, and cl-page
# writes the page from the folder's CSVs (its --calendar, --label, --derive
# and --copy do the recipe's dates, subtitles, small tables and the cells
# made safe for spreadsheets). Copy it and adapt it: every step is one command.
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
version=@VERSION@     # the file VERSION, put here by the Makefile

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
      --month YYYY-MM    one calendar month; the folder is DIR/YYYY-MM
      --from DATE        first day included (YYYY-MM-DD); alone, up to the
                         last sale in the data
      --to DATE          last day included; the folder is DIR/FROM_TO

Report:
  -o, --output DIR       where the period's folder is written (required)
      --market FILE      a market table, one row per segment (see cl-share)
      --segment COL      the sales column holding the market's segments: our
                         clients and revenue per segment are counted from the
                         sales (default: the market table's clients column)
      --previous DIR     the previous period's report folder, or 'auto' (the
                         latest report in DIR before this period): changes in
                         the key figures and A/B/C migrations
      --lang LANG        en or fr: words, dates and numbers, for every program
                         of the report that writes words (default:
                         $CLIENTELE_LANG, else en)
      --asof DATE        measure recency from DATE, as cl-rollup does (default:
                         the day after the period, or after its last sale)
      --excel            also the folder's CSVs for a spreadsheet, in excel/
                         (';', decimal comma, BOM, CRLF, as the programs' --excel)
      --k N|A..B         number of personas, or a range to choose from
                         (default 2..6)
      --wait SECONDS     wait that long for another run on DIR to finish
                         (default 300; 0: stop at once)
      --quiet            print nothing when all went well (for cron)
  -v, --verbose          say on stderr how the sales were read (cl-rollup
                         --verbose), the columns taken, the period chosen,
                         and each step as it starts

Sales columns and input (passed to cl-rollup; default: found by name):
  -c, --customer COL     customer id
      --order COL        order or invoice id
      --date COL         date of the line
      --amount COL       line amount, or:
      --quantity COL     quantity, with
      --price COL        unit price
      --cost COL         unit cost (adds the margin)
      --margin COL       line margin
      --prescriber COL   who prescribed the sale (default: found by name); with
                         a prescriber column the page has a prescribers section
  -d, --delimiter C      , ; tab or | (default: sniffed)
      --decimal-comma    numbers use a decimal comma
      --decimal-point    numbers use a decimal point
      --date-format FMT  dates as FMT, e.g. %d/%m/%Y
      --encoding NAME    the file's encoding (default: UTF-16 BOM, UTF-8 when
                         valid, else WINDOWS-1252)
      --credit-prefix P  order ids starting with P are credit notes
      --where COL=VALUE  keep only these lines (COL=A|B, COL!=VALUE; repeatable)
      --strict           an unusable line is an error, not a rejected line
      --rejects FILE     write the file's unusable lines there, with a reason

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
    # the steps still running beside (spawn, below): stopped (each removes
    # its temporary) before the work folder goes, so nothing writes there after
    for c_job in ${running:-}; do
        eval "kill \"\$pid_$c_job\"" 2>/dev/null
    done
    for c_job in ${running:-}; do
        eval "wait \"\$pid_$c_job\"" 2>/dev/null
    done
    running=""
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
    quoted "$1"
    printf '%s' "$q"
}
# quoted WORD: that word in q, by the shell itself (the workbook's two dozen
# arguments were a tenth of a second of forks before it could start); as
# the sed it replaces was given it, less its trailing newlines
quoted() {
    q_rest=$1 q=""
    while :; do
        case $q_rest in
            *"
") q_rest=${q_rest%?} ;;
            *) break ;;
        esac
    done
    while :; do
        case $q_rest in
            *"'"*) q="$q${q_rest%%"'"*}'\\''"; q_rest=${q_rest#*"'"} ;;
            *) break ;;
        esac
    done
    q="'$q$q_rest'"
}

# ---- dates: cl-page's calendar (proleptic Gregorian, no date(1)) -------------

datefn() {      # datefn OP ARG: valid, next-day, month-end or month-before of ARG
    cl-page --lang "$lang" --calendar "$1" "$2" 2> /dev/null
}
# date_of OP ARG: datefn's answer in d, a date asked once (the period is
# chosen twice, from the guess and from the whole file, between the pass
# and the analyses: four cl-page runs the second time)
date_memo="|"
date_of() {
    case $2 in
        ''|*[!0-9-]*) d=$(datefn "$1" "$2"); return 0 ;;
    esac
    case $date_memo in
        *"|$1 $2="*) d=${date_memo#*"|$1 $2="}; d=${d%%"|"*}; return 0 ;;
    esac
    d=$(datefn "$1" "$2")
    case $d in *"|"*) return 0 ;; esac
    date_memo="$date_memo$1 $2=$d|"
}

# ---- options ----------------------------------------------------------------

month="" from="" to="" market="" segment="" previous="" quiet=0 verbose=0 rejects=""
asof_opt="" excel=0
lang=${CLIENTELE_LANG:-en}     # the suite's default language (docs/options.md)
lang_from=CLIENTELE_LANG
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
        --month|--from|--to|--market|--segment|--previous|--lang|--k|--wait|--asof|\
        -o|--output|-c|--customer|--order|--date|--amount|--quantity|--price|\
        --cost|--margin|-d|--delimiter|--date-format|--encoding|--credit-prefix|--where|\
        --prescriber|--rejects)
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
        --lang) lang=$val; lang_from=--lang ;;
        --k) k_range=$val ;;
        --wait) wait_seconds=$val ;;
        --rejects) rejects=$val ;;
        --asof) asof_opt=$val ;;
        --excel) excel=1 ;;
        --quiet) [ $verbose = 1 ] && usage_error "--quiet and --verbose: give one"; quiet=1 ;;
        -v|--verbose) [ $quiet = 1 ] && usage_error "--quiet and --verbose: give one"; verbose=1 ;;
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
case $lang in en|fr) ;; *) usage_error "$lang_from: '$lang' is not en or fr" ;; esac
case $wait_seconds in
    ''|*[!0-9]*) usage_error "--wait: '$wait_seconds' is not a number of seconds" ;;
esac
case $k_range in
    [0-9]*) case $k_range in *[!0-9.]*) usage_error "--k: '$k_range' is not N or A..B" ;; esac ;;
    *) usage_error "--k: '$k_range' is not N or A..B" ;;
esac
if [ -n "$month" ]; then
    { [ -n "$from" ] || [ -n "$to" ]; } && usage_error "--month and --from/--to exclude each other"
    datefn valid "$month-01" > /dev/null || usage_error "--month: '$month' is not YYYY-MM"
fi
if [ -n "$from" ] || [ -n "$to" ]; then
    [ -n "$from" ] || usage_error "--to needs --from (--from alone runs to the last sale)"
    datefn valid "$from" > /dev/null || usage_error "--from: '$from' is not a date YYYY-MM-DD"
    if [ -n "$to" ]; then
        datefn valid "$to" > /dev/null || usage_error "--to: '$to' is not a date YYYY-MM-DD"
        [ "$from" \< "$to" ] || [ "$from" = "$to" ] || usage_error "--from $from is after --to $to"
    fi
fi
[ -n "$segment" ] && [ -z "$market" ] && usage_error "--segment needs --market"
if [ -n "$asof_opt" ]; then
    datefn valid "$asof_opt" > /dev/null ||
        usage_error "--asof: '$asof_opt' is not a date YYYY-MM-DD"
fi
# every program of the report that writes words is given --lang; the
# environment says it too, to any program called without it
CLIENTELE_LANG=$lang
export CLIENTELE_LANG

say() { [ $quiet = 1 ] || printf '%s\n' "$*"; }
# --verbose: what was found, on stderr
verbose() { [ $verbose = 1 ] && printf '%s: %s\n' "$prog" "$*" >&2; return 0; }

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
[ -n "$rejects" ] && rejects=$(abspath "$rejects")
if [ -n "$previous" ] && [ "$previous" != auto ]; then
    [ -f "$previous/figures.csv" ] || die "$previous: not a cl-report folder (no figures.csv)"
    previous=$(cd "$previous" && pwd)
fi

# (a file, a device or a FIFO there: mkdir -p would only say "File exists")
if [ -e "$output" ] && [ ! -d "$output" ]; then
    die "$output: not a folder: -o names the folder the reports are written in"
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
        printf '%s: %s is locked by pid %s; waiting up to %s s\n' \
            "$prog" "$out" "${owner_pid:-?}" "$wait_seconds" >&2
    if ! flock -w "$wait_seconds" 9; then
        owner_pid=$(cat "$lockfile" 2>/dev/null)
        die "$lockfile: another cl-report (pid ${owner_pid:-?}) is writing to $out;" \
            "gave up after $wait_seconds s"
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

# Steps run beside each other, on the machine's cores: spawn NAME COMMAND...
# starts COMMAND in the background (its standard error in NAME.err, NAME a
# shell name), at most max_jobs at once (when they all run, the first of
# them to end is waited for: the workbook must not hold the copies back);
# join NAME WHAT KEEP waits for it and does what step does (its error, and
# stop, on failure; KEEP=1 keeps its warnings). The
# recipe joins its steps in its own order, so that what goes into
# warnings.txt and notes.txt, and the first failure said, do not depend on
# which step ends first; a failure stops the others (the cleanup).
max_jobs=$(nproc 2>/dev/null) || max_jobs=2
case $max_jobs in ''|*[!0-9]*|0|1) max_jobs=2 ;; esac
running="" njobs=0 spawned=0
# The first to end is known the moment it ends: each step, once its command
# has ended, writes its name and number to a FIFO that the recipe holds open
# on descriptor 8 (read and write: never an end of file, and no writer
# blocks), and first_done reads a line there. The FIFO's name, in the work
# folder, is removed once opened. Where no FIFO can be made, the steps' states
# are read every 50 ms instead (/proc), as before.
steps_fifo=0
if mkfifo .steps-done 2>/dev/null; then
    { command exec 8<> .steps-done; } 2>/dev/null && steps_fifo=1
    rm -f .steps-done
fi
reap() {        # reap NAME: wait for NAME; its exit status in rc_NAME
    eval "wait \"\$pid_$1\""
    eval "rc_$1=$?"
    r_left=""
    for r_job in $running; do
        [ "$r_job" = "$1" ] || r_left="$r_left $r_job"
    done
    running=$r_left
    eval "[ \"\$extra_$1\" = 1 ]" || njobs=$((njobs - 1))
}
first_done() {  # f_job: a step that has ended (waited for at once), else the oldest
    # a line for a step already joined in the recipe's order is passed over
    while [ $steps_fifo = 1 ] && read -r f_job f_seq <&8; do
        case " $running " in
            *" $f_job "*) eval "[ \"\$seq_$f_job\" = \"\$f_seq\" ]" && return 0 ;;
        esac
    done
    # (a read cut by a signal: the trap, at once; without the FIFO, the poll)
    while :; do
        for f_job in $running; do
            eval "f_pid=\$pid_$f_job"
            # an ended child stays a zombie until waited for (Linux's /proc);
            # read by the shell itself: this loop runs every 50 ms, and a
            # process forked for it costs the steps a core's time
            f_state=
            if read -r f_line 2>/dev/null < "/proc/$f_pid/stat"; then
                f_state=${f_line##*) }
                f_state=${f_state%% *}
            fi
            case $f_state in
                Z|X) return 0 ;;
                '') # gone, or no /proc: waited for (the oldest without /proc)
                    [ -d /proc/self ] || { set -- $running; f_job=$1; }
                    return 0 ;;
            esac
        done
        sleep 0.05 2>/dev/null || sleep 1
    done
}
spawn() {       # spawn NAME COMMAND...
    s_name=$1
    shift
    # (spawn_now=1: started at once and not counted in max_jobs, for the
    # workbook: the step the page waits for, which once its tables are
    # written waits for the charts' list without a core's work)
    while [ "${spawn_now:-0}" = 0 ] && [ $njobs -ge "$max_jobs" ]; do
        first_done
        reap "$f_job"
    done
    spawned=$((spawned + 1))
    verbose "step $spawned: $s_name ($1)"
    if [ $steps_fifo = 1 ]; then
        # the command in a subshell that waits for it and then says so;
        # stopped (the cleanup's SIGTERM), it stops the command and waits
        # for it (which removes its temporary), so that nothing is left
        ( s_pid="" s_stop=""
          trap 's_stop=1; [ -z "$s_pid" ] || kill "$s_pid" 2>/dev/null' HUP TERM
          "$@" 8>&- &
          s_pid=$!
          [ -z "$s_stop" ] || kill "$s_pid" 2>/dev/null
          wait "$s_pid"
          s_rc=$?
          # (a wait cut by the signal: the command's own end waited for)
          [ -z "$s_stop" ] || { wait "$s_pid"; exit 143; }
          echo "$s_name $spawned" >&8
          exit $s_rc ) 2> "$s_name.err" &
    else
        ( exec "$@" ) 2> "$s_name.err" &
    fi
    eval "pid_$s_name=$! rc_$s_name= seq_$s_name=$spawned extra_$s_name=${spawn_now:-0}"
    running="$running $s_name"
    [ "${spawn_now:-0}" = 1 ] || njobs=$((njobs + 1))
}
joined() {      # joined NAME: wait for NAME if still running; its exit status
    eval "j_rc=\${rc_$1-}"
    if [ -z "$j_rc" ]; then
        reap "$1"
        eval "j_rc=\$rc_$1"
    fi
    return "$j_rc"
}
join() {        # join NAME WHAT KEEP
    if joined "$1"; then
        [ "$3" = 1 ] && cat "$1.err" >> warnings.txt
        rm -f "$1.err"
        return 0
    fi
    cat "$1.err" >&2
    die "$2 failed (exit $j_rc); ${final:-the report} left as it was"
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
    die "$sales changed while the report read it (${before} bytes at the start," \
        "${after:-no file} now): run again once it is complete; ${final:-the report} left as it was"
}

# ---- the period -------------------------------------------------------------

# The period is chosen from the whole file's first and last sale, which
# stats-all.csv holds (a file of the report: the data quality box). They
# and the period's roll-ups come from one read of the sales (cl-rollup
# --also summary=stats-all.csv, the bytes of cl-rollup --summary) when the
# period can be known before it: guessed from the file's first and last 4
# MiB (the whole file when it is smaller), then checked on the whole
# file's dates once read; a wrong guess reads the sales again with the
# right period, as does any failure of the one read, so that every message
# and exit is the two reads' (docs/report.md). --verbose (the first read's
# own lines) and --rejects FILE (the whole file's unusable lines) read the
# sales twice, as before: the whole file's counts first.
v_opt=""
[ $verbose = 1 ] && v_opt=--verbose
metric() {      # metric FILE NAME: the value of a metric,value row
    # (awk -F, -v m=NAME '$1 == m { print $2; exit }' FILE, by the shell: the
    # files are a few hundred bytes, and the key figures ask for twenty)
    metric_v "$1" "$2" && printf '%s\n' "$m_value"
}
metric_v() {    # metric_v FILE NAME: that value in m_value (none: empty, and 1)
    # (without the subshell of $(metric ...): the key figures are made while
    # a core waits for the workbook, twenty forks were a fifth of a second)
    m_value=""
    while IFS= read -r m_line || [ -n "$m_line" ]; do
        case $m_line in
            "$2",*) m_line=${m_line#*,}; m_value=${m_line%%,*}; return 0 ;;
            "$2") return 0 ;;
        esac
    done < "$1"
    return 1
}
# (only the whole file's counts, dates and columns: cl-rollup --summary
# writes no roll-up, which on millions of clients would be formatted for
# nothing)
# (the whole file's unusable lines, with --rejects, as cl-rollup's hint says)
# (--verbose: how cl-rollup read them, its own lines, said on stderr)
read_whole() {
    eval "step 'reading the sales' 0 cl-rollup $rollup_opts $v_opt \
        ${rejects:+--rejects $(quote "$rejects")} \
        --summary -o stats-all.csv $(quote "$sales")"
    cp step.err read-sales.err
    [ $verbose = 1 ] && cat read-sales.err >&2
    sales_check
}
# dates far outside the others (placeholders, typos) go on the page, with their lines
keep_outlying() {
    grep -F ' is far outside the other dates ' read-sales.err >> warnings.txt
}

# no_period MESSAGE: the period cannot be chosen; said and fatal, except
# for a guess (guessing=1), which is then given up
guessing=0
no_period() {
    [ $guessing = 1 ] && return 1
    die "$@"
}
user_from=$from user_to=$to
# choose_period STATS ERR: the period from the whole file's counts (STATS)
# and what cl-rollup said of its dates (ERR): from, to, name, asof,
# partial_to, final, data_first and data_last
choose_period() {
    from=$user_from to=$user_to
    data_first=$(metric "$1" first_date)
    data_last=$(metric "$1" last_date)
    if [ -n "$month" ]; then
        from="$month-01"; date_of month-end "$month"; to=$d; name=$month
    elif [ -n "$from" ]; then
        # --from alone: up to the last sale in the data
        if [ -z "$to" ]; then
            to=$data_last
            if [ "$to" \< "$from" ]; then
                no_period "--from $from is after the last sale ($data_last)" || return 1
            fi
        fi
        name="${from}_$to"
        case $from in
            *-01) date_of month-end "$from"
                  [ "$d" = "$to" ] &&
                      name=$(printf '%s' "$from" | cut -c1-7) ;;
        esac
    else
        # (cut -c1-7, by the shell)
        last_month=$data_last
        [ ${#data_last} -gt 7 ] && last_month=${data_last%"${data_last#???????}"}
        date_of month-end "$last_month"
        if [ "$d" = "$data_last" ]; then
            name=$last_month
        else
            date_of month-before "$last_month"
            name=$d
        fi
        # a last sale dated far after the others (9999-12-31, 2101 for 2011)
        # would choose the period: cl-rollup named its line, and so do we
        # (cut -c1-4 | sed 's/^0*//', by the shell)
        last_year=$data_last
        [ ${#data_last} -gt 4 ] && last_year=${data_last%"${data_last#????}"}
        while case $last_year in 0*) true ;; *) false ;; esac; do
            last_year=${last_year#0}
        done
        outlier=$(grep -F " line" "$2" | grep -F " in $last_year; a placeholder" | head -1)
        if [ -n "$outlier" ]; then
            where=$(printf '%s' "$outlier" | sed 's/^cl-rollup: \(.*\): date .*/\1/')
            bulk=$(printf '%s' "$outlier" |
                sed 's/.*(half the lines are dated \([0-9]* to [0-9]*\)).*/\1/')
            no_period "$where: the last sale, $data_last, is dated far after the others" \
                "(half of them $bulk): the period would be chosen from it; correct the" \
                "date, or give --month, or --from and --to" || return 1
        fi
        from="$name-01"; date_of month-end "$name"; to=$d
        if [ "$to" \< "$data_first" ]; then
            no_period "no complete month in the data (sales from $data_first to" \
                "$data_last): give --month or --from and --to" || return 1
        fi
    fi
    date_of next-day "$to"; asof=$d
    if ! { [ -n "$from" ] && [ -n "$to" ] && [ -n "$asof" ]; }; then
        no_period "no period from the dates $data_first to $data_last" || return 1
    fi
    final="$out/$name"
    # A period the data do not cover to its end (sales up to 9 December, asked
    # for December) is partial: it is reported, not refused, and the page says
    # which days it covers; recency counts from the day after the last sale, and
    # the changes compare the same days of the month before (below).
    partial_to=""
    if [ "$data_last" \< "$to" ] && ! [ "$data_last" \< "$from" ]; then
        partial_to=$data_last
        date_of next-day "$data_last"; asof=$d
    fi
    # --asof: recency from that day, in every roll-up (cl-rollup refuses a day
    # before the last sale it keeps, as it does alone)
    [ -n "$asof_opt" ] && asof=$asof_opt
    return 0
}

# One pass over the sales (cl-rollup --also): the period, one row per
# customer, with its counts and rejected lines; the history up to the
# period's end, the basis of RFM and personas; and for a partial month the
# counts of the same days of the month before (1 to 9 November for 1 to 9
# December), when the data go back so far, for like-with-like changes.
# Recency counts from the day after the period (--asof) in each.
# plan_rollup: that pass's command (rollup_cmd), from the period chosen
plan_rollup() {
    same_from="" same_to="" same_opt=""
    if [ -n "$partial_to" ] && [ ${#name} = 7 ] && [ "$from" = "$name-01" ]; then
        date_of month-before "$name"; prev_month=$d
        same_from="$prev_month-01"
        same_to="$prev_month-$(printf '%s' "$partial_to" | cut -c9-10)"
        date_of month-end "$prev_month"; prev_end=$d
        [ "$same_to" \> "$prev_end" ] && same_to=$prev_end
        if [ "$same_from" \< "$data_first" ]; then
            same_from="" same_to=""
        else
            same_opt="--also-stats $same_from..$same_to=same-days-stats.csv"
        fi
    fi
    # A period that starts on or before the first sale (two years asked of two
    # years of data) holds every line of the history: the two tables are the
    # same bytes, and the history is copied rather than rolled up again.
    history_opt="--also ..$to=history.csv"
    [ "$from" \> "$data_first" ] || history_opt=""
    rollup_cmd="cl-rollup $rollup_opts --from $from --to $to --asof $asof \
        --stats stats.csv --rejects rejects.csv -o rollup.csv $history_opt $same_opt"
}

# The cohorts (when cl-cohort is installed): every line up to the period's
# end, read in the roll-up's pass (cl-rollup --also cohorts, the bytes of
# cl-cohort --until given the same columns). With --cost or --margin, which
# cl-cohort is not given (it may find another cost column by its name, and
# reject other lines), and when cl-rollup cannot make the table (no client
# who bought), cl-cohort reads the sales by itself, beside the roll-up, and
# says why as before; its result is taken in the cohorts section, below.
have_cohort=0 cohort_failed="" cohort_opt="" cohort_alone=0 cohort_spawned=0
spawn_cohort() {
    # cl-rollup's column and input options, less those cl-cohort has no use for
    cohort_opts=$(eval "set -- $rollup_opts"
        while [ $# -gt 0 ]; do
            case $1 in
                --cost|--margin) shift 2 ;;
                --decimal-comma|--decimal-point|--strict) printf ' %s' "$1"; shift ;;
                *) printf ' %s %s' "$1" "$(quote "$2")"; shift 2 ;;
            esac
        done)
    eval "spawn cohort cl-cohort $cohort_opts --until $to -o cohorts.csv $(quote "$sales")"
    cohort_spawned=1
}
if command -v cl-cohort >/dev/null 2>&1; then
    have_cohort=1
    case " $rollup_opts " in
        *" --cost "*|*" --margin "*) cohort_alone=1 ;;
        *) cohort_opt="--also cohorts=cohorts.csv" ;;
    esac
fi
# cl-cohort by itself (--cost, --margin), once the period's end is known
spawn_cohort_alone() {
    [ $cohort_alone = 1 ] && [ $cohort_spawned = 0 ] && spawn_cohort
    return 0
}

# run_pass [OPTION]: the roll-up's pass, with OPTION (--also summary=...),
# its standard error in step.err and its exit status in pass_rc
run_pass() {
    eval "$rollup_cmd $cohort_opt ${1-} $(quote "$sales")" 2> step.err
    pass_rc=$?
}
# take_pass: the pass's end as the recipe takes it: its messages into
# warnings.txt (the cohorts' into cohort.err, in cl-cohort's words); on
# failure, cl-cohort alone when only the cohorts failed, else stop
take_pass() {
    if [ -z "$cohort_opt" ]; then
        if [ $pass_rc = 0 ]; then
            cat step.err >> warnings.txt
        else
            cat step.err >&2
            die "the roll-up failed (exit $pass_rc); ${final:-the report} left as it was"
        fi
        return 0
    fi
    cohort_said="cl-rollup: --also cohorts: "   # how cl-rollup starts what is the cohorts'
    if [ $pass_rc = 0 ]; then
        # what the cohorts left out, in cl-cohort's words (its --until
        # is cl-rollup's --to), for their section; the rest as the step's
        hint='(correct it in the data;'
        sed -n -e "/^$cohort_said/{s/^$cohort_said/cl-cohort: /" \
            -e "s/$hint --to leaves later lines out)\$/$hint --until leaves later lines out)/" \
            -e 'p;}' step.err > cohort.err
        grep -v "^$cohort_said" step.err >> warnings.txt
        rc_cohort=0
    elif case $(tail -n 1 step.err) in "$cohort_said"*) true ;; *) false ;; esac; then
        spawn_cohort
        cohort_opt=""
        eval "step 'the roll-up' 1 $rollup_cmd $(quote "$sales")"
    else
        cat step.err >&2
        die "the roll-up failed (exit $pass_rc); ${final:-the report} left as it was"
    fi
}

# The guess: the period chosen from the file's first and last 4 MiB (the
# whole file when it is not larger than 8), read by cl-rollup --summary;
# its failures say nothing (the sales are then read twice). guessed_cmd:
# the pass it plans.
guessed_cmd=""
guess_period() {
    size=$(stat -L -c %s "$sales" 2>/dev/null) || return 1
    if [ "$size" -le 8388608 ]; then
        eval "cl-rollup $rollup_opts --summary -o guess-stats.csv $(quote "$sales")" \
            2> guess.err || return 1
    else
        # (the partial line at each cut left out)
        { head -c 4194304 "$sales" | sed '$d'; tail -c 4194304 "$sales" | sed '1d'; } |
            eval "cl-rollup $rollup_opts --summary -o guess-stats.csv -" 2> guess.err ||
            return 1
    fi
    guessing=1
    choose_period guess-stats.csv guess.err || { guessing=0; return 1; }
    guessing=0
    plan_rollup
    guessed_cmd=$rollup_cmd
}
one_read=0
if [ $verbose = 0 ] && [ -z "$rejects" ] && guess_period; then
    final=""
    # the period's end given by the options: cl-cohort can start now
    { [ -n "$month" ] || [ -n "$user_to" ]; } && spawn_cohort_alone
    run_pass "--also summary=stats-all.csv"
    if [ $pass_rc = 0 ]; then
        one_read=1
        # the whole file's dates, as its own read says them (cl-rollup's
        # prefix for them left out); the rest is the pass's
        sed -n 's/^cl-rollup: --also summary: /cl-rollup: /p' step.err > read-sales.err
        grep -v '^cl-rollup: --also summary: ' step.err > pass.err
        mv pass.err step.err
        sales_check     # (before the period is named, as after the first of two reads)
    fi
fi
rm -f guess-stats.csv guess.err
if [ $one_read = 0 ]; then
    # (the outputs of a failed pass were not written: cl-rollup writes them
    # whole or not at all)
    read_whole
fi
keep_outlying
choose_period stats-all.csv read-sales.err
if [ $verbose = 1 ]; then
    columns=$(awk -F, '$1 ~ /^column_/ && $2 != "" { print substr($1, 8) " \"" $2 "\"" }' \
        stats-all.csv)
    verbose "columns: $(printf '%s\n' "$columns" | paste -sd '|' | sed 's/|/, /g')"
fi
verbose "period: $from to $to (recency as of $asof), folder $final"

if [ "$previous" = auto ]; then
    previous=""
    for d in "$out"/*/; do
        d=${d%/}
        [ -f "$d/figures.csv" ] || continue
        [ "$(basename "$d")" \< "$name" ] && previous=$d
    done
fi

# ---- the analyses -------------------------------------------------------------

plan_rollup
if [ $one_read = 1 ] && [ "$rollup_cmd" != "$guessed_cmd" ]; then
    # the guess was wrong (a file not in date order): the pass again, with
    # the period the whole file's dates give; what the first wrote goes
    one_read=0
    rm -f rollup.csv stats.csv rejects.csv history.csv same-days-stats.csv cohorts.csv \
        cohort.err
fi
spawn_cohort_alone
[ $one_read = 1 ] || run_pass
take_pass
sales_check
if [ -z "$history_opt" ]; then
    cp rollup.csv history.csv || die "history.csv: cannot copy the roll-up; $final left as it was"
fi

# Pareto, A/B/C, Lorenz, Gini (and migrations against last period's ranks).
prev_opt=""
if [ -n "$previous" ] && [ -f "$previous/pareto.csv" ]; then
    # its CSVs are neutralised (see "for spreadsheets" below): the ids back
    # as the programs wrote them, to match this period's
    step "$previous/pareto.csv" 0 cl-page --lang "$lang" --copy raw -o previous-pareto.csv \
        "$previous/pareto.csv"
    prev_opt="--previous previous-pareto.csv"
fi
# ---- charts: SVG for the page, PNG for slides ----------------------------------
# (each started beside the analyses as soon as its input is joined, and all
# taken in the recipe's order before the workbook: below)

# chart KIND INPUT SUBTITLE [NAME [KIND...]]: NAME.svg and NAME.png (NAME:
# KIND), both drawn by one cl-plot (its input read once), and each further
# KIND's KIND.svg and KIND.png in the same run (cl-plot --also KIND=FILE:
# the same bytes as its own run), started beside the other steps;
# charts_join takes the charts started in the recipe's order (charts_order,
# then any other in the order started), whatever order they were started in
charts="" charts_order="pareto lorenz abc migration pareto-margin rfm personas clusters select"
chart() {
    c_name=${4:-$1}
    # started already (the personas', as soon as their rows were joined)
    case " $charts " in *" $c_name:"*) return 0 ;; esac
    # (its name as a shell name, by the shell: tr -c 'a-z0-9\n' _)
    c_id="" c_rest=$c_name
    while [ -n "$c_rest" ]; do
        c_tail=${c_rest#?}
        case ${c_rest%"$c_tail"} in
            [a-z0-9]) c_id=$c_id${c_rest%"$c_tail"} ;;
            *) c_id=${c_id}_ ;;
        esac
        c_rest=$c_tail
    done
    c_kind=$1 c_input=$2 c_label=$3
    shift 3
    [ $# -gt 0 ] && shift
    c_more="" c_what=$c_name
    for c_k in "$@"; do
        c_more="$c_more --also $c_k=$c_k.svg --also $c_k=$c_k.png"
        c_what="$c_what, $c_k"
    done
    # shellcheck disable=SC2086 # c_more: chart kinds and their file names, no space
    spawn "chart_$c_id" cl-plot "$c_kind" --lang "$lang" --subtitle "$c_label" \
        -o "$c_name.svg" --also "$c_name.png" $c_more "$c_input"
    charts="$charts $c_name:$c_id"
    for c_k in "$@"; do
        charts="$charts $c_k:$c_id"
    done
    eval "chart_what_$c_id=\$c_what"
}
charts_join() {
    c_sorted=""
    for c_want in $charts_order; do
        for c_pair in $charts; do
            [ "${c_pair%%:*}" = "$c_want" ] && c_sorted="$c_sorted $c_pair"
        done
    done
    for c_pair in $charts; do
        case " $charts_order " in *" ${c_pair%%:*} "*) ;; *) c_sorted="$c_sorted $c_pair" ;; esac
    done
    for c_pair in $c_sorted; do
        c_name=${c_pair%%:*} c_id=${c_pair#*:}
        eval "c_what=\$chart_what_$c_id"
        case $c_what in
            *,*) c_what="the ${c_what%, *} and ${c_what##*, } charts" ;;
            *) c_what="the $c_what chart" ;;
        esac
        join "chart_$c_id" "$c_what" 0
        # gnuplot escapes the text it draws; an SVG with active content is refused
        if grep -qi '<script\|<foreignobject\|<iframe' "$c_name.svg"; then
            die "$c_name.svg holds active content; $final left as it was"
        fi
    done
    charts=""
}
# The period's charts, when cl-pareto's files are joined: the pareto,
# lorenz and abc charts from one read of the ranking's rows (lorenz and abc
# from the rows, which say what was ranked: a summary does not, its charts
# would say "value"), the migrations, the ranking by margin. None when no
# client has a positive value (the page says so, below).
charts_period() {
    [ "$(metric summary.csv positive)" = 0 ] && return 0
    chart pareto pareto.csv "$period_label" pareto lorenz abc
    [ -n "$prev_opt" ] && chart migration summary.csv "$period_label"
    if [ -f pareto-margin.csv ] && [ "$(metric summary-margin.csv positive)" != 0 ]; then
        chart pareto pareto-margin.csv "$period_label" pareto-margin
    fi
    return 0
}

# The analyses of the roll-up and of the history are independent of each
# other: each started as soon as its input exists (a few at a time, the
# cores' number), the choice of k before RFM and the lifetime value (its
# rows, profiles and charts come after it), taken in the recipe's order.
eval "spawn pareto cl-pareto $prev_opt --also summary=summary.csv --also lorenz=lorenz.csv \
    -o pareto.csv rollup.csv"     # one read and one ranking for the three files

# With a cost or margin column: the same ranking by margin (a big client
# can be unprofitable), whose classes the page sets beside the revenue's.
has_margin=""
[ -n "$(metric stats.csv margin)" ] && has_margin=1
if [ -n "$has_margin" ]; then
    spawn pareto_margin cl-pareto --value margin --also summary=summary-margin.csv \
        -o pareto-margin.csv rollup.csv
fi

# What the data did not allow is said on the page rather than failing the
# run: note SECTION KEY [VALUE...] adds a line to notes.txt (or to
# $notes_file while a section's notes wait for an earlier section's), which
# the page shows in that section, in its language (the nc_* words of
# lib/page_words.c).
notes_file=notes.txt
note() {
    printf '%s' "$1" >> "$notes_file"; shift
    for v in "$@"; do printf '\t%s' "$v" >> "$notes_file"; done
    printf '\n' >> "$notes_file"
}

# Personas: k chosen on the history, then the same fit for rows and profiles.
# A feature with the same value for every client (one order each, in a
# shop's first month) tells no one apart: it is left out, and the page says
# so. With no feature left, or fewer than 2 clients, or a clustering that
# cl-kmeans refuses for the data (exit 1), the page says why there are none.
# (Their notes follow the lifetime value's: kept aside until it is taken.)
notes_file=personas-notes.tmp
: > personas-notes.tmp
constants=$(cl-page --lang "$lang" --derive features .) ||
    die "reading history.csv failed; $final left as it was"
# constant NAME: its value(s) in $constants, in c_value (awk -F, '$1 == NAME
# { print $2 }', by the shell: four forks before the choice of k could start)
constant() {
    c_value="" c_ifs=$IFS
    IFS='
'
    set -f
    for c_line in $constants; do
        case $c_line in
            "$1",*) c_line=${c_line#*,}; c_value="$c_value${c_line%%,*}
" ;;
            "$1") c_value="$c_value
" ;;
        esac
    done
    set +f
    IFS=$c_ifs
    while case $c_value in *"
") true ;; *) false ;; esac; do
        c_value=${c_value%?}
    done
}
constant clients
history_rows=$c_value
features="" logs=""
for f in recency_days orders revenue; do
    constant "$f"
    value=$c_value
    if [ -n "$value" ] && [ "$history_rows" -ge 2 ]; then
        note personas nc_constant "$f" "$value"
        continue
    fi
    features="${features:+$features,}$f"
    [ "$f" != recency_days ] && logs="${logs:+$logs,}$f"
done
notes_file=notes.txt
k="" k_fit=0
if [ "$history_rows" -lt 2 ]; then
    notes_file=personas-notes.tmp
    note personas nc_few "$history_rows"
    notes_file=notes.txt
elif [ -z "$features" ]; then
    notes_file=personas-notes.tmp
    note personas nc_nofeature
    notes_file=notes.txt
else
    # a range of k beyond the clients: tried up to one less than their number
    k_try=$k_range
    case $k_range in
        *..*) k_low=${k_range%%..*} k_high=${k_range##*..}
              if [ "$k_high" -ge "$history_rows" ] && [ "$k_low" -lt "$history_rows" ]; then
                  k_try="$k_low..$((history_rows - 1))"
                  notes_file=personas-notes.tmp
                  note personas nc_krange "$k_try" "$k_range" "$history_rows"
                  notes_file=notes.txt
              fi ;;
    esac
    # one fit: the choice of k saves the chosen k's model (personas.model,
    # not a file of the report), from which the rows and profiles are written
    kmeans_opts="--features $features${logs:+ --log $logs} --lang $lang"
    spawn select cl-kmeans $kmeans_opts --k "$k_try" --select --save-model personas.model \
        -o select.csv history.csv
    k_fit=1
fi

# the period, and the history's end, in words of the language (cl-page's),
# for the charts (asked while the ranking and the choice of k run)
period_label=$(cl-page --lang "$lang" --label period "$name") || die "no words for the period $name"
history_label=$(cl-page --lang "$lang" --label history "$to") || die "no words for the day $to"

# RFM segments, and their totals per segment.
spawn rfm cl-score --rfm --segments rfm-segments.csv -o rfm.csv history.csv

# The period's charts once cl-pareto's files are joined (the pareto, lorenz
# and abc charts, on 5 M clients the longest of the report), on the first
# core free after the lifetime value's, below.
join pareto 'the Pareto ranking (with its summary and Lorenz curve)' 0
rm -f previous-pareto.csv
if [ -n "$has_margin" ]; then
    join pareto_margin 'the Pareto ranking by margin (with its summary)' 0
fi
# Lifetime value (below): cl-clv when it is installed.
have_clv=0 clv_wait=0
if command -v cl-clv > /dev/null 2>&1; then
    have_clv=1 clv_wait=1
fi
start_clv() {
    spawn clv cl-clv --lang "$lang" -o clv.csv history.csv
    clv_wait=0
}
# While k is chosen, a core that comes free takes the lifetime value first,
# then the period's charts: the workbook waits for the lifetime value, and
# for the charts only once its tables are written (on the 1 GB bench file
# the lifetime value then ends before the choice, 0.3 s off the workbook's
# start). Nothing is started here on the core the choice frees: that one is
# the personas' rows' (on 5 M clients, the lifetime value started when the
# choice ended held the rows back four seconds).
p_charts=0
if [ $k_fit = 1 ]; then
    while [ -z "$rc_select" ] && { [ $clv_wait = 1 ] || [ $p_charts = 0 ]; }; do
        if [ $njobs -lt "$max_jobs" ]; then
            if [ $clv_wait = 1 ]; then
                start_clv
            else
                charts_period
                p_charts=1
            fi
        else
            first_done
            reap "$f_job"
        fi
    done
fi

# The rows and the profiles as soon as k is chosen, beside the steps still
# running (the choice's warnings and notes are taken below, in their order).
if [ $k_fit = 1 ] && joined select; then
    # the row whose column "chosen" (found by its name) is 1
    chosen=$(head -n 1 select.csv | tr , '\n' | grep -nx chosen | cut -d: -f1)
    k=$(awk -F, -v c="${chosen:-0}" 'c && NR > 1 && $c == 1 { print $1; exit }' select.csv)
    if [ -n "$k" ]; then
        # one run writes both, from one read of the history (--also): its
        # failure is said by the rows' join, and the profiles' join after it
        # finds them written
        spawn clusters cl-kmeans --lang "$lang" --model personas.model -o clusters.csv \
            --also profiles=profiles.csv history.csv
        rc_profiles=0
    fi
fi
# the period's charts, when no core came free for them while k was chosen:
# after the rows, which take the core the choice freed
[ $p_charts = 1 ] || charts_period

# Lifetime value and churn, when cl-clv is installed: BG/NBD and Gamma-Gamma
# fitted on the history (clv.csv); the period's class A clients least likely
# to be still active, with their value, in at-risk.csv (the 10 lowest
# p_alive, ties by the period's revenue) and their count in clv-summary.csv.
# A fit the data do not allow (exit 1) is said on the page.
# It starts on the first core free once the rows are started (on 5 M
# clients, the lifetime value started when the choice of k ended held the
# rows back four seconds), and the clusters chart once the rows are made
# and the lifetime value started: the longest of the history's charts,
# which the workbook waits for only once its tables are written. A step
# that failed is said below, in the recipe's order.
# (have_clv, clv_wait and start_clv: above, with the period's charts)
if [ -n "$k" ]; then
    while [ -z "$rc_clusters" ]; do
        if [ $clv_wait = 1 ] && [ $njobs -lt "$max_jobs" ]; then
            start_clv
        else
            first_done
            reap "$f_job"
        fi
    done
fi
# the lifetime value before the clusters chart when both wait for a core:
# the workbook waits for it, and for the chart only once its tables are
# written
[ $clv_wait = 1 ] && start_clv
[ -n "$k" ] && [ "$rc_clusters" = 0 ] && chart clusters clusters.csv "$history_label"
# (the personas' other charts, the RFM chart and the market's start once
# the workbook has: see "the workbook", below)

join rfm 'the RFM scores' 1

if [ $have_clv = 1 ]; then
    if joined clv; then
        cat clv.err >> warnings.txt
        step 'the clients at risk' 0 cl-page --lang "$lang" --derive at-risk -o at-risk.csv .
        step 'the clients at risk (counts)' 0 cl-page --lang "$lang" --derive clv-summary \
            -o clv-summary.csv .
    else
        rc=$j_rc
        [ $rc = 1 ] || {
            cat clv.err >&2
            die "the lifetime values failed (exit $rc); ${final} left as it was"
        }
        cat clv.err >> warnings.txt
        note clv nc_clv "$(tail -1 clv.err | sed 's/^cl-clv: //')"
        rm -f clv.csv
    fi
    rm -f clv.err
fi
cat personas-notes.tmp >> notes.txt
rm -f personas-notes.tmp

if [ $k_fit = 1 ]; then
    if joined select; then
        cat select.err >> warnings.txt
        [ -n "$k" ] || die "cl-kmeans chose no k (select.csv); ${final} left as it was"
    else
        rc=$j_rc
        [ $rc = 1 ] || {
            cat select.err >&2
            die "the choice of personas failed (exit $rc); ${final} left as it was"
        }
        cat select.err >> warnings.txt
        note personas nc_failed "$(tail -1 select.err | sed 's/^cl-kmeans: //')"
        rm -f select.csv personas.model
    fi
    rm -f select.err
fi

# Market shares: our clients per segment counted from the sales, or the
# market table's own clients column. The table is kept in the folder.
if [ -n "$market" ]; then
    cp "$market" market.csv || die "$market: cannot copy the market table"
    if [ -n "$segment" ]; then
        eval "step 'the roll-up by segment' 0 cl-rollup $rollup_opts --group $(quote "$segment") \
            --from $from --to $to --asof $asof -o rollup-segment.csv $(quote "$sales")"
        sales_check
        # a segment whose net revenue is negative (returns only) counts 0,
        # which cl-share says (in warnings.txt) and the page repeats
        share_opts="--clients rollup-segment.csv --segment $(quote "$segment") --negative-as-zero"
    else
        share_opts=""
    fi
    eval "step 'the market shares' 1 cl-share $share_opts -o share.csv market.csv"
    eval "step 'the market summary' 0 cl-share $share_opts --summary -o share-summary.csv \
        market.csv"
fi

# ---- prescribers: when the sales say who prescribed each sale -----------------

# The roll-up has a prescribers column exactly when the sales have a
# prescriber column; without one nothing here runs, and the page has no
# prescribers section. prescribed: the period's clients who bought through
# a prescriber at least once.
prescribed=$(cl-page --lang "$lang" --derive prescribed .) ||
    die "reading the roll-up failed; $final left as it was"
prescribed=$(printf '%s\n' "$prescribed" | awk -F, '$1 == "prescribed_clients" { print $2 }')
if [ -n "$prescribed" ]; then
    if [ "$prescribed" -gt 0 ]; then
        eval "step 'the per-prescriber roll-up' 0 cl-rollup $rollup_opts --per-prescriber \
            --from $from --to $to --asof $asof --stats prescribers-stats.csv \
            -o prescribers.csv $(quote "$sales")"
        step 'the prescribers ranking' 0 cl-pareto -o prescribers-pareto.csv prescribers.csv
        step 'the prescribers summary' 0 cl-pareto --summary -o prescribers-summary.csv \
            prescribers.csv
        # Each prescriber's clients: the partials (customer, order, ...,
        # prescriber) with the prescriber moved first and the direct rows
        # left out are partials keyed by prescriber then customer, which
        # --merge rolls up exactly.
        eval "step 'the prescribed orders' 0 cl-rollup $rollup_opts --partial \
            --from $from --to $to -o prescribed-partials.csv $(quote "$sales")"
        step 'the prescribed orders by prescriber' 0 cl-page --lang "$lang" \
            --derive prescriber-partials \
            -o prescribed-orders.tmp .
        step 'the clients of each prescriber' 0 cl-rollup --merge --asof "$asof" \
            -o prescriber-clients.csv prescribed-orders.tmp
        rm -f prescribed-partials.csv prescribed-orders.tmp
    fi
    # The previous report's prescribers who prescribed nothing this period,
    # the largest first (by what they prescribed then).
    if [ -n "$previous" ] && [ -f "$previous/prescribers.csv" ]; then
        step 'the prescribers who stopped' 0 cl-page --lang "$lang" --derive stopped \
            --previous "$previous" \
            -o prescribers-stopped.csv .
    fi
    # the key figures of the section, for figures.csv
    {
        echo "prescribed_clients,$prescribed"
        if [ -f prescribers.csv ]; then
            # the exact totals of the prescribers' rows (the direct sales are in none)
            echo "prescribers,$(metric prescribers-stats.csv customers)"
            echo "prescribed_revenue,$(metric prescribers-stats.csv revenue)"
            for m in share_top20 clients_for_80 clients_for_80_share; do
                echo "prescribers_$m,$(metric prescribers-summary.csv "$m")"
            done
        else
            printf 'prescribers,0\nprescribed_revenue,0.00\n'
        fi
    } > prescriber-figures.tmp
fi

if [ -n "$k" ]; then
    join clusters 'the personas' 0
    join profiles 'the persona profiles' 0
    # the clusters chart first: the longest of the history's (started as
    # soon as the rows were made, above)
    chart clusters clusters.csv "$history_label"
    rm -f personas.model
fi

# csv_cell TEXT: TEXT as one CSV field (quoted when it holds , " or a newline)
csv_cell() {
    case $1 in
        *[\",]*|*"
"*) printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')" ;;
        *) printf '%s' "$1" ;;
    esac
}
sales_name=$(basename "$sales")
[ "$sales_name" = sales-input.csv ] && sales_name="(standard input)"

# ---- figures: the key figures in one metric,value file ------------------------

# The exact totals of the period are cl-rollup's (stats.csv): revenue net
# of returns, margin and its rate, orders, clients; the totals per RFM
# segment are cl-score's (rfm-segments.csv).
{
    echo "metric,value"
    echo "period,$name"
    echo "from,$from"
    echo "to,$to"
    for m in revenue orders; do metric_v stats.csv "$m"; echo "$m,$m_value"; done
    metric_v stats.csv customers
    echo "clients,$m_value"
    for m in margin margin_rate; do
        metric_v stats.csv "$m"
        [ -n "$m_value" ] && echo "$m,$m_value"
    done
    for m in positive share_top20 clients_for_80 clients_for_80_share gini; do
        metric_v summary.csv "$m"
        echo "$m,$m_value"
    done
    if [ -f share-summary.csv ]; then
        for m in share_effective share_potential share_value; do
            metric_v share-summary.csv "$m"
            [ -n "$m_value" ] && echo "market_$m,$m_value"
        done
    fi
    # (the records cl-page --derive features counted, above: history.csv's
    # rows, not its lines; cl-rollup rejects an id with a line break, so
    # the two agree on what it writes)
    echo "history_clients,$history_rows"
    echo "personas,$k"
    [ -f prescriber-figures.tmp ] && cat prescriber-figures.tmp
    # what the page says about the report itself (not key figures: last, and
    # left out of the workbook's key figures)
    echo "asof,$asof"
    if [ -n "$partial_to" ]; then
        echo "partial_to,$partial_to"
        if [ -n "$same_from" ]; then
            echo "same_days_from,$same_from"
            echo "same_days_to,$same_to"
            for m in revenue orders; do
                metric_v same-days-stats.csv "$m"
                echo "same_days_$m,$m_value"
            done
            metric_v same-days-stats.csv customers
            echo "same_days_clients,$m_value"
        fi
    fi
    printf 'persona_features,'; csv_cell "$features"; echo
    printf 'sales_file,'; csv_cell "$sales_name"; echo
    [ -n "$market" ] && { printf 'market_file,'; csv_cell "${market##*/}"; echo; }
    [ -n "$segment" ] && { printf 'segment_column,'; csv_cell "$segment"; echo; }
} > figures.csv
rm -f step.err prescriber-figures.tmp

# ---- charts: SVG for the page, PNG for slides ----------------------------------

# (each chart is started as soon as its input is joined, above: the
# period's when cl-pareto's files are, the RFM chart with the scores, the
# personas' with the rows and profiles)
# No client with a positive net revenue (a month of returns only): no
# ranking, curve or class can be drawn, and the page says so.
if [ "$(metric summary.csv positive)" = 0 ]; then
    note pareto nc_pareto
fi
# The tables' lines, for the workbook's sheets (below), counted in one wc
# while the charts are drawn rather than in one wc each once they are
wb_count() {
    for f in pareto.csv summary.csv lorenz.csv pareto-margin.csv summary-margin.csv \
        rfm.csv rfm-segments.csv profiles.csv clusters.csv select.csv rollup.csv \
        at-risk.csv clv-summary.csv clv.csv share.csv share-summary.csv; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
    [ $# -gt 0 ] || return 0
    # "N FILE" a line, then the total's (one file: none); a file wc did not
    # read is counted again below, as before
    set -- $(wc -l -- "$@" 2>/dev/null)
    while [ $# -ge 2 ]; do
        wb_lines="$wb_lines$2=$1 "
        shift 2
    done
}
wb_lines=" "
wb_count

# ---- the workbook: report.xlsx, the key figures then a sheet per table ---------
# (cl-workbook: cells typed, native Pareto and ABC charts, the PNGs beside).
# Its tables are all made: it starts now, beside the charts, and is handed
# their PNGs once they are joined (cl-workbook --images-from, read after the
# tables: a FIFO the recipe holds open on descriptor 7, the list ended by an
# empty line). Where no FIFO can be made, it starts once the charts are
# joined, with the list in a file: the same workbook, later.
# The key figures as on the page: named in the page's language, beside the
# previous period's (copied from its figures.csv, nothing computed).
step 'the key figures for the workbook' 0 cl-page --lang "$lang" --derive key-figures \
    ${previous:+--previous "$previous"} -o key-figures.csv .
# A sheet for each table there is (some are not: no personas, returns only),
# when it fits in one (Excel's rows; the page is not given up for it).
wb_args=""
wb_sheet() {    # wb_sheet NAME FILE
    [ -f "$2" ] || return 0
    case $wb_lines in
        *" $2="*) w_lines=${wb_lines#*" $2="}; w_lines=${w_lines%% *} ;;
        *) w_lines=$(wc -l < "$2") ;;
    esac
    if [ "$w_lines" -gt 1048576 ]; then
        echo "report.xlsx: $2 has more rows than an Excel sheet holds (1,048,576): left out" \
            >> warnings.txt
        return 0
    fi
    quoted "$1=$2"
    wb_args="$wb_args $q"
}
wb_image() {    # wb_image SHEET PNG: a line of the images' list, when PNG was drawn
    [ -f "$2" ] && printf '%s=%s\n' "$1" "$2"
    return 0
}
if [ "$lang" = fr ]; then
    wb_title="Rapport clients" wb_key="Chiffres clés" wb_summary="Résumé"
    wb_rfm_segments="Segments RFM" wb_clusters="Groupes" wb_select="Choix de k"
    wb_rollup="Clients" wb_share="Parts de marché"
    wb_pareto_margin="Pareto marge" wb_summary_margin="Résumé marge"
    wb_risk="Clients A à risque" wb_clv="Valeur client" wb_clv_summary="Résumé valeur client"
else
    wb_title="Customer report" wb_key="Key figures" wb_summary="Summary"
    wb_rfm_segments="RFM segments" wb_clusters="Clusters" wb_select="k selection"
    wb_rollup="Customers" wb_share="Market shares"
    wb_pareto_margin="Pareto margin" wb_summary_margin="Summary margin"
    wb_risk="A clients at risk" wb_clv="Lifetime value" wb_clv_summary="Lifetime value summary"
fi
wb_sheet "$wb_key" key-figures.csv
wb_sheet Pareto pareto.csv
wb_sheet "$wb_summary" summary.csv
wb_sheet Lorenz lorenz.csv
wb_sheet "$wb_pareto_margin" pareto-margin.csv
wb_sheet "$wb_summary_margin" summary-margin.csv
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
    grep -q '^class_A_clients,' summary.csv && quoted "$wb_summary" &&
        wb_args="$wb_args --abc $q" ;;
esac
# the native Pareto chart where the page has one (not for returns only: no
# pareto chart started)
case "$wb_args" in *"Pareto=pareto.csv"*)
    case " $charts " in *" pareto:"*) wb_args="$wb_args --pareto-chart Pareto" ;; esac ;;
esac
wb_images() {   # the images' list, in the workbook's order
    wb_image Pareto pareto.png
    wb_image ABC abc.png
    wb_image Lorenz lorenz.png
    wb_image "$wb_summary" migration.png
    wb_image RFM rfm.png
    wb_image Personas personas.png
    wb_image "$wb_clusters" clusters.png
    wb_image "$wb_select" select.png
    wb_image "$wb_share" share.png
    echo
}
# What Excel cannot hold (a cell of over 32,767 characters) costs the
# workbook, not the page: said in warnings.txt, no report.xlsx.
# (Made beside the charts, the cohorts and the spreadsheet copies; taken
# before the page.)
spawn_workbook() {  # spawn_workbook LIST
    # at once, beside the charts still running: the longest step left on the
    # 1 GB bench file, and the charts are wanted only once its tables are
    # written
    spawn_now=1
    eval "spawn workbook cl-workbook --lang $(quote "$lang") --title $(quote "$wb_title") \
        --period $(quote "$name") -o report.xlsx $wb_args --images-from $1"
    spawn_now=0
}
wb_fifo=0
if [ $steps_fifo = 1 ] && mkfifo .workbook-images 2>/dev/null; then
    { command exec 7<> .workbook-images; } 2>/dev/null && wb_fifo=1
fi
[ $wb_fifo = 1 ] && spawn_workbook .workbook-images

# The CSVs final by now (all but the cohorts' and those still to come), made
# safe for spreadsheets beside the charts: see "for spreadsheets", below.
mkdir .neutral || die ".neutral: cannot create the folder; $final left as it was"
neutral_early=""
for f in *.csv; do
    case $f in market.csv|sales-input.csv|cohorts.csv) continue ;; esac
    neutral_early="$neutral_early $f"
done
# shellcheck disable=SC2086 # the report's own names, none with a space
[ -n "$neutral_early" ] &&
    spawn neutral_early cl-page --lang "$lang" --copy neutral --if-changed -o .neutral \
        $neutral_early

# The charts still to start, after the workbook and the copies: on the 1 GB
# bench file the workbook is the longest step left once the tables are made
# (2 s), on 5 M clients the copies (3 s); the charts are short beside them
# and are wanted by the workbook only once its tables are written. (Started
# before them, they held the workbook back 1.4 s: the report's tail.)
# The personas' other charts (and the profiles', when a run of their own
# makes them: none to wait for when the rows' run does).
if [ -n "$k" ] && [ "$rc_clusters" = 0 ] &&
    { [ -z "${pid_profiles+x}" ] || joined profiles; }; then
    chart personas profiles.csv "$history_label"
    chart select select.csv "$history_label"
fi
chart rfm rfm.csv "$history_label"
[ -f share.csv ] && chart share share.csv "$period_label"
charts_join
if [ $wb_fifo = 1 ]; then
    wb_images >&7
else
    rm -f .workbook-images
    wb_images > .workbook-images || die "cannot write the workbook's list of charts"
    spawn_workbook .workbook-images
fi

# ---- cohorts: do the clients we win stay? (when cl-cohort is installed) --------
# One self-contained step: every monthly cohort up to the period's end
# (cohorts.csv, cl-cohort --until), the retention of the last complete
# cohorts at months 1, 3 and 6 beside the same months a year before
# (cohort-retention.csv), and the heat map of the last 13 cohorts. The page
# has its section when cohort-retention.csv exists; a failure of cl-cohort
# leaves the section out and says why among the messages.
if [ $have_cohort = 1 ]; then
    if joined cohort; then
        # what cl-cohort left out goes under its table; the rejected lines,
        # the --where count and the reading notes (encoding, headers, rounding,
        # date order, ids trimmed) are cl-rollup's too, in the data quality section already
        grep -v -e ' lines after --until left out$' -e ' lines rejected: ' \
            -e ' lines left out by --where$' -e ': not UTF-8 (line ' -e ' repeated header line' \
            -e ' decimals rounded to 6 ' -e ' reads both as DD/MM and as MM/DD ' \
            -e ' lines had spaces around the customer id' \
            cohort.err > cohort-notes.txt
        [ -s cohort-notes.txt ] || rm -f cohort-notes.txt
        # per k: the latest cohort whose month k is complete, and the cohort
        # twelve months before it (empty when the data do not go back so far)
        step 'the cohort retention' 0 cl-page --lang "$lang" --derive retention \
            -o cohort-retention.csv .
        # the heat map: the last 13 cohorts (a year and the period's own month)
        first=$(tail -n +2 cohorts.csv | cut -d, -f1 | uniq | tail -n 13 | head -n 1)
        awk -F, -v first="$first" 'NR == 1 || $1 >= first' cohorts.csv > cohort-heatmap.csv
        chart cohort cohort-heatmap.csv "$period_label"
    else
        # said after the workbook's message, below
        cohort_failed="x$(tail -1 cohort.err)"
        rm -f cohorts.csv
    fi
    rm -f cohort.err step.err
    sales_check
fi

# ---- for spreadsheets ----------------------------------------------------------

# --excel: every CSV of the folder also in excel/, in the programs' --excel
# dialect (';', decimal comma, BOM, CRLF, cells neutralised), for a French
# spreadsheet, made before the page so that its file list names excel/. The
# folder's own CSVs stay plain: the page is written from them, next month's
# --previous reads them, and cl-page can be run again.
# file_id FILE: FILE as a shell name, for spawn
file_id() { printf '%s' "$1" | tr -c 'a-zA-Z0-9\n' _; }
excel_files=""
if [ $excel = 1 ]; then
    mkdir excel || die "excel: cannot create the folder; $final left as it was"
    for f in *.csv; do
        case $f in market.csv|sales-input.csv) continue ;; esac
        spawn "excel_$(file_id "$f")" cl-page --lang "$lang" --copy excel -o "excel/$f" "$f"
        excel_files="$excel_files $f"
    done
fi

# The CSVs linked from the page are opened in spreadsheets: a text cell that
# starts with = + - @ (or a tab or CR), other than a number or a lone - or +
# (the class of clients at 0 or less), is written quoted behind an
# apostrophe, as the programs' --excel does (lib/csvio.c),
# here in the folder's comma dialect, so that no cell runs as a formula.
# The page is written from the files as the programs made them: the safe
# copies are made meanwhile, in .neutral/ (a name the page does not list),
# and put in place once the page is written. The market table is the
# user's own file, copied as it is (any delimiter). Most files have no
# cell to change: cl-page --if-changed then writes no copy (on 5 M clients
# the five large copies wrote 2.5 GB for nothing, the report's last 5 s).
# Two runs of cl-page: the files final before the charts of the history
# (neutral_early, above, beside the clusters chart), and the rest here; 21
# runs, one a file, cost a process and an fsync each.
neutral_files="" neutral_late=""
for f in *.csv; do
    case $f in market.csv|sales-input.csv) continue ;; esac
    neutral_files="$neutral_files $f"
    case " $neutral_early " in *" $f "*) ;; *) neutral_late="$neutral_late $f" ;; esac
done
# shellcheck disable=SC2086 # the report's own names, none with a space
[ -n "$neutral_late" ] &&
    spawn neutral_late cl-page --lang "$lang" --copy neutral --if-changed -o .neutral \
        $neutral_late

# What the workbook and the cohorts could not do, in this order, for the page.
if ! joined workbook; then
    sed 's/^/report.xlsx not written: /' workbook.err >> warnings.txt
fi
[ $wb_fifo = 1 ] && exec 7>&-
rm -f workbook.err .workbook-images
[ -n "$cohort_failed" ] && printf '%s: the cohort section is left out: %s\n' "$prog" \
    "${cohort_failed#x}" >> warnings.txt

# ---- the page ---------------------------------------------------------------------

# cl-page writes index.html from the folder's CSVs (every figure a cell of
# them); the words, the escaping and the number formats are its own.
rm -f step.err read-sales.err
page_prev=""
[ -n "$previous" ] && page_prev="--previous $(quote "$previous")"
charts_join     # the cohorts' heat map, inlined in the page
eval "spawn page cl-page --lang $lang $page_prev -o index.html ."
for f in $excel_files; do
    join "excel_$(file_id "$f")" "excel/$f" 0
done
join page 'the page' 0
[ "$sales_name" = "(standard input)" ] && rm -f sales-input.csv
# A run that failed: each copy made again alone, in the names' order, as
# one run a file did, so that the first to fail is said in its own words.
neutral_failed=""
for n_job in neutral_early neutral_late; do
    eval "n_list=\$$n_job"
    [ -n "$n_list" ] || continue
    joined "$n_job" || neutral_failed="$neutral_failed $n_job"
done
if [ -n "$neutral_failed" ]; then
    for f in $neutral_files; do
        cl-page --lang "$lang" --copy neutral -o ".neutral-$f" "$f" 2> step.err || {
            rc=$?
            cat step.err >&2
            die "$f, made safe for spreadsheets failed (exit $rc); $final left as it was"
        }
        rm -f ".neutral-$f"
    done
    for n_job in $neutral_failed; do
        cat "$n_job.err" >&2
    done
    die "the copies made safe for spreadsheets failed; $final left as it was"
fi
rm -f neutral_early.err neutral_late.err
for f in $neutral_files; do
    [ -f ".neutral/$f" ] || continue        # no cell to change: the file itself
    mv ".neutral/$f" "$f" ||
        die "$f: cannot write the spreadsheet-safe copy; $final left as it was"
done
rmdir .neutral || die ".neutral: cannot remove the folder; $final left as it was"
rm -f step.err     # the last step's (empty) standard error: not a file of the report

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
    printf '%s: %s: %s clients, revenue %s, report in %s/index.html\n' "$prog" "$name" \
        "$(metric "$final/figures.csv" clients)" "$(metric "$final/figures.csv" revenue)" "$final"
    # the warnings themselves, each on a line (they are on the page too)
    nwarn=$(grep -c . "$final/warnings.txt" || true)
    [ "$nwarn" = 1 ] && printf '%s: 1 warning:\n' "$prog"
    [ "$nwarn" -gt 1 ] && printf '%s: %s warnings:\n' "$prog" "$nwarn"
    grep . "$final/warnings.txt" | head -5 | sed 's/^/  /'
    [ "$nwarn" -gt 5 ] && printf '  ... and %s more in %s/warnings.txt\n' "$((nwarn - 5))" "$final"
fi
exit 0
