import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('verifyPassword', () => {
  it('is true for the right password only, and false (not a throw) for a hash it cannot read', async () => {
    const stored = await hashPassword('correct horse');
    expect(await verifyPassword(stored, 'correct horse')).toBe(true);
    expect(await verifyPassword(stored, 'wrong horse')).toBe(false);
    // A row whose hash was written by something else must never let a password in.
    expect(await verifyPassword('not-an-argon2-hash', 'correct horse')).toBe(false);
    expect(await verifyPassword('', '')).toBe(false);
  });
});
