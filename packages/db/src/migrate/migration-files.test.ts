import { describe, expect, it } from 'vitest';
import { checksumMatches, readMigrationFiles, sha256Hex } from './migration-files.ts';

describe('migration files', () => {
  // Known answers from `sha256sum packages/db/prisma/migrations/*/migration.sql`, not from the
  // code under test. A released migration must never change: a database that applied it stores
  // this checksum, and the migrator refuses to start when the file no longer matches.
  const RELEASED: Record<string, string> = {
    '20261127215512_init': 'bcb637312ee839686d52484e5a866d04c233400aeb979e0a3d738bdbf9cfedc6',
    '20261127222213_event_apply':
      '75b574b96a77b11e1295de145159c789cd4f7bc8c338ead7b8a6c77f7add2233',
    '20261127222300_dashboard_auth':
      'ffcc2bfa24161418c097c290461dbaeb5c688fdeefa07cd036c40253fd075d3c',
    '20261127222500_definition_store':
      '364c36e97b32612f33383bfe884f82cd4b55e7f1ea74823ce13b4608ccdbc816',
    '20261127225300_reward_delivery':
      '707d762c0a433159298eade3123dd0f6a582d4acab8f919310298538b6717cbd',
    '20261127231500_load_test_runs':
      '02b89d6537933c2becd0e44f56e81d7697cc4497c9e93601b34086fabc9f0b9e',
  };

  it('lists the migrations in timestamp order with the sha256 of their bytes', async () => {
    const files = await readMigrationFiles();
    expect(files.map((file) => file.name)).toEqual(files.map((file) => file.name).sort());
    for (const file of files) expect(file.name).toMatch(/^\d{14}_\w+$/);
    const checksums = Object.fromEntries(files.map((file) => [file.name, file.checksum]));
    expect(checksums).toMatchObject(RELEASED);
  });

  it('hashes the UTF-8 bytes of a text (known answers from sha256sum)', () => {
    // printf 'CREATE TABLE t (id int);\n' | sha256sum
    expect(sha256Hex('CREATE TABLE t (id int);\n')).toBe(
      '12c83f983b0c94b9c7010dcc92149589d5fb01a3d32af8f6d699545d95db9040',
    );
    // printf "COMMENT ON TABLE t IS '玩家';\n" | sha256sum
    expect(sha256Hex("COMMENT ON TABLE t IS '玩家';\n")).toBe(
      '5425ad5e7aa52c3e14ee248cfeaa53f5996b88fc08dab9bd798b9681fd19ab6b',
    );
  });

  it('accepts the CRLF checksum of an LF file (known answer from sha256sum)', () => {
    const file = {
      name: 'x',
      sql: 'CREATE TABLE t (id int);\n',
      checksum: '12c83f983b0c94b9c7010dcc92149589d5fb01a3d32af8f6d699545d95db9040',
    };
    // printf 'CREATE TABLE t (id int);\r\n' | sha256sum
    expect(
      checksumMatches(file, '30cea62cdaee464f711b5a9f1f7b7a63a5d676cb81e1ffb9c1be5f0ba944da6d'),
    ).toBe(true);
    expect(checksumMatches(file, '0'.repeat(64))).toBe(false);
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
