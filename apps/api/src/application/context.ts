import type {
  PlayerAttributesRepository,
  PlayerErasureRepository,
  PlayerHistoryRepository,
  ProgressRepository,
  RewardDeliveryRepository,
  RewardGrantListing,
  RewardGrantRepository,
} from '@challenges/db';
import type { Clock, DefinitionsSource, PushPublisher } from '@challenges/runtime';
import type { Pseudonymise } from '../privacy/pseudonym.ts';
import type { InlineRewardDelivery } from '../rewards/reward-delivery.ts';
import type { DefinitionStore } from './definitions/definition-store.ts';
import type { WebhookAdmin } from './webhooks.ts';

/** What the use cases need; REST, gRPC and tRPC edges share one instance. */
export interface AppContext {
  definitions: DefinitionsSource;
  /** Live-ops editing of the definitions: draft, versions, publish (application/definitions). */
  definitionStore: DefinitionStore;
  progress: ProgressRepository;
  /** GDPR deletion: progress rows, and the player's id in the reward tables. */
  playerErasure: PlayerErasureRepository;
  /** The keyed pseudonym that replaces a deleted player's id (privacy/pseudonym.ts). */
  pseudonymise: Pseudonymise;
  /** The dashboard's player search and per-player timeline (application/player-history.ts). */
  playerHistory: PlayerHistoryRepository;
  rewardGrants: RewardGrantRepository;
  rewards: InlineRewardDelivery;
  /** Delivery attempts, and the dashboard's retry of grants (application/reward-grants.ts). */
  rewardDeliveries: RewardDeliveryRepository;
  /** The dashboard's view of grants: pages and each grant's audit trail. */
  rewardGrantListing: RewardGrantListing;
  /** Player attributes for audiences (application/player-audience.ts). */
  playerAttributes: PlayerAttributesRepository;
  /** Outbound webhooks: configuration and the cached subscription gate (docs/webhooks.md). */
  webhooks: WebhookAdmin;
  /**
   * Tells the push streams (docs/push.md) that players' goals changed; the use cases that write
   * call it after their commit (announce.ts). Absent: nothing is announced. Never rejects.
   */
  push?: PushPublisher;
  clock: Clock;
  /** Uniform integer in [0, maxExclusive): crypto-strong in production. */
  randomInt: (maxExclusive: number) => number;
}
