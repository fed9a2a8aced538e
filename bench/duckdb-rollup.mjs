// The DuckDB peer of cl-rollup: the same per-customer figures with
// read_csv + GROUP BY, all threads. Run: node duckdb-rollup.mjs FILE
import { DuckDBInstance } from '@duckdb/node-api';
const file = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const sql = `
  SELECT CustomerID AS customer,
         SUM(Quantity * UnitPrice) AS revenue, SUM(Quantity) AS quantity,
         COUNT(*) AS lines, COUNT(DISTINCT InvoiceNo) AS orders,
         MIN(CAST(InvoiceDate AS DATE)) AS first_date, MAX(CAST(InvoiceDate AS DATE)) AS last_date
  FROM read_csv('${file.replace(/'/g, "''")}', header = true,
                types = {'CustomerID': 'VARCHAR', 'InvoiceNo': 'VARCHAR',
                         'UnitPrice': 'DECIMAL(18,3)', 'Quantity': 'BIGINT'})
  WHERE CustomerID IS NOT NULL
  GROUP BY CustomerID ORDER BY CustomerID`;
const reader = await con.runAndReadAll(sql);
console.log(`${reader.getRows().length} customers`);
