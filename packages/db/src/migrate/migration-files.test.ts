import { describe, expect, it } from 'vitest';
import { checksumMatches, readMigrationFiles, sha256Hex } from './migration-files.ts';

describe('migration files', () => {
  it('lists the migrations in timestamp order with their sha256', async () => {
    const files = await readMigrationFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((file) => file.name)).toEqual(files.map((file) => file.name).sort());
    for (const file of files) {
      expect(file.name).toMatch(/^\d{14}_\w+$/);
      expect(file.checksum).toBe(sha256Hex(file.sql));
    }
  });

  it('accepts a checksum taken with other line endings, and nothing else', () => {
    const sql = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    const file = { name: 'x', sql, checksum: sha256Hex(sql) };
    expect(checksumMatches(file, sha256Hex(sql.replaceAll('\n', '\r\n')))).toBe(true);
    const crlf = sql.replaceAll('\n', '\r\n');
    expect(
      checksumMatches({ name: 'x', sql: crlf, checksum: sha256Hex(crlf) }, file.checksum),
    ).toBe(true);
    expect(checksumMatches(file, sha256Hex(`${sql}-- edit\n`))).toBe(false);
  });
});
