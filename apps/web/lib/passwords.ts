/**
 * The api's minimum password length (apps/api/src/auth/passwords.ts), for the browser's own check
 * on every password form; the api checks again.
 */
export const MIN_PASSWORD_LENGTH = 8;
