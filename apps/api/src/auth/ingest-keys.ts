import { sameSecret } from './same-secret.ts';

/** Who may POST events. Keys created in the dashboard plug in behind the same interface. */
export interface IngestKeyVerifier {
  verify(key: string): Promise<boolean>;
}

/** Keys from INGEST_API_KEYS; compared in constant time so timing does not leak a key. */
export function staticIngestKeys(keys: readonly string[]): IngestKeyVerifier {
  return {
    verify: async (key) => {
      let ok = false;
      for (const candidate of keys) ok = sameSecret(key, candidate) || ok;
      return ok;
    },
  };
}

/** Accepts a key when any verifier does (env keys first: no database round trip). */
export function anyIngestKey(verifiers: readonly IngestKeyVerifier[]): IngestKeyVerifier {
  return {
    verify: async (key) => {
      for (const verifier of verifiers) if (await verifier.verify(key)) return true;
      return false;
    },
  };
}
