import { type Definitions, parseDefinitions } from '@challenges/core';
import type { Logger } from 'pino';
import type { DefinitionsSource } from './definitions-source.ts';
import type { RedisClient } from './redis-client.ts';
import { subscribeWhileReachable } from './redis-subscribe.ts';

/**
 * What the source needs from the definition store (packages/db's DefinitionRepository fits):
 * kept structural so the runtime does not depend on the database package.
 */
export interface DefinitionsStoreReader {
  getLive(): Promise<{ version: number; content: unknown } | null>;
  getLiveVersion(): Promise<number | null>;
}

export interface DefinitionsChange {
  definitions: Definitions;
  version: number;
  previousVersion: number;
}

/** A source that follows the published versions of the definition store (docs/definitions.md). */
export interface LiveDefinitionsSource extends DefinitionsSource {
  /** Called after each swap; returns the unsubscribe function. */
  onChange(listener: (change: DefinitionsChange) => void): () => void;
}

export function definitionsChannel(prefix: string): string {
  return `${prefix}:definitions:published`;
}

/**
 * Tells every process of the stack that `version` is live. Best effort: a lost message only
 * delays the switch until the next periodic check (≤ pollMs).
 */
export async function announceDefinitionsPublished(
  redis: RedisClient,
  prefix: string,
  version: number,
): Promise<void> {
  await redis.publish(definitionsChannel(prefix), String(version));
}

export interface DatabaseDefinitionsSourceOptions {
  store: DefinitionsStoreReader;
  /** A connection of its own: a subscribed ioredis client can do nothing else. */
  subscriber?: RedisClient | null;
  prefix: string;
  log: Logger;
  /** The fallback version check; 1 s keeps "publish → every process" under the 2 s promise. */
  pollMs?: number;
}

type RefreshTrigger = 'signal' | 'poll' | 'refresh';

function problemsOf(error: unknown): readonly string[] {
  const details = (error as { details?: readonly string[] }).details;
  if (details && details.length > 0) return details;
  return [error instanceof Error ? error.message : String(error)];
}

/**
 * Serves the live published version and switches to a new one when the store says so: on the
 * Redis signal, or when the periodic check sees another live version. The new version is parsed
 * completely before one assignment swaps it in, so a request that already took `current()`
 * finishes on the old object and nobody ever sees half a version. A version that does not parse
 * (e.g. written by a newer release with rules this one lacks) is logged once and not served.
 */
export async function databaseDefinitionsSource(
  options: DatabaseDefinitionsSourceOptions,
): Promise<LiveDefinitionsSource> {
  const { store, subscriber, prefix, log } = options;
  const channel = definitionsChannel(prefix);
  const live = await store.getLive();
  if (!live) throw new Error('the definition store has no published version');
  let state: { definitions: Definitions; version: number };
  try {
    state = { definitions: parseDefinitions(live.content), version: live.version };
  } catch (error) {
    const problems = problemsOf(error);
    throw new Error(`live definitions version ${live.version} is invalid: ${problems.join('; ')}`);
  }
  const listeners = new Set<(change: DefinitionsChange) => void>();
  let rejectedVersion: number | null = null;
  let failing = false;

  // `trigger` is logged with the switch so tests and operators can tell the signal from the poll.
  const swapTo = (version: number, content: unknown, trigger: RefreshTrigger) => {
    let definitions: Definitions;
    try {
      definitions = parseDefinitions(content);
    } catch (error) {
      rejectedVersion = version;
      log.error(
        { version, keptVersion: state.version, problems: problemsOf(error) },
        'definitions version is invalid; keeping the current one',
      );
      return;
    }
    const previousVersion = state.version;
    state = { definitions, version };
    log.info({ version, previousVersion, trigger }, 'definitions version switched');
    for (const listener of listeners) {
      try {
        listener({ definitions, version, previousVersion });
      } catch (error) {
        log.error({ err: error }, 'definitions change listener failed');
      }
    }
  };

  // Reads only the version number unless it is new: every process runs this each second.
  const load = async (trigger: RefreshTrigger) => {
    const version = await store.getLiveVersion();
    if (version === null || version === state.version || version === rejectedVersion) return;
    const loaded = await store.getLive();
    // The live version may move back between the two reads (a restored database, a failover).
    if (!loaded || loaded.version === state.version || loaded.version === rejectedVersion) {
      return;
    }
    swapTo(loaded.version, loaded.content, trigger);
  };

  const check = async (trigger: RefreshTrigger) => {
    try {
      await load(trigger);
      if (failing) log.info('definitions: the live version can be checked again');
      failing = false;
    } catch (error) {
      // Logged once per outage, not every second; the current version keeps being served.
      if (!failing) log.warn({ err: error }, 'definitions: could not check the live version');
      failing = true;
    }
  };

  // One check at a time; a trigger during a check queues exactly one more, so a signal that
  // arrives while an older version is being loaded is never lost.
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const refresh = (trigger: RefreshTrigger = 'refresh'): Promise<void> => {
    if (!running) {
      running = check(trigger).finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running.then(() => {
      queued = null;
      return refresh(trigger);
    });
    return queued;
  };

  const onMessage = (ch: string) => {
    if (ch === channel) void refresh('signal');
  };
  if (subscriber) {
    subscriber.on('message', onMessage);
    await subscribeWhileReachable(subscriber, channel, (error) => {
      log.warn({ err: error }, 'definitions: could not subscribe; polling only');
    });
  }
  const timer = setInterval(() => void refresh('poll'), options.pollMs ?? 1000);
  timer.unref();

  return {
    current: () => state.definitions,
    version: () => state.version,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh: () => refresh(),
    close: async () => {
      clearInterval(timer);
      if (subscriber) {
        subscriber.off('message', onMessage);
        subscriber.disconnect();
      }
      await running?.catch(() => {});
    },
  };
}
