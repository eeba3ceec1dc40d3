import type { PrismaClient } from '../generated/prisma/client.ts';

export interface IngestApiKey {
  id: string;
  name: string;
  /** The first characters of the plaintext key, so an admin can tell keys apart. */
  prefix: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

export interface IngestApiKeyRepository {
  list(): Promise<IngestApiKey[]>;
  create(input: {
    name: string;
    keyHash: string;
    prefix: string;
    createdBy: string;
  }): Promise<IngestApiKey>;
  /** Sets revoked_at once; null when the key does not exist. */
  revoke(id: string, at: Date): Promise<IngestApiKey | null>;
  /** true when a key with this hash exists and is not revoked. */
  isActiveHash(keyHash: string): Promise<boolean>;
}

const KEY_SELECT = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  createdBy: true,
  revokedAt: true,
} as const;

export function createIngestApiKeyRepository(prisma: PrismaClient): IngestApiKeyRepository {
  const keys = prisma.ingestApiKey;
  return {
    list: () =>
      keys.findMany({ select: KEY_SELECT, orderBy: [{ createdAt: 'desc' }, { name: 'asc' }] }),

    create: (input) => keys.create({ data: input, select: KEY_SELECT }),

    async revoke(id, at) {
      // Set once: revoking again keeps the first time.
      await keys.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return keys.findUnique({ where: { id }, select: KEY_SELECT });
    },

    async isActiveHash(keyHash) {
      const key = await keys.findFirst({
        where: { keyHash, revokedAt: null },
        select: { id: true },
      });
      return key !== null;
    },
  };
}
