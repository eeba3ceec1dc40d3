import type { EventRepository } from '@challenges/db';
import type { Logger } from 'pino';

/**
 * Deletes dedup rows and applied batch ids older than the 24 h window, now and then every
 * `intervalMs`. Every replica runs it; the repository's advisory lock makes all but one skip.
 */
export function startHousekeeping(options: {
  events: EventRepository;
  intervalMs: number;
  log: Logger;
}): { stop(): Promise<void> } {
  const { events, log } = options;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = events.housekeep().then(
      (result) => {
        if (result.dedupDeleted + result.batchesDeleted > 0) log.info(result, 'housekeeping done');
      },
      (error: unknown) => log.warn({ err: error }, 'housekeeping failed; next round retries'),
    );
  };
  run();
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
