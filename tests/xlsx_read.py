#!/usr/bin/env python3
"""Read a workbook back with openpyxl, an independent reader, for tests/cli/xlsx*.sh.

  xlsx_read.py compare BOOK SHEET CSV [ids=a,b] [dates=a,b] [percent=a,b]
      every cell of SHEET against the CSV: text cells equal to the text, a
      plain number (not in an id column) a number cell equal to the exact
      decimal (16 significant digits for longer ones, as Excel takes them),
      dates as dates (in a metric,value table, dates= names metrics), percent
      columns shown as percentages; the header bold
      and frozen, the filter over the table, widths fitted. Prints "same"
      or the differences.
  xlsx_read.py cell BOOK SHEET REF    type|value|number format
  xlsx_read.py sheets BOOK            the sheet names, one a line
  xlsx_read.py props BOOK             title|subject
  xlsx_read.py objects BOOK SHEET     charts|images
  xlsx_read.py formulas BOOK          how many formulas (<f>) the sheets hold
  xlsx_read.py deflate BOOK           how the parts were compressed: method|level
      bits, each distinct pair once (8 deflate; minizip's bits 1-2 of the
      flags: 0 level 6, 6 level 1)
"""
import csv
import datetime
import re
import sys
import zipfile
from decimal import Decimal

import openpyxl
from openpyxl.utils import get_column_letter

PLAIN = re.compile(r'^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$')
ISO = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$')


def significant(text):
    digits = re.sub(r'[eE].*$', '', text).replace('-', '').replace('.', '').lstrip('0')
    return len(digits)


def number_equal(value, text):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if significant(text) <= 15 and 'e' not in text.lower():
        # the exact decimal: the double Excel reads is the one nearest to it
        return Decimal(repr(float(value))) == Decimal(text)
    return float(value) == float('%.16g' % float(text))


def compare(book, sheet, path, options):
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    with open(path, newline='', encoding='utf-8-sig') as f:
        rows = list(csv.reader(f))
    header = rows[0]
    ids = set(options.get('ids', '').split(',')) - {''}
    dates = set(options.get('dates', '').split(',')) - {''}
    percent = set(options.get('percent', '').split(',')) - {''}
    problems = []

    def problem(text):
        if len(problems) < 10:
            problems.append(text)

    if ws.freeze_panes != 'A2':
        problem('header not frozen: %r' % ws.freeze_panes)
    want_filter = 'A1:%s%d' % (get_column_letter(len(header)), len(rows))
    if ws.auto_filter.ref != want_filter:
        problem('filter %r, expected %r' % (ws.auto_filter.ref, want_filter))
    if ws.max_row != len(rows) or ws.max_column != len(header):
        problem('%d x %d cells, expected %d x %d' % (ws.max_row, ws.max_column, len(rows),
                                                     len(header)))
    widest = [0] * len(header)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            name = header[c - 1]
            where = '%s%d (%s)' % (get_column_letter(c), r, name)
            if r == 1:
                if cell.value != text or not cell.font.b:
                    problem('%s: header %r bold=%s' % (where, cell.value, cell.font.b))
                continue
            if text == '':
                if cell.value is not None:
                    problem('%s: %r for an empty field' % (where, cell.value))
            elif (name in dates or (name in ('value', 'change', 'previous') and
                                    'metric' in header and
                                    row[header.index('metric')] in dates)) and ISO.match(text):
                if not cell.is_date or cell.value.date() != datetime.date.fromisoformat(text):
                    problem('%s: %r (%s) for the date %s' % (where, cell.value,
                                                             cell.data_type, text))
            elif name not in ids and PLAIN.match(text):
                if cell.data_type != 'n' or not number_equal(cell.value, text):
                    problem('%s: %r (%s) for the number %s' % (where, cell.value,
                                                               cell.data_type, text))
                elif name in percent and '%' not in cell.number_format:
                    problem('%s: format %r, not a percentage' % (where, cell.number_format))
            elif cell.data_type != 's' or cell.value != text:
                problem('%s: %r (%s) for the text %r' % (where, cell.value, cell.data_type, text))
            if cell.data_type == 's':
                widest[c - 1] = max(widest[c - 1], len(text))
    for c in range(len(header)):
        width = ws.column_dimensions[get_column_letter(c + 1)].width
        if width < min(widest[c], 60) or width > 62:
            problem('column %s: width %s for text of %d characters' % (header[c], width,
                                                                      widest[c]))
    print('\n'.join(problems) if problems else 'same')


def main(argv):
    what, book = argv[1], argv[2]
    if what == 'compare':
        options = dict(a.split('=', 1) for a in argv[5:])
        compare(book, argv[3], argv[4], options)
    elif what == 'cell':
        cell = openpyxl.load_workbook(book)[argv[3]][argv[4]]
        value = cell.value.date().isoformat() if cell.is_date else cell.value
        print('%s|%s|%s' % (cell.data_type, value, cell.number_format))
    elif what == 'sheets':
        print('\n'.join(openpyxl.load_workbook(book).sheetnames))
    elif what == 'props':
        p = openpyxl.load_workbook(book).properties
        print('%s|%s' % (p.title, p.subject))
    elif what == 'objects':
        ws = openpyxl.load_workbook(book)[argv[3]]
        print('%d|%d' % (len(ws._charts), len(ws._images)))
    elif what == 'formulas':
        with zipfile.ZipFile(book) as z:
            print(sum(len(re.findall(rb'<f[ >]', z.read(n)))
                      for n in z.namelist() if n.startswith('xl/worksheets/')))
    elif what == 'deflate':
        with zipfile.ZipFile(book) as z:
            print(' '.join(sorted({'%d|%d' % (i.compress_type, i.flag_bits & 6)
                                   for i in z.infolist()})))
    else:
        sys.exit('xlsx_read.py: unknown command ' + what)


if __name__ == '__main__':
    main(sys.argv)
