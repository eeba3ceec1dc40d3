import { Prisma } from './generated/prisma/client.ts';

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}

/** The row, or null when a unique constraint refused it (P2002: "unique constraint failed"). */
export async function nullWhenDuplicate<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (error) {
    if (hasCode(error, 'P2002')) return null;
    throw error;
  }
}

/** The row, or null when the row to update did not exist (P2025: "record not found"). */
export async function nullWhenMissing<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (error) {
    if (hasCode(error, 'P2025')) return null;
    throw error;
  }
}
