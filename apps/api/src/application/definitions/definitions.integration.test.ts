import { parseDefinitions } from '@challenges/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionedFile } from '../../testing/definitions-fixtures.ts';
import { startTestApi, type TestApi } from '../../testing/test-api.ts';
import {
  diffDraft,
  exportDefinitions,
  getDraft,
  importDefinitions,
  listAudit,
  listVersions,
  publishDraft,
  rollback,
  updateDraft,
  validateDraft,
} from './index.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => t?.close());

const ctx = () => t.api.ctx;
const goalIds = async (user = 'viewer') => {
  const res = await t.call('GET', '/challenge/v1/challenges', { user });
  return res.body.challenges.flatMap((c: any) => c.goals.map((g: any) => g.goalId)) as string[];
};
const brokenGoal = (overrides: Record<string, unknown>) => ({
  goalId: 'snowmen',
  name: 'Snowmen',
  eventSource: 'statistic',
  requirement: { statCode: 'snowmen', operator: '>=', targetValue: 1 },
  reward: { type: 'ITEM', rewardId: 'hat', quantity: 1 },
  ...overrides,
});

describe('definitions use cases', () => {
  it('the first start imported the file as version 1, which is also the draft', async () => {
    expect(await listVersions(ctx(), { limit: 10 })).toMatchObject([
      { version: 1, live: true, createdBy: 'system' },
    ]);
    const draft = await getDraft(ctx());
    expect(draft).toMatchObject({ baseVersion: 1, liveVersion: 1, problems: [] });
    expect((await diffDraft(ctx())).diff?.identical).toBe(true);
    expect(await goalIds()).toContain('tutorial');
  });

  it('an invalid draft is stored with every problem, and publishing it stores nothing', async () => {
    const content = {
      challenges: [
        {
          challengeId: 'winter',
          name: 'Winter',
          goals: [
            brokenGoal({ requirement: { statCode: 's', operator: '>=', targetValue: 0 } }),
            brokenGoal({ goalId: 'elves', eventSource: 'telepathy' }),
          ],
        },
      ],
    };
    const saved = await updateDraft(ctx(), { content, actor: 'eve' });
    const problems = [
      "invalid goal 'snowmen' in challenge 'winter': targetValue must be positive",
      expect.stringMatching(/^invalid goal 'elves' in challenge 'winter': .*eventSource/),
    ];
    expect(saved).toMatchObject({ valid: false, problems });
    expect(await getDraft(ctx())).toMatchObject({ content, updatedBy: 'eve', problems });
    expect(await validateDraft(ctx())).toEqual({ valid: false, problems: saved.problems });
    expect(await diffDraft(ctx())).toMatchObject({ valid: false, diff: null, liveVersion: 1 });

    await expect(publishDraft(ctx(), { actor: 'eve' })).rejects.toMatchObject({
      code: 'INVALID_DEFINITIONS',
      details: problems,
    });
    expect((await listVersions(ctx(), { limit: 10 })).map((v) => v.version)).toEqual([1]);
    expect((await listAudit(ctx(), { limit: 1 }))[0]).toMatchObject({ action: 'update_draft' });
    expect(await goalIds()).toContain('tutorial');
  });

  it('publish: diff, new live version, seen by the next request, audited', async () => {
    await updateDraft(ctx(), { content: versionedFile(2), actor: 'ann' });
    const { diff } = await diffDraft(ctx());
    expect(diff?.challenges.added.map((c) => c.challengeId)).toEqual(['alpha', 'beta', 'gamma']);
    expect(diff?.challenges.removed.map((c) => c.challengeId)).toEqual(['season', 'daily', 'pool']);
    const published = await publishDraft(ctx(), { actor: 'ann', note: 'season two' });
    expect(published.version).toBe(2);
    expect(published.changes.goals.added).toHaveLength(15);
    expect(await goalIds()).toEqual(expect.arrayContaining(['alpha-0', 'gamma-4']));
    expect(await goalIds()).not.toContain('tutorial');
    expect((await listAudit(ctx(), { limit: 1 }))[0]).toMatchObject({
      action: 'publish',
      actor: 'ann',
      version: 2,
      summary: { goals: { removed: expect.arrayContaining(['tutorial']) } },
    });
    expect((await listVersions(ctx(), { limit: 1 }))[0]).toMatchObject({
      version: 2,
      note: 'season two',
      live: true,
    });

    const changed = versionedFile(2);
    changed.challenges[0]!.goals[0]!.requirement.targetValue = 7;
    await updateDraft(ctx(), { content: changed, actor: 'ann' });
    expect((await diffDraft(ctx())).diff?.goals.changed).toEqual([
      {
        challengeId: 'alpha',
        goalId: 'alpha-0',
        name: 'v2 alpha goal 0',
        changes: [{ field: 'requirement.targetValue', before: 1, after: 7 }],
      },
    ]);
  });

  it('rollback re-publishes an earlier version; the draft follows only without pending edits', async () => {
    // The draft holds an unpublished edit (previous test): rollback keeps it.
    const pending = (await getDraft(ctx())).content;
    const back = await rollback(ctx(), { version: 1, actor: 'bob' });
    expect(back).toMatchObject({ version: 3, from: 1 });
    expect(await goalIds()).toContain('tutorial');
    expect((await getDraft(ctx())).content).toEqual(pending);
    expect((await listAudit(ctx(), { limit: 1 }))[0]).toMatchObject({
      action: 'rollback',
      actor: 'bob',
      version: 3,
      summary: { from: 1 },
    });
    // A draft equal to the live version follows the rollback.
    await updateDraft(ctx(), { content: (await exportDefinitions(ctx())).content, actor: 'bob' });
    await rollback(ctx(), { version: 2, actor: 'bob' });
    expect(await getDraft(ctx())).toMatchObject({ baseVersion: 4, content: versionedFile(2) });
    await expect(rollback(ctx(), { version: 99, actor: 'bob' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'definitions version 99 does not exist',
    });
  });

  it('import into the draft, import-and-publish all or nothing, export', async () => {
    const imported = await importDefinitions(ctx(), { content: versionedFile(5), actor: 'ivy' });
    expect(imported).toEqual({ valid: true, problems: [], published: null });
    expect((await listVersions(ctx(), { limit: 1 }))[0]?.version).toBe(4);

    const before = await getDraft(ctx());
    const invalid = { challenges: [{ challengeId: 'x', name: 'X', goals: [brokenGoal({})] }] };
    invalid.challenges[0]!.goals[0]!.reward = { type: 'GOLD', rewardId: 'r', quantity: 1 };
    await expect(
      importDefinitions(ctx(), { content: invalid, actor: 'ivy', publish: true }),
    ).rejects.toMatchObject({ code: 'INVALID_DEFINITIONS' });
    expect((await getDraft(ctx())).updatedAt).toEqual(before.updatedAt);

    const text = JSON.stringify(versionedFile(6));
    const published = await importDefinitions(ctx(), {
      content: text,
      actor: 'ivy',
      publish: true,
    });
    expect(published.published?.version).toBe(5);
    const exported = await exportDefinitions(ctx());
    expect(exported.version).toBe(5);
    expect(Object.keys(exported.content.challenges[0]!)).toEqual([
      'challengeId',
      'name',
      'description',
      'goals',
    ]);
    expect(parseDefinitions(exported.content).goalsById.get('beta-3')?.name).toBe('v6 beta goal 3');
    expect(
      (await exportDefinitions(ctx(), { version: 1 })).content.challenges[0]?.challengeId,
    ).toBe('season');
    await expect(exportDefinitions(ctx(), { version: 42 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('definitions use cases: bad input changes nothing', () => {
  const rejects = async (promise: Promise<unknown>, code: string, message: RegExp) => {
    await expect(promise).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  };

  it('wrong types, non-JSON text, NUL and huge payloads get a clear error', async () => {
    const before = await getDraft(ctx());
    const a = 'ann';
    await rejects(
      updateDraft(ctx(), { content: '{"challenges": [', actor: a }),
      'INVALID_ARGUMENT',
      /^content is not valid JSON/,
    );
    await rejects(
      updateDraft(ctx(), { content: [1, 2], actor: a }),
      'INVALID_ARGUMENT',
      /must be a JSON object/,
    );
    await rejects(
      updateDraft(ctx(), { content: 42, actor: a }),
      'INVALID_ARGUMENT',
      /must be a JSON object/,
    );
    await rejects(
      updateDraft(ctx(), { content: { x: 'a\u0000b' }, actor: a }),
      'INVALID_ARGUMENT',
      /NUL/,
    );
    await rejects(
      updateDraft(ctx(), { content: {}, actor: '  ' }),
      'INVALID_ARGUMENT',
      /^actor: actor is required/,
    );
    await rejects(
      updateDraft(ctx(), { content: {}, actor: 7 as never }),
      'INVALID_ARGUMENT',
      /^actor: /,
    );
    const huge = { challenges: [], padding: 'x'.repeat(6 * 1024 * 1024) };
    await rejects(
      updateDraft(ctx(), { content: huge, actor: a }),
      'PAYLOAD_TOO_LARGE',
      /^definitions are 6\.0 MB; the limit is 5\.0 MB$/,
    );
    await rejects(
      updateDraft(ctx(), { content: JSON.stringify(huge), actor: a }),
      'PAYLOAD_TOO_LARGE',
      /limit is 5\.0 MB/,
    );
    await rejects(rollback(ctx(), { version: -1, actor: a }), 'INVALID_ARGUMENT', /^version: /);
    await rejects(listVersions(ctx(), { limit: 'ten' as never }), 'INVALID_ARGUMENT', /^limit: /);
    await rejects(
      publishDraft(ctx(), { actor: a, note: 'n'.repeat(5000) }),
      'INVALID_ARGUMENT',
      /^note: /,
    );
    expect(await getDraft(ctx())).toEqual(before);
    expect((await listVersions(ctx(), { limit: 1 }))[0]?.version).toBe(5);
  });
});

describe('a goal removed from the definitions', () => {
  it('disappears from list and initialize, but its row is kept and comes back with it', async () => {
    const user = 'removed-goal';
    await updateDraft(ctx(), { content: versionedFile(7), actor: 'ann' });
    await publishDraft(ctx(), { actor: 'ann' });
    const init = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    expect(init.status).toBe(200);
    expect((await ctx().progress.listByUser(user)).map((r) => r.goalId)).toContain('beta-0');

    const without = versionedFile(8);
    without.challenges[1]!.goals.shift();
    await updateDraft(ctx(), { content: without, actor: 'ann' });
    await publishDraft(ctx(), { actor: 'ann' });
    expect(await goalIds(user)).not.toContain('beta-0');
    const again = await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    expect(JSON.stringify(again.body)).not.toContain('beta-0');
    expect((await ctx().progress.listByUser(user)).map((r) => r.goalId)).toContain('beta-0');

    await updateDraft(ctx(), { content: versionedFile(9), actor: 'ann' });
    await publishDraft(ctx(), { actor: 'ann' });
    const res = await t.call('GET', '/challenge/v1/challenges', { user });
    const beta0 = res.body.challenges[1].goals.find((g: any) => g.goalId === 'beta-0');
    expect(beta0).toMatchObject({ isActive: true, name: 'v9 beta goal 0' });
  });
});
