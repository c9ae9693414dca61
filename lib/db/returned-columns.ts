/**
 * Reading a data-modifying CTE (`with x as (insert … returning …) select … from x`) with drizzle's own column
 * mapping: the CTE is declared with a table's columns (`db.$with(name, getTableColumns(table))`) and selected
 * back through `returnedColumns`, so its rows come out as the table's row type (dates, bytea, jsonb mapped).
 */
import type { SQL } from "drizzle-orm";

/** The fields of a table's columns as the CTE that returned them answers them (for a nested selection). */
export function returnedColumns(cte: object, columns: Record<string, unknown>): Record<string, SQL.Aliased | SQL> {
  return Object.fromEntries(Object.keys(columns).map((key) => [key, (cte as Record<string, SQL>)[key]!]));
}
