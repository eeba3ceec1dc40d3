import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../prisma/migrations/', import.meta.url),
);

export interface MigrationFile {
  /** The folder name, e.g. `20261127215512_init`: what Prisma stores as migration_name. */
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma computes it. */
  checksum: string;
}

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Every `<name>/migration.sql` of the folder, in name (= timestamp) order. */
export async function readMigrationFiles(dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: sha256Hex(bytes) };
    }),
  );
}

/**
 * Prisma also accepts a checksum taken before git converted line endings (core.autocrlf), so a
 * checkout on Windows does not look tampered with; we accept the same variants.
 */
export function checksumMatches(file: MigrationFile, storedChecksum: string): boolean {
  if (file.checksum === storedChecksum) return true;
  const lf = file.sql.replaceAll('\r\n', '\n');
  return (
    sha256Hex(lf) === storedChecksum || sha256Hex(lf.replaceAll('\n', '\r\n')) === storedChecksum
  );
}

/** One checksum over every migration: names a test template database for this exact schema. */
export function migrationsFingerprint(files: readonly MigrationFile[]): string {
  return sha256Hex(files.map((file) => `${file.name}:${file.checksum}`).join('\n'));
}
