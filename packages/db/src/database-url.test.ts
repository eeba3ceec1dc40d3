import { describe, expect, it } from 'vitest';
import { databaseNameOf, quoteIdent, redactUrl, withDatabaseName } from './database-url.ts';

describe('database URLs', () => {
  it('reads and replaces the database name, keeping server and options', () => {
    const url = 'postgresql://app:s3cret@db.internal:6543/challenges?sslmode=require';
    expect(databaseNameOf(url)).toBe('challenges');
    expect(withDatabaseName(url, 'postgres')).toBe(
      'postgresql://app:s3cret@db.internal:6543/postgres?sslmode=require',
    );
    expect(() => databaseNameOf('postgresql://db.internal')).toThrow(/names no database/);
  });

  it('never prints a password', () => {
    expect(redactUrl('postgresql://app:s3cret@db/x')).toBe('postgresql://app:***@db/x');
    expect(redactUrl('not a url')).toBe('<invalid database URL>');
  });

  it('quotes identifiers PostgreSQL-style', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});
