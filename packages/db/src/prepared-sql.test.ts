import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { quoteLiteral } from './prepared-sql.ts';

// quoteLiteral replaces pg.escapeLiteral on the worker's batch statements for its allocation only:
// PostgreSQL must receive exactly the literal pg would have sent.
describe('quoteLiteral', () => {
  it('quotes every string exactly as pg.escapeLiteral does', () => {
    const pieces = ['a', "'", '\\', '"', 'é', '😀', '{', ',', ' ', 'NULL', "\\'", "''"];
    const samples = ['', "'", '\\', "it's", 'C:\\dir', '{"a","b\\"c"}', 'x'.repeat(10_000)];
    let seed = 13;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 5_000; i++) {
      const length = next() % 24;
      samples.push(Array.from({ length }, () => pieces[next() % pieces.length]).join(''));
    }
    for (const text of samples) expect(quoteLiteral(text), text).toBe(pg.escapeLiteral(text));
  });
});
