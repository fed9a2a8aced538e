# The rule of cl-page --copy neutral, written out with Python's csv module
# (not our code), for the tests: a cell a spreadsheet could run (= + - @
# tab CR first, not a number or a lone sign) quoted behind an apostrophe;
# a cell with , " CR or LF quoted, its quotes doubled; LF line ends; blank
# lines dropped. A row after the header with no cell to change and no CR
# is written as the file has it (its quotes, needed or not, kept): read
# here as the lines the csv module took for it.
#   python3 neutral_rule.py IN OUT
import csv, re, sys
num = re.compile(r'^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$')
def risky(x):
    return x[:1] in ('=', '+', '-', '@', '\t', '\r') and x not in ('-', '+') and not num.match(x)
def cell(x):
    if risky(x) or any(c in x for c in ',"\r\n'):
        return '"' + ("'" if risky(x) else '') + x.replace('"', '""') + '"'
    return x
taken = []
def lines(f):
    for line in f:
        taken.append(line)
        yield line
with open(sys.argv[1], newline='') as f, open(sys.argv[2], 'w', newline='') as out:
    for n, row in enumerate(csv.reader(lines(f))):
        raw = ''.join(taken)
        del taken[:]
        if not row:
            continue
        raw = raw[:-1] if raw.endswith('\n') else raw
        if n > 0 and '\r' not in raw and not any(risky(c) for c in row):
            out.write(raw + '\n')
        else:
            out.write(','.join(cell(c) for c in row) + '\n')
