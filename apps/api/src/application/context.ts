import type { ProgressRepository, RewardGrantRepository } from '@challenges/db';
import type { Clock } from '../clock/clock.ts';
import type { DefinitionsSource } from '../definitions/definitions-source.ts';
import type { RewardDelivery } from '../rewards/reward-delivery.ts';

/** What the use cases need; REST, gRPC and tRPC edges share one instance. */
export interface AppContext {
  definitions: DefinitionsSource;
  progress: ProgressRepository;
  rewardGrants: RewardGrantRepository;
  rewards: RewardDelivery;
  clock: Clock;
  /** Uniform integer in [0, maxExclusive): crypto-strong in production. */
  randomInt: (maxExclusive: number) => number;
}
