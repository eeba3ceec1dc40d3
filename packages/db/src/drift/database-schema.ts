import type pg from 'pg';
import type { TableShape } from './schema-shape.ts';

/**
 * The tables of a schema as the catalog sees them. Partitions are left out (Prisma models only
 * the partitioned parent), and so is Prisma's own bookkeeping table.
 */
export async function readDatabaseSchema(
  client: pg.Client | pg.Pool,
  schema = 'public',
): Promise<TableShape[]> {
  const { rows: tables } = await client.query<{ oid: number; name: string }>(
    `SELECT c.oid, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname`,
    [schema],
  );
  const oids = tables.map((table) => table.oid);
  const { rows: columns } = await client.query<{
    table: number;
    name: string;
    type: string;
    not_null: boolean;
    has_default: boolean;
  }>(
    `SELECT a.attrelid AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '') AS has_default
       FROM pg_attribute a
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [oids],
  );
  const { rows: indexes } = await client.query<{
    table: number;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
  }>(
    `SELECT i.indrelid AS table, ic.relname AS name, i.indisunique AS unique,
            i.indisprimary AS primary,
            array(SELECT coalesce(a.attname, '<expression>')
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                   ORDER BY k.ord)::text[] AS columns
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = ANY($1::oid[])
      ORDER BY ic.relname`,
    [oids],
  );
  return tables.map((table) => {
    const own = indexes.filter((index) => index.table === table.oid);
    const primary = own.find((index) => index.primary);
    return {
      name: table.name,
      columns: columns
        .filter((column) => column.table === table.oid)
        .map((column) => ({
          name: column.name,
          type: column.type,
          nullable: !column.not_null,
          hasDefault: column.has_default,
        })),
      primaryKey: primary ? { name: primary.name, columns: primary.columns } : null,
      indexes: own
        .filter((index) => !index.primary)
        .map((index) => ({ name: index.name, columns: index.columns, unique: index.unique })),
    };
  });
}
