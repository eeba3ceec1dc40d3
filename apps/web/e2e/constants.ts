/** Credentials and keys the e2e stack starts with (never used outside the throwaway stack). */
export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'admin-password-e2e' };
export const E2E_INGEST_KEY = 'e2e-ingest-key-0123456789';
