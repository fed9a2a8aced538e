# cl-page --copy neutral on a file larger than every buffer it reads or
# writes through (the reader's 1 MiB blocks, the UTF-8 check's 16 MiB
# windows, the copy's 1 MiB of output): hostile cells (= + - @ tab CR),
# numbers and lone signs left as they are, quotes, commas and line ends
# inside quotes, needless quotes, CRLF rows, blank lines, a 4-byte
# character across the 16 MiB mark, in both languages. The expected copy
# is written here by Python's csv module and the rule as the page states
# it, not by our code.
. "$CL_TESTS/lib.sh"

py=""
for p in python3 /usr/bin/python3; do
    command -v "$p" > /dev/null 2>&1 && py=$p && break
done
if [ -z "$py" ]; then
    fail "page copy: python3 is installed (the independent reference)"
    exit 0
fi

"$py" - "$T" <<'PY'
import csv, io, random, re, sys
t = sys.argv[1]
rng = random.Random(21)
MARK = 16 << 20
ascii = ["plain", "=1+1", "+cmd|x", "-x", "@SUM(A1)", "\tx", "-12.5", "+3", "-", "+",
         "-1e5", ".5", "-.5e-3", "1.", "a,b", 'say "hi"', "two\nlines", "cr\r\nlf",
         "=a,\"b\"", " lead", "", "=", "@", "-e5", "1e", "--1"]
# past the mark only: the non-ASCII (see the twin), and the lone CR, which
# only libcsv reads (the rows before it are the scanner's, copied as they are)
cells = ascii + ["café", "Zoë Œuvre", "\rx"]
def quoted(x):
    return '"' + x.replace('"', '""') + '"'
def raw_cell(x):
    # as a program or a person may write it: quoted when needed, sometimes without need
    if any(ch in x for ch in ',"\r\n') or (x.startswith("\r")):
        return quoted(x)
    return quoted(x) if rng.random() < 0.05 else x
out = io.StringIO()
out.write("id,text,amount,note\n")
n = 0
size = len(out.getvalue().encode())
placed = False
while size < MARK + (2 << 20):
    n += 1
    if not placed and size > MARK - 200:
        # a row whose 4-byte character crosses the 16 MiB mark
        pad = MARK - 2 - size - len(("c%d," % n).encode())
        row = "c%d,%s%s,1,x\n" % (n, "p" * pad, "\U0001F600")
        out.write(row)
        size += len(row.encode())
        placed = True
        continue
    if rng.random() < 0.7:
        row = "c%d,text %d,%d.%02d,ok" % (n, n, n % 997, n % 100)
    else:
        row = ",".join(raw_cell(x) for x in
                       ["c%d" % n] + [rng.choice(cells if placed else ascii) for _ in "abc"])
    end = "\r\n" if rng.random() < 0.1 else "\n"
    if rng.random() < 0.01:
        end += "\n"             # a blank line: dropped by the copy
    row += end
    out.write(row)
    size += len(row.encode())
text = out.getvalue()
data = text.encode()
assert placed and data[MARK - 2:MARK + 2].decode() == "\U0001F600"
open(t + "/big.csv", "wb").write(data)
# the Windows-1252 twin: the same, the character 1252 lacks replaced; its
# first non-ASCII byte (é) is the first of the second 16 MiB window
twin = text.replace("\U0001F600", "ab\u00e9")
assert twin.encode("cp1252")[MARK:MARK + 1] == b"\xe9"
assert max(twin.encode("cp1252")[:MARK]) < 128
tw = twin.encode("cp1252")
open(t + "/big-1252.csv", "wb").write(tw)
open(t + "/big-1252-utf8.csv", "wb").write(twin.encode())

num = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
def neutral(x):
    return x[:1] in ("=", "+", "-", "@", "\t", "\r") and x not in ("-", "+") and not num.match(x)
def field(x):
    if neutral(x):
        return quoted("'" + x)
    return quoted(x) if any(ch in x for ch in ',"\r\n') else x
# A row after the header with no cell to change and no CR keeps the file's
# bytes (its needless quotes too), as long as the scanner reads the file:
# from the first record with a lone CR (a quoted "\rx"), libcsv reads the
# rest and every row is written cell by cell.
def copy(src, dst):
    taken = []
    def lines(f):
        for line in f:
            taken.append(line)
            yield line
    scanning = True
    with open(src, newline="", encoding="utf-8") as f, open(dst, "w", newline="",
                                                            encoding="utf-8") as g:
        for n, row in enumerate(csv.reader(lines(f))):
            raw = "".join(taken)
            del taken[:]
            if re.search("\r(?!\n)", raw):
                scanning = False
            if not row:
                continue
            raw = raw[:-1] if raw.endswith("\n") else raw
            if scanning and n > 0 and "\r" not in raw and not any(neutral(x) for x in row):
                g.write(raw + "\n")
            else:
                g.write(",".join(field(x) for x in row) + "\n")
copy(t + "/big.csv", t + "/big-expected.csv")
copy(t + "/big-1252-utf8.csv", t + "/big-1252-expected.csv")
# a short row at the end, after every window: its physical line (LF, CRLF
# and a lone CR, as in a quoted cell, each end one)
bad = data + b"c0,short,1\n"
open(t + "/bad.csv", "wb").write(bad)
breaks = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
open(t + "/bad-line", "w").write("%d\n" % (breaks + 1))
PY
t_eq "page copy: the big file is over 16 MiB" \
    "$([ "$(wc -c < "$T/big.csv")" -gt 16777216 ] && echo yes)" yes
for lang in en fr; do
    t_run "page copy, $lang: the big file copied" 0 \
        cl-page --lang $lang --copy neutral -o "$T/big-$lang.csv" "$T/big.csv"
    t_file_eq "page copy, $lang: the copy is the rule's" "$T/big-$lang.csv" \
        "$T/big-expected.csv"
done
t_eq "page copy: ... the 4-byte character across the 16 MiB mark read as UTF-8 (no note)" \
    "$(cat "$T/err")" ""
t_run "page copy: the Windows-1252 twin (its first non-ASCII byte past a window)" 0 \
    cl-page --copy neutral -o "$T/big-1252-n.csv" "$T/big-1252.csv"
t_file_eq "page copy: ... copied as its UTF-8 twin is" "$T/big-1252-n.csv" \
    "$T/big-1252-expected.csv"
t_grep "page copy: ... said read as Windows-1252" "Windows-1252" "$T/err"
t_run "page copy: a short row past every buffer" 1 \
    cl-page --copy neutral -o "$T/bad-n.csv" "$T/bad.csv"
t_grep "page copy: ... named by file and line" \
    "bad.csv:$(cat "$T/bad-line"): 3 fields where the header has 4" "$T/err"
t_eq "page copy: ... and no copy left" "$([ -e "$T/bad-n.csv" ] && echo left)" ""
