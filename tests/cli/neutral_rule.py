# The rule of cl-page --copy neutral, written out with Python's csv module
# (not our code), for the tests: a cell a spreadsheet could run (= + - @
# tab CR first, not a number or a lone sign) quoted behind an apostrophe;
# a cell with , " CR or LF quoted, its quotes doubled; LF line ends; blank
# lines dropped.
#   python3 neutral_rule.py IN OUT
import csv, re, sys
num = re.compile(r'^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$')
def cell(x):
    risky = x[:1] in ('=', '+', '-', '@', '\t', '\r') and x not in ('-', '+') and not num.match(x)
    if risky or any(c in x for c in ',"\r\n'):
        return '"' + ("'" if risky else '') + x.replace('"', '""') + '"'
    return x
with open(sys.argv[1], newline='') as f, open(sys.argv[2], 'w', newline='') as out:
    for row in csv.reader(f):
        if row:
            out.write(','.join(cell(c) for c in row) + '\n')
