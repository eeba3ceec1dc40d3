import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import { contentChecksum, createDefinitionRepository } from './definition.repository.ts';

const file = (goalId: string) => ({
  challenges: [
    {
      challengeId: 'c',
      name: 'C',
      description: '',
      goals: [
        {
          goalId,
          name: goalId,
          description: '',
          eventSource: 'login',
          requirement: { statCode: 'login', operator: '>=', targetValue: 1 },
          reward: { type: 'ITEM', rewardId: 'hat', quantity: 1 },
        },
      ],
    },
  ],
});

describe('definition repository', () => {
  const database = useTestDatabase({ max: 12 });
  let repo: ReturnType<typeof createDefinitionRepository>;

  beforeAll(() => {
    repo = createDefinitionRepository(database.prisma);
  });

  it('an empty store has no live version and no draft', async () => {
    expect(await repo.getLive()).toBeNull();
    expect(await repo.getLiveVersion()).toBeNull();
    expect(await repo.getDraft()).toBeNull();
    expect(await repo.listVersions(10)).toEqual([]);
  });

  it('publish numbers versions 1, 2, … and makes the newest live, audited', async () => {
    const first = await repo.publish({ content: file('a'), actor: 'ann', note: 'first' });
    const second = await repo.publish({ content: file('b'), actor: 'bob', summary: { n: 1 } });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.checksum).toBe(contentChecksum(JSON.stringify(file('b'))));
    expect(await repo.getLiveVersion()).toBe(2);
    expect(await repo.getLive()).toEqual({ version: 2, content: file('b') });
    const versions = await repo.listVersions(10);
    expect(versions.map((v) => [v.version, v.live, v.createdBy, v.note])).toEqual([
      [2, true, 'bob', null],
      [1, false, 'ann', 'first'],
    ]);
    expect((await repo.getVersion(1))?.content).toEqual(file('a'));
    expect(await repo.getVersion(9)).toBeNull();
    const audit = await repo.listAudit(10);
    expect(audit.map((a) => [a.action, a.actor, a.version, a.summary])).toEqual([
      ['publish', 'bob', 2, { n: 1 }],
      ['publish', 'ann', 1, {}],
    ]);
  });

  it('concurrent publishes get distinct consecutive versions', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => repo.publish({ content: file(`g${i}`), actor: 'x' })),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await repo.getLiveVersion()).toBe(8);
  });

  it('the draft keeps anything saved, records the live version it started from', async () => {
    await repo.publish({ content: file('a'), actor: 'ann' });
    const saved = await repo.saveDraft({ content: { nonsense: [1, 'two'] }, actor: 'eve' });
    expect(saved).toMatchObject({ content: { nonsense: [1, 'two'] }, updatedBy: 'eve' });
    expect(saved.baseVersion).toBe(1);
    expect(await repo.getDraft()).toEqual(saved);
    await repo.publish({ content: file('b'), actor: 'ann' });
    expect((await repo.getDraft())?.baseVersion).toBe(2);
    expect((await repo.listAudit(1))[0]?.action).toBe('publish');
    await repo.saveDraft({ content: file('c'), actor: 'eve', action: 'import' });
    expect((await repo.listAudit(1))[0]).toMatchObject({ action: 'import', actor: 'eve' });
  });

  it('rollback re-publishes an earlier version as a new one', async () => {
    await repo.publish({ content: file('a'), actor: 'ann' });
    await repo.publish({ content: file('b'), actor: 'ann' });
    await repo.saveDraft({ content: file('draft'), actor: 'ann' });
    const rolled = await repo.rollback({ version: 1, actor: 'bob', resetDraft: false });
    expect(rolled?.version).toBe(3);
    expect(await repo.getLive()).toEqual({ version: 3, content: file('a') });
    expect((await repo.getDraft())?.content).toEqual(file('draft'));
    expect((await repo.listAudit(1))[0]).toMatchObject({
      action: 'rollback',
      actor: 'bob',
      version: 3,
      summary: { from: 1 },
    });
    await repo.rollback({ version: 2, actor: 'bob', resetDraft: true });
    expect(await repo.getDraft()).toMatchObject({ content: file('b'), baseVersion: 4 });
    expect(await repo.rollback({ version: 99, actor: 'bob', resetDraft: true })).toBeNull();
    expect(await repo.getLiveVersion()).toBe(4);
  });

  it('publishInitial publishes once even when many processes race', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        repo.publishInitial({ content: file('demo'), actor: 'system' }),
      ),
    );
    expect(results.filter((r) => r !== null).map((r) => r?.version)).toEqual([1]);
    expect((await repo.listVersions(10)).length).toBe(1);
    expect(await repo.getDraft()).toMatchObject({ content: file('demo'), baseVersion: 1 });
    const audit = await repo.listAudit(10);
    expect(audit.map((a) => [a.action, a.actor, a.version])).toEqual([['import', 'system', 1]]);
  });

  it('refuses to publish content it cannot parse (it could not re-anchor rows to it)', async () => {
    await repo.publish({ content: file('a'), actor: 'ann' });
    await expect(repo.publish({ content: { challenges: [] }, actor: 'ann' })).rejects.toThrow(
      /challenge/,
    );
    expect(await repo.getLive()).toEqual({ version: 1, content: file('a') });
    expect((await repo.listAudit(10)).length).toBe(1);
  });

  it('publishInitial does nothing when a version exists', async () => {
    await repo.publish({ content: file('a'), actor: 'ann' });
    expect(await repo.publishInitial({ content: file('demo'), actor: 'system' })).toBeNull();
    expect(await repo.getLive()).toEqual({ version: 1, content: file('a') });
  });
});
