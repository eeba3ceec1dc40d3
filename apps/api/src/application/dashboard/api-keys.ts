import { CoreError } from '@challenges/core';
import type { IngestApiKey, IngestApiKeyRepository } from '@challenges/db';
import { type CachedIngestKeyVerifier, newIngestKey } from '../../auth/ingest-api-keys.ts';

/** What the ingest API key use cases need. */
export interface ApiKeyDeps {
  apiKeys: IngestApiKeyRepository;
  /** A revoke clears its cache, so it applies on this replica at once. */
  apiKeyVerifier: CachedIngestKeyVerifier;
}

export interface CreatedIngestKey {
  key: IngestApiKey;
  /** The only time the plaintext exists outside the caller's hands. */
  plaintext: string;
}

export function listApiKeys({ apiKeys }: Pick<ApiKeyDeps, 'apiKeys'>): Promise<IngestApiKey[]> {
  return apiKeys.list();
}

export async function createApiKey(
  { apiKeys }: Pick<ApiKeyDeps, 'apiKeys'>,
  input: { name: string; createdBy: string },
): Promise<CreatedIngestKey> {
  const { plaintext, keyHash, prefix } = newIngestKey();
  const key = await apiKeys.create({
    name: input.name,
    keyHash,
    prefix,
    createdBy: input.createdBy,
  });
  return { key, plaintext };
}

export async function revokeApiKey(deps: ApiKeyDeps, input: { id: string }): Promise<IngestApiKey> {
  const revoked = await deps.apiKeys.revoke(input.id, new Date());
  if (!revoked) throw new CoreError('NOT_FOUND', `API key '${input.id}' not found`);
  deps.apiKeyVerifier.invalidate();
  return revoked;
}
