import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_CHALLENGES_FILE, type TestApi } from '../testing/test-api.ts';
import { outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

describe('challenge.* over the definition store', () => {
  let t: TestApi;
  let editor: TrpcTestClient;
  let viewer: TrpcTestClient;
  let file: { challenges: { name: string }[] };

  beforeAll(async () => {
    t = await startTestApi({ ADMIN_EMAIL: 'defs@example.com', ADMIN_PASSWORD: 'defs-password' });
    editor = (await signedIn(t, 'defs@example.com', 'defs-password')).client;
    await editor.user.create.mutate({
      email: 'reader@example.com',
      password: 'reader-password',
      role: 'viewer',
    });
    viewer = (await signedIn(t, 'reader@example.com', 'reader-password')).client;
    file = JSON.parse(await readFile(TEST_CHALLENGES_FILE, 'utf8'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('edit draft → validate → diff → publish → versions, audited under the editor', async () => {
    const before = await viewer.challenge.versions.query({ limit: 10 });
    const changed = structuredClone(file);
    changed.challenges[0]!.name = 'Renamed season';
    const saved = await editor.challenge.updateDraft.mutate({ content: changed });
    expect(saved).toMatchObject({ valid: true, problems: [] });
    expect(await viewer.challenge.validateDraft.query()).toEqual({ valid: true, problems: [] });
    const diff = await viewer.challenge.diffDraft.query();
    expect(diff.valid).toBe(true);
    expect(JSON.stringify(diff.diff)).toContain('Renamed season');

    await editor.challenge.publish.mutate({ note: 'rename' });
    const after = await viewer.challenge.versions.query({ limit: 10 });
    expect(after.length).toBe(before.length + 1);
    const exported = await viewer.challenge.export.query({});
    expect(JSON.stringify(exported.content)).toContain('Renamed season');
    const audit = await viewer.challenge.audit.query({ limit: 10 });
    expect(JSON.stringify(audit)).toContain('defs@example.com');
    // Dates leave as RFC 3339 strings, like every other answer.
    expect(JSON.stringify(after)).not.toMatch(/\.\d{3}Z/);
  });

  it('an invalid draft is stored but not published; the problems come with the error', async () => {
    const saved = await editor.challenge.updateDraft.mutate({
      content: { challenges: [{ id: 'broken' }] },
    });
    expect(saved.valid).toBe(false);
    const publish = editor.challenge.publish.mutate({});
    await expect(publish).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    const error = await publish.catch((e) => e);
    expect(error.data.details.length).toBeGreaterThan(0);
  });

  it('viewers read but cannot change definitions', async () => {
    expect(await outcome(viewer.challenge.draft.query())).toBe('OK');
    const update = viewer.challenge.updateDraft.mutate({ content: file });
    expect(await outcome(update)).toBe('FORBIDDEN');
    expect(await outcome(viewer.challenge.rollback.mutate({ version: 1 }))).toBe('FORBIDDEN');
  });
});
