import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDefinitions, serializeDefinitions } from '@challenges/core';
import { createDefinitionRepository, type DefinitionRepository } from '@challenges/db';
import { useTestDatabase } from '@challenges/db/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHALLENGES_FILE, readDefinitionsFile } from './definitions-source.ts';
import { importDefinitionsAtFirstStart } from './first-start-import.ts';
import { capturingLogger } from './testing/capturing-logger.ts';

describe('importDefinitionsAtFirstStart', () => {
  const database = useTestDatabase();
  let repo: DefinitionRepository;

  beforeAll(() => {
    repo = createDefinitionRepository(database.prisma);
  });

  it('publishes the file as version 1 by `system` on an empty store', async () => {
    const { log } = capturingLogger();
    const result = await importDefinitionsAtFirstStart({
      store: repo,
      file: DEMO_CHALLENGES_FILE,
      explicit: false,
      log,
    });
    expect(result).toEqual({ imported: true, version: 1 });
    const live = await repo.getLive();
    const demo = await readDefinitionsFile(DEMO_CHALLENGES_FILE);
    expect([...parseDefinitions(live?.content).goalsById.keys()]).toEqual([
      ...demo.goalsById.keys(),
    ]);
    expect((await repo.listVersions(1))[0]).toMatchObject({ createdBy: 'system', live: true });
    expect((await repo.listAudit(1))[0]).toMatchObject({ action: 'import', actor: 'system' });
  });

  it('two processes starting together publish once', async () => {
    const { log } = capturingLogger();
    const options = { store: repo, file: DEMO_CHALLENGES_FILE, explicit: false, log };
    const results = await Promise.all([
      importDefinitionsAtFirstStart(options),
      importDefinitionsAtFirstStart(options),
    ]);
    expect(results.filter((r) => r.imported)).toHaveLength(1);
    expect(await repo.listVersions(10)).toHaveLength(1);
  });

  it('ignores CHALLENGES_FILE, without reading it, once the store has versions', async () => {
    await repo.publish({
      content: serializeDefinitions(await readDefinitionsFile(DEMO_CHALLENGES_FILE)),
      actor: 'ann',
    });
    const { log, lines } = capturingLogger();
    const result = await importDefinitionsAtFirstStart({
      store: repo,
      file: '/nonexistent/challenges.json',
      explicit: true,
      log,
    });
    expect(result).toEqual({ imported: false, reason: 'store-has-versions' });
    expect(lines.map((line) => line.msg)).toEqual([
      expect.stringContaining('CHALLENGES_FILE ignored'),
    ]);
    expect(await repo.getLiveVersion()).toBe(1);
  });

  it('a broken file on an empty store throws with every problem and stores nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'defs-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify({ challenges: [{ challengeId: 'c', goals: [] }] }));
    const { log } = capturingLogger();
    await expect(
      importDefinitionsAtFirstStart({ store: repo, file: path, explicit: true, log }),
    ).rejects.toThrow(`challenge definitions in ${path} are invalid: invalid challenge 'c'`);
    expect(await repo.getLiveVersion()).toBeNull();
  });
});
