import { CoreError } from '@challenges/core';

export interface VerificationSlots {
  /** Runs `work` in a free slot, or refuses at once with RATE_LIMITED when none is free. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * A cap on concurrent password checks in this process. One argon2id verification is ~25 ms of a
 * core and 19 MiB; without a cap a flood of sign-ins (unknown emails cost one too) would occupy
 * every core and libuv thread. Refusing instead of queueing keeps the answer to the excess fast
 * and memory flat; a person retries, a flood gets nothing.
 */
export function verificationSlots(max: number): VerificationSlots {
  let active = 0;
  return {
    async run(work) {
      if (active >= max) {
        throw new CoreError('RATE_LIMITED', 'too many sign-ins at once; try again in a moment');
      }
      active += 1;
      try {
        return await work();
      } finally {
        active -= 1;
      }
    },
  };
}
