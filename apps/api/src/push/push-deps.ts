import type { StreamHub } from './stream-hub.ts';
import type { StreamMetrics } from './stream-metrics.ts';

/** What the player edges need of the push streams (start/push.ts builds it). */
export interface PushDeps {
  /** Open streams (roles api and all). */
  hub: StreamHub | undefined;
  /** Refusals and cut-offs, counted by the edges (the hub counts the rest). */
  metrics?: StreamMetrics;
}
