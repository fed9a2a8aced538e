# cl-report learns that a step has ended from a FIFO (each step writes its
# name there once its command ends); where no FIFO can be made it reads the
# steps' states every 50 ms instead. Both ways make the same report, byte
# for byte, and the FIFO way never sleeps (the poll's sleep is the only one).
# The workbook is started before the charts are drawn and handed their PNGs
# through a second FIFO; where that one cannot be made, it is started once
# they are, with their list in a file: the same workbook either way.
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"

# a copy of cl-report (which puts its own folder first in PATH) beside a
# sleep that counts its runs, and, for the second way, an mkfifo that fails
mkdir "$T/fifo" "$T/poll" "$T/wbfile"
for d in fifo poll wbfile; do
    cp "$CL_BIN/cl-report" "$T/$d/cl-report"
    cat > "$T/$d/sleep" <<EOS
#!/bin/sh
echo x >> "$T/$d.sleeps"
exec "$(command -v sleep)" "\$@"
EOS
    chmod +x "$T/$d/sleep"
done
cat > "$T/poll/mkfifo" <<EOS
#!/bin/sh
echo x >> "$T/poll.mkfifo"
exit 1
EOS
chmod +x "$T/poll/mkfifo"
cat > "$T/wbfile/mkfifo" <<EOS
#!/bin/sh
case "\$1" in .workbook-images) echo x >> "$T/wbfile.mkfifo"; exit 1 ;; esac
exec "$(command -v mkfifo)" "\$@"
EOS
chmod +x "$T/wbfile/mkfifo"

for d in fifo poll wbfile; do
    PATH="$T/$d:$PATH" "$T/$d/cl-report" --quiet --month 2011-11 --lang en \
        -o "$T/out-$d" "$sales" 2> "$T/$d.err"
    t_eq "report wait ($d): exit 0" "$?" "0"
    t_eq "report wait ($d): nothing on stderr" "$(cat "$T/$d.err")" ""
done
t_eq "report wait: the FIFO way never sleeps" "$(cat "$T/fifo.sleeps" 2>/dev/null | wc -l)" "0"
t_eq "report wait: the poll way was taken (mkfifo asked, and failed)" \
    "$(wc -l < "$T/poll.mkfifo")" "1"
t_eq "report wait: the workbook's FIFO asked for, and failed" "$(wc -l < "$T/wbfile.mkfifo")" "1"
# the poll way, and the workbook's list in a file: the FIFO way's folder
for d in poll wbfile; do
    bad=$(cd "$T/out-fifo/2011-11" && for f in $(find . -type f ! -name '*.xlsx' | sort); do
        cmp -s "$f" "$T/out-$d/2011-11/$f" || printf ' %s' "$f"
    done)
    t_eq "report wait ($d): the folder holds the FIFO way's bytes" "$bad" ""
    t_eq "report wait ($d): ... the same files" \
        "$(cd "$T/out-fifo" && find . -type f ! -name .cl-report.lock | sort)" \
        "$(cd "$T/out-$d" && find . -type f ! -name .cl-report.lock | sort)"
    t_eq "report wait ($d): the workbook's parts the same as the FIFO way's" \
        "$(parts_same "$T/out-fifo/2011-11/report.xlsx" "$T/out-$d/2011-11/report.xlsx")" "same"
done
t_eq "report wait: ... a workbook with its charts" "$("${PYTHON:-python3}" -c '
import re, sys, zipfile
print(sum(bool(re.match(r"xl/media/image[0-9]+[.]png$", n))
          for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$T/out-fifo/2011-11/report.xlsx")" "7"
t_eq "report wait: no work folder left" "$(LC_ALL=C ls -A "$T/out-poll" | tr '\n' ' ')" ".cl-report.lock 2011-11 "
