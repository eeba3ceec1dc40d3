import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { Pool } from 'undici';
import { StatisticStatItemUpdatedServiceClient } from '../../apps/api/src/gen/accelbyte/social/statistic/v1/statistic.js';
import { fixture500 } from './scenarios.ts';

export const statCode = 'enemy_kills';
const basePath = '/challenge';
// One event in `sampleEvery` is followed until GET shows it: enough samples for a p95 without
// the polling (500-goal answers) eating the cores the worker is measured on.
const sampleEvery = 50;

/** The first of the fixture's goals tracking the stat: what GET must show moving. */
function trackedGoal(): string {
  const fixture = JSON.parse(readFileSync(fixture500, 'utf8')) as {
    challenges: { goals: { goalId: string; requirement: { statCode: string } }[] }[];
  };
  const goals = fixture.challenges.flatMap((c) => c.goals);
  const matching = goals.filter((g) => g.requirement.statCode === statCode);
  if (matching.length !== 100) {
    throw new Error(`expected 100 ${statCode} goals, got ${matching.length}`);
  }
  return matching[0]!.goalId;
}

/**
 * Stat events through the event gRPC service, each player's values increasing by one, and the
 * event → visible time of a sample of them (polling GET /v1/challenges until the value shows).
 */
export class ApplyLoad {
  readonly players: string[];
  readonly lastValue = new Map<string, number>();
  readonly visibleMs: number[] = [];
  sampling = true;
  /** Events sent so far. */
  seq = 0;
  private readonly goalId = trackedGoal();
  private readonly runId = Date.now().toString(36);
  private readonly client: StatisticStatItemUpdatedServiceClient;
  private readonly metadata = new Metadata();

  constructor(
    private readonly rest: Pool,
    eventsPort: number,
    players: number,
    ingestKey: string,
  ) {
    this.metadata.set('x-api-key', ingestKey);
    this.players = Array.from({ length: players }, (_, i) => `bench-apply-${i + 1}`);
    for (const p of this.players) this.lastValue.set(p, 0);
    this.client = new StatisticStatItemUpdatedServiceClient(
      `127.0.0.1:${eventsPort}`,
      credentials.createInsecure(),
    );
  }

  /** Assigns every goal of the fixture to every player (500 active rows each). */
  async initializePlayers(): Promise<void> {
    for (const player of this.players) {
      const res = await this.rest.request({
        method: 'POST',
        path: `${basePath}/v1/challenges/initialize`,
        headers: { 'x-mock-user-id': player, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await res.body.json()) as { totalActive?: number };
      if (body.totalActive !== 500) throw new Error(`initialize ${player}: ${body.totalActive}`);
    }
  }

  async progressShown(player: string): Promise<number> {
    const res = await this.rest.request({
      method: 'GET',
      path: `${basePath}/v1/challenges`,
      headers: { 'x-mock-user-id': player },
    });
    const body = (await res.body.json()) as {
      challenges: { goals: { goalId: string; progress: number }[] }[];
    };
    const goal = body.challenges.flatMap((c) => c.goals).find((g) => g.goalId === this.goalId);
    return goal?.progress ?? -1;
  }

  /** Sends event `i` (player i mod players); resolves on the ingest ack. */
  send = (i: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const player = this.players[i % this.players.length]!;
      const value = this.lastValue.get(player)! + 1;
      this.lastValue.set(player, value);
      const sentAt = performance.now();
      this.client.onMessage(
        {
          id: `${this.runId}-${++this.seq}`,
          namespace: 'test',
          timestamp: new Date().toISOString(),
          userId: player,
          payload: { statCode, latestValue: value, inc: 1 },
        },
        this.metadata,
        { deadline: Date.now() + 10_000 },
        (error: ServiceError | null) => {
          if (error) return reject(error);
          resolve();
          if (this.sampling && i % sampleEvery === 0) void this.follow(player, value, sentAt);
        },
      );
    });

  /** Followed in the background so the open loop keeps its rate. */
  private async follow(player: string, value: number, sentAt: number): Promise<void> {
    while (performance.now() - sentAt < 10_000) {
      if ((await this.progressShown(player)) >= value) {
        this.visibleMs.push(performance.now() - sentAt);
        return;
      }
      await sleep(10);
    }
  }

  async waitForSamples(atLeast: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (this.visibleMs.length < atLeast && Date.now() < deadline) await sleep(20);
  }

  expectedSamples(events: number): number {
    return Math.floor(events / sampleEvery) - 2;
  }

  close(): void {
    this.client.close();
  }
}
