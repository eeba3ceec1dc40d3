import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockingAncestor, postgresDataDir } from './local-postgres.ts';

describe('where the local PostgreSQL keeps its data', () => {
  it('finds the first directory above the data that others cannot pass through', () => {
    // A mkdtemp directory is 0700: the postgres user cannot reach anything below it.
    const closed = mkdtempSync(path.join(tmpdir(), 'pg-closed-'));
    const data = path.join(closed, 'checkout', '.data', 'postgres');
    mkdirSync(path.dirname(data), { recursive: true });
    expect(blockingAncestor(data)).toBe(closed);
    const modes: Record<string, number> = { '/a': 0o755, '/a/b': 0o750, '/': 0o755 };
    expect(blockingAncestor('/a/b/c/data', (p) => modes[p])).toBe('/a/b');
    expect(blockingAncestor('/a/data', (p) => modes[p])).toBeUndefined();
  });

  it('keeps the data where asked unless root would run PostgreSQL somewhere it cannot reach', () => {
    const blocked = () => '/root';
    expect(
      postgresDataDir({ dataDir: '/root/app/.data/postgres', asRoot: false, blocking: blocked }),
    ).toEqual({ dataDir: '/root/app/.data/postgres' });
    expect(
      postgresDataDir({
        dataDir: '/srv/app/.data/postgres',
        asRoot: true,
        blocking: () => undefined,
      }),
    ).toEqual({ dataDir: '/srv/app/.data/postgres' });
    const moved = postgresDataDir({
      dataDir: '/root/app/.data/postgres',
      asRoot: true,
      blocking: blocked,
      tempDir: '/tmp',
    });
    expect(moved.dataDir).toMatch(/^\/tmp\/challenges-postgres-[0-9a-f]{12}$/);
    expect(moved.note).toContain('/root (no o+x)');
    // One place per checkout, the same at every start.
    const again = postgresDataDir({
      dataDir: '/root/app/.data/postgres',
      asRoot: true,
      blocking: blocked,
      tempDir: '/tmp',
    });
    expect(again.dataDir).toBe(moved.dataDir);
    const other = postgresDataDir({
      dataDir: '/root/other/.data/postgres',
      asRoot: true,
      blocking: blocked,
      tempDir: '/tmp',
    });
    expect(other.dataDir).not.toBe(moved.dataDir);
  });
});
