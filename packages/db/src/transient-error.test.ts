import { describe, expect, it } from 'vitest';
import { isTransientDatabaseError } from './transient-error.ts';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('isTransientDatabaseError', () => {
  it('retries lost connections, shutdowns, overload and aborted transactions', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '08006', '57P01', '53300', '40P01']) {
      expect(isTransientDatabaseError(withCode(code))).toBe(true);
    }
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDatabaseError(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
  });

  it('does not retry errors the same batch would hit again', () => {
    for (const code of ['23505', '42P01', '22P02']) {
      expect(isTransientDatabaseError(withCode(code))).toBe(false);
    }
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientDatabaseError('ECONNREFUSED')).toBe(false);
  });
});
