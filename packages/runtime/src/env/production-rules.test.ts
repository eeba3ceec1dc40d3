import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseEnvWith } from './parse-env.ts';
import { checkSecretLengths, isLoopback, metricsHost } from './production-rules.ts';

describe('production rules', () => {
  it('names the variable and the length, never the value, and lists every problem', () => {
    const schema = z.object({ A: z.string(), B: z.string() }).superRefine((e, ctx) => {
      checkSecretLengths(ctx, true, { A: e.A, B: e.B.split(','), C: undefined });
    });
    expect(() => parseEnvWith(schema, { A: 'hunter2', B: `${'x'.repeat(32)},tiny` })).toThrow(
      /invalid configuration:\n {2}A: is 7 characters; .*\n {2}B: entry 2 of 2 is 4 characters/,
    );
    expect(() => parseEnvWith(schema, { A: 'hunter2', B: 'tiny' })).not.toThrow(/hunter2|tiny/);
  });

  it('loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '127.0.0.1.evil.example', 'example.com']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it('metrics host: explicit wins; production without a token means loopback', () => {
    const base = { host: undefined, token: undefined, fallback: '0.0.0.0' };
    expect(metricsHost({ ...base, production: false })).toBe('0.0.0.0');
    expect(metricsHost({ ...base, production: true })).toBe('127.0.0.1');
    expect(metricsHost({ ...base, production: true, token: 't' })).toBe('0.0.0.0');
    expect(metricsHost({ ...base, production: true, host: '10.1.1.1' })).toBe('10.1.1.1');
  });
});
