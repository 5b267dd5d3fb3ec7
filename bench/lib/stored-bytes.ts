import path from "node:path";
import Database from "better-sqlite3";

/** One table or index of a SQLite file as stored: its pages' bytes, of which payload and unused. */
export interface StoredObject {
  name: string;
  /** The table it belongs to (itself for a table). */
  table: string;
  type: "table" | "index";
  bytes: number;
  payload: number;
  unused: number;
}

const OBJECTS_SQL = `
  SELECT d."name" AS "name", COALESCE(s."tbl_name", d."name") AS "table", COALESCE(s."type", 'table') AS "type",
         SUM(d."pgsize") AS "bytes", SUM(d."payload") AS "payload", SUM(d."unused") AS "unused"
  FROM dbstat d LEFT JOIN sqlite_schema s ON s."name" = d."name"
  GROUP BY d."name"`;

/** Every table and index of `file` with its stored bytes, read with SQLite's `dbstat` from a compacted (`VACUUM INTO`) copy. */
export function storedObjects(file: string, scratchDir: string): StoredObject[] {
  const compacted = path.join(scratchDir, `${path.basename(file, ".db")}-compacted.db`);
  const source = new Database(file, { readonly: true });
  try {
    source.prepare("VACUUM INTO ?").run(compacted);
  } finally {
    source.close();
  }
  const copy = new Database(compacted, { readonly: true });
  try {
    return (copy.prepare(OBJECTS_SQL).all() as StoredObject[]).map((row) => ({ ...row, type: row.type === "index" ? "index" : "table" }));
  } finally {
    copy.close();
  }
}

/** What each object grew by from `empty` to `full` (both from `storedObjects`), objects that did not grow left out; largest first. */
export function grownObjects(full: readonly StoredObject[], empty: readonly StoredObject[]): StoredObject[] {
  const before = new Map(empty.map((object) => [object.name, object]));
  return full
    .map((object) => {
      const base = before.get(object.name);
      return {
        ...object,
        bytes: object.bytes - (base?.bytes ?? 0),
        payload: object.payload - (base?.payload ?? 0),
        unused: object.unused - (base?.unused ?? 0),
      };
    })
    .filter((object) => object.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** The sum of the objects' bytes. */
export function totalBytes(objects: readonly StoredObject[]): number {
  return objects.reduce((sum, object) => sum + object.bytes, 0);
}

const VALUE_BYTES = (column: string) => `
  CASE typeof(${column})
    WHEN 'null' THEN 0
    WHEN 'real' THEN 8
    WHEN 'integer' THEN CASE
      WHEN ${column} IN (0, 1) THEN 0
      WHEN ${column} BETWEEN -128 AND 127 THEN 1
      WHEN ${column} BETWEEN -32768 AND 32767 THEN 2
      WHEN ${column} BETWEEN -8388608 AND 8388607 THEN 3
      WHEN ${column} BETWEEN -2147483648 AND 2147483647 THEN 4
      WHEN ${column} BETWEEN -140737488355328 AND 140737488355327 THEN 6
      ELSE 8 END
    ELSE length(CAST(${column} AS BLOB)) END`;

/** The bytes each column's values take in a table's records (SQLite's record format, headers left out); largest first. */
export function columnBytes(file: string, table: string): { column: string; bytes: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    const columns = db.prepare(`SELECT "name", "type", "pk" FROM pragma_table_info(?)`).all(table) as { name: string; type: string; pk: number }[];
    const rowidAlias = columns.filter((column) => column.pk > 0).length === 1 ? columns.find((column) => column.pk === 1 && column.type.toUpperCase() === "INTEGER") : undefined;
    const stored = columns.filter((column) => column !== rowidAlias);
    if (stored.length === 0) return [];
    const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const sums = stored.map((column, index) => `COALESCE(SUM(${VALUE_BYTES(quoted(column.name))}), 0) AS "c${index}"`).join(", ");
    const row = db.prepare(`SELECT ${sums} FROM ${quoted(table)}`).get() as Record<string, number>;
    return stored.map((column, index) => ({ column: column.name, bytes: Number(row[`c${index}`] ?? 0) })).sort((a, b) => b.bytes - a.bytes);
  } finally {
    db.close();
  }
}
