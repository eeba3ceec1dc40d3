import type { StreamHub } from './stream-hub.ts';

/** What the player edges need of the push streams (start/push.ts builds it). */
export interface PushDeps {
  /** Open streams (roles api and all). */
  hub: StreamHub | undefined;
}
