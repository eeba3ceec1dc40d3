import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionedFile } from '../../testing/definitions-fixtures.ts';
import { startTestApi, type TestApi } from '../../testing/test-api.ts';
import {
  diffDraft,
  getDraft,
  importDefinitions,
  listAudit,
  listVersions,
  previewImport,
  publishDraft,
  resetDraftToLive,
  updateDraft,
} from './index.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => t?.close());

const ctx = () => t.api.ctx;
const stale = { code: 'CONFLICT', message: expect.stringMatching(/^The draft was changed by /) };

/** Everything a refused write must leave as it was. */
async function snapshot() {
  const [draft, audit, versions] = await Promise.all([
    getDraft(ctx()),
    listAudit(ctx(), { limit: 5 }),
    listVersions(ctx(), { limit: 5 }),
  ]);
  return { draft, audit, versions };
}

describe('draft writes against a stale revision', () => {
  it('the later save from an old revision is refused, naming who saved and when', async () => {
    const seen = await getDraft(ctx());
    const bobs = await updateDraft(ctx(), {
      content: versionedFile(2),
      actor: 'bob',
      draftRevision: seen.revision,
    });
    const before = await snapshot();
    const refused = updateDraft(ctx(), {
      content: versionedFile(3),
      actor: 'ann',
      draftRevision: seen.revision,
    });
    await expect(refused).rejects.toMatchObject(stale);
    await expect(refused).rejects.toThrow(`changed by bob at ${bobs.revision}`);
    expect(await snapshot()).toEqual(before);

    // Overwriting deliberately: the editor saves again against the revision it was shown.
    const ann = await updateDraft(ctx(), {
      content: versionedFile(3),
      actor: 'ann',
      draftRevision: bobs.revision,
    });
    expect(ann.revision > bobs.revision).toBe(true);
    expect(await getDraft(ctx())).toMatchObject({ updatedBy: 'ann', content: versionedFile(3) });
  });

  it('two saves from one revision at the same moment: exactly one wins', async () => {
    const { revision } = await getDraft(ctx());
    const results = await Promise.allSettled(
      [4, 5, 6].map((v) =>
        updateDraft(ctx(), { content: versionedFile(v), actor: `e${v}`, draftRevision: revision }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(r.reason).toMatchObject(stale);
    }
  });

  it('import is previewed without a write, and refused against a stale revision', async () => {
    const before = await snapshot();
    const preview = previewImport({ content: JSON.stringify(versionedFile(7)) });
    expect(preview).toEqual({ content: versionedFile(7), valid: true, problems: [] });
    expect(await snapshot()).toEqual(before);

    const old = new Date(Date.parse(before.draft.revision!) - 1000).toISOString();
    await expect(
      importDefinitions(ctx(), { content: versionedFile(7), actor: 'ivy', draftRevision: old }),
    ).rejects.toMatchObject(stale);
    expect(await snapshot()).toEqual(before);
    await importDefinitions(ctx(), {
      content: versionedFile(7),
      actor: 'ivy',
      draftRevision: before.draft.revision,
    });
    expect(await getDraft(ctx())).toMatchObject({ updatedBy: 'ivy', content: versionedFile(7) });
  });

  it('publish refuses a draft changed since it was shown, and a draft equal to live', async () => {
    const shown = await getDraft(ctx());
    await updateDraft(ctx(), { content: versionedFile(8), actor: 'bob' });
    const before = await snapshot();
    await expect(
      publishDraft(ctx(), { actor: 'ann', draftRevision: shown.revision }),
    ).rejects.toMatchObject(stale);
    expect(await snapshot()).toEqual(before);

    const published = await publishDraft(ctx(), {
      actor: 'ann',
      draftRevision: before.draft.revision,
    });
    const after = await snapshot();
    await expect(publishDraft(ctx(), { actor: 'ann' })).rejects.toMatchObject({
      code: 'NO_CHANGES',
      message: `Nothing to publish: the draft is identical to live version ${published.version}.`,
    });
    expect(await snapshot()).toEqual(after);
  });

  it('reset to live replaces the draft with the live content, guarded the same way', async () => {
    await updateDraft(ctx(), { content: versionedFile(9), actor: 'bob' });
    const before = await snapshot();
    await expect(
      resetDraftToLive(ctx(), { actor: 'ann', draftRevision: null }),
    ).rejects.toMatchObject(stale);
    expect(await snapshot()).toEqual(before);

    await resetDraftToLive(ctx(), { actor: 'ann', draftRevision: before.draft.revision });
    expect(await getDraft(ctx())).toMatchObject({ updatedBy: 'ann', content: versionedFile(8) });
    expect((await diffDraft(ctx())).diff?.identical).toBe(true);
    const live = before.draft.liveVersion;
    expect((await listAudit(ctx(), { limit: 1 }))[0]).toMatchObject({
      action: 'update_draft',
      actor: 'ann',
      summary: { resetTo: live },
    });
  });
});

describe('audit log pages', () => {
  it('newest first, paged by the last id, filtered by action', async () => {
    const all = await listAudit(ctx(), { limit: 500 });
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const first = await listAudit(ctx(), { limit: 3 });
    const second = await listAudit(ctx(), { limit: 3, before: first.at(-1)!.id });
    expect([...first, ...second]).toEqual(all.slice(0, 6));

    const publishes = await listAudit(ctx(), { limit: 500, action: 'publish' });
    expect(publishes.map((e) => e.id)).toEqual(
      all.filter((e) => e.action === 'publish').map((e) => e.id),
    );
    expect(publishes.length).toBeGreaterThan(0);
    await expect(listAudit(ctx(), { action: 'delete' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
