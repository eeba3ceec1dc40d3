import { describe, expect, it } from 'vitest';
import { createPool, createPrismaClient } from './client.ts';
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

  it('retries what Prisma reports of a database it cannot reach', async () => {
    const pool = createPool({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/none' });
    try {
      const prisma = createPrismaClient(pool);
      const failure = await prisma.dashboardUser.count().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'P1001' });
      expect(isTransientDatabaseError(failure)).toBe(true);
      // A raw query (the definitions poll) fails as P2010 with the adapter's kind underneath.
      const raw = await prisma.$queryRaw`SELECT 1`.catch((error: unknown) => error);
      expect(raw).toMatchObject({ code: 'P2010' });
      expect(isTransientDatabaseError(raw)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('retries a Prisma error whose adapter saw a server shutdown, not a constraint violation', () => {
    const prismaError = (cause: object) =>
      Object.assign(new Error('Invalid invocation'), {
        code: 'P2010',
        meta: { driverAdapterError: { cause } },
      });
    expect(isTransientDatabaseError(prismaError({ kind: 'postgres', originalCode: '57P01' }))).toBe(
      true,
    );
    expect(isTransientDatabaseError(prismaError({ kind: 'ConnectionClosed' }))).toBe(true);
    expect(
      isTransientDatabaseError(
        prismaError({ kind: 'UniqueConstraintViolation', originalCode: '23505' }),
      ),
    ).toBe(false);
  });
});
