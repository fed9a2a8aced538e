# cl-report learns that a step has ended from a FIFO (each step writes its
# name there once its command ends); where no FIFO can be made it reads the
# steps' states every 50 ms instead. Both ways make the same report, byte
# for byte, and the FIFO way never sleeps (the poll's sleep is the only one).
. "$CL_TESTS/lib.sh"
sales="$SAMPLES/sales.csv"

# a copy of cl-report (which puts its own folder first in PATH) beside a
# sleep that counts its runs, and, for the second way, an mkfifo that fails
mkdir "$T/fifo" "$T/poll"
for d in fifo poll; do
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

for d in fifo poll; do
    PATH="$T/$d:$PATH" "$T/$d/cl-report" --quiet --month 2011-11 --lang en \
        -o "$T/out-$d" "$sales" 2> "$T/$d.err"
    t_eq "report wait ($d): exit 0" "$?" "0"
    t_eq "report wait ($d): nothing on stderr" "$(cat "$T/$d.err")" ""
done
t_eq "report wait: the FIFO way never sleeps" "$(cat "$T/fifo.sleeps" 2>/dev/null | wc -l)" "0"
t_eq "report wait: the poll way was taken (mkfifo asked, and failed)" \
    "$(wc -l < "$T/poll.mkfifo")" "1"
bad=$(cd "$T/out-fifo/2011-11" && for f in $(find . -type f ! -name '*.xlsx' | sort); do
    cmp -s "$f" "$T/out-poll/2011-11/$f" || printf ' %s' "$f"
done)
t_eq "report wait: the two ways' folders hold the same bytes" "$bad" ""
t_eq "report wait: ... the same files" \
    "$(cd "$T/out-fifo" && find . -type f ! -name .cl-report.lock | sort)" \
    "$(cd "$T/out-poll" && find . -type f ! -name .cl-report.lock | sort)"
t_eq "report wait: no work folder left" "$(LC_ALL=C ls -A "$T/out-poll" | tr '\n' ' ')" ".cl-report.lock 2011-11 "
