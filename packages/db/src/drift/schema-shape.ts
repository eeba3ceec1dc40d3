/** A table as both the Prisma schema and the database describe it, in database names. */
export interface TableShape {
  name: string;
  columns: ColumnShape[];
  primaryKey: { name: string; columns: string[] } | null;
  /** Unique and plain indexes, without the primary key's. */
  indexes: IndexShape[];
}

export interface ColumnShape {
  name: string;
  /** As PostgreSQL's format_type() prints it, e.g. `timestamp(3) with time zone`. */
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}

export interface IndexShape {
  name: string;
  columns: string[];
  unique: boolean;
}
