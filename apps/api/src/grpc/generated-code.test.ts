import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PROTO = join(ROOT, 'proto');
const GEN = join(ROOT, 'apps/api/src/gen');
const OUT_LINE = 'out: ../apps/api/src/gen';
const PLUGIN_LINE = 'local: ../node_modules/.bin/protoc-gen-ts_proto';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

let temp: string | undefined;
afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

// Fails when a .proto changed without `npm run proto:gen` (or gen/ was edited by hand): the
// committed code is regenerated with the same template into a temp dir and compared byte for byte.
describe('generated gRPC code', () => {
  it('is what buf generate makes from proto/ today', async () => {
    temp = await mkdtemp(join(tmpdir(), 'proto-check-'));
    const template = await readFile(join(PROTO, 'buf.gen.yaml'), 'utf8');
    expect(template).toContain(OUT_LINE);
    expect(template).toContain(PLUGIN_LINE);
    const out = join(temp, 'gen');
    const ours = template
      .replace(OUT_LINE, `out: ${out}`)
      .replace(PLUGIN_LINE, `local: ${join(ROOT, 'node_modules/.bin/protoc-gen-ts_proto')}`);
    await writeFile(join(temp, 'buf.gen.yaml'), ours);
    await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/buf'),
      ['generate', '--template', join(temp, 'buf.gen.yaml')],
      { cwd: PROTO },
    );

    const expected = await filesUnder(out);
    expect(expected.length).toBeGreaterThan(0);
    expect(await filesUnder(GEN)).toEqual(expected);
    for (const file of expected) {
      const fresh = await readFile(join(out, file));
      const committed = await readFile(join(GEN, file));
      expect(committed.equals(fresh), `${file} is stale: run npm run proto:gen`).toBe(true);
    }
  }, 60_000);
});
