import { Prisma } from './generated/prisma/client.ts';

/** Prisma's codes for a write that found nothing to do, rather than failing. */
export const PRISMA_UNIQUE_VIOLATION = 'P2002';
export const PRISMA_RECORD_NOT_FOUND = 'P2025';

/** The write's result, or null when Prisma refused it with `code` (a duplicate, a missing row). */
export async function nullOn<T>(
  code: typeof PRISMA_UNIQUE_VIOLATION | typeof PRISMA_RECORD_NOT_FOUND,
  write: Promise<T>,
): Promise<T | null> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === code) return null;
    throw error;
  }
}
