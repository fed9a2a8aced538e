# The pandas peer of cl-rollup: the same per-customer figures.
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], dtype={'CustomerID': str, 'InvoiceNo': str}, parse_dates=['InvoiceDate'])
df = df[df['CustomerID'].notna()]
df['amount'] = df['Quantity'] * df['UnitPrice']
g = df.groupby('CustomerID').agg(revenue=('amount', 'sum'), quantity=('Quantity', 'sum'),
                                 lines=('amount', 'size'), orders=('InvoiceNo', 'nunique'),
                                 first=('InvoiceDate', 'min'), last=('InvoiceDate', 'max'))
print(len(g), 'customers')
