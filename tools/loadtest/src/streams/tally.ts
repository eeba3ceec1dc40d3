import { LatencyHistogram } from '../histogram.ts';
import type { ChangedGoal } from './sse-reader.ts';

/**
 * What the streams scenario sent to each player and what their stream showed. Every event sets
 * the player's goal to the next value (absolute progress), so the last value acknowledged must
 * come out of the stream: a player whose stream never showed it has lost a change. Values the
 * worker folded into one batch arrive as one change; that is not a loss.
 */
export class StreamTally {
  private readonly sent: Int32Array;
  private readonly acked: Int32Array;
  private readonly seen: Int32Array;
  /** `${player}:${value}` → performance.now() of the send, until its change arrives. */
  private readonly sentAt = new Map<string, number>();
  readonly afterCommit = new LatencyHistogram();
  readonly endToEnd = new LatencyHistogram();
  /** Date.now() of every change received, to count those inside a window. */
  private readonly receivedAt: number[] = [];

  constructor(
    players: number,
    private readonly goalId: string,
  ) {
    this.sent = new Int32Array(players);
    this.acked = new Int32Array(players);
    this.seen = new Int32Array(players);
  }

  /** The goal's progress in the player's snapshot: the values sent continue from it. */
  start(player: number, progress: number): void {
    this.sent[player] = progress;
    this.acked[player] = progress;
    this.seen[player] = progress;
  }

  /** The value of the player's next event, its send time noted. */
  next(player: number, now: number): number {
    const value = ++this.sent[player]!;
    this.sentAt.set(`${player}:${value}`, now);
    return value;
  }

  ack(player: number, value: number): void {
    if (value > this.acked[player]!) this.acked[player] = value;
  }

  /** A change event read at `now` (performance.now()) / `epochNow` (Date.now()). */
  change(player: number, idMs: number, goals: ChangedGoal[], now: number, epochNow: number): void {
    for (const goal of goals) {
      if (goal.goalId !== this.goalId || goal.progress <= this.seen[player]!) continue;
      this.seen[player] = goal.progress;
      this.receivedAt.push(epochNow);
      this.afterCommit.record(epochNow - idMs);
      const key = `${player}:${goal.progress}`;
      const at = this.sentAt.get(key);
      if (at !== undefined) {
        this.endToEnd.record(now - at);
        this.sentAt.delete(key);
      }
    }
  }

  get changes(): number {
    return this.receivedAt.length;
  }

  /** Changes received between two Date.now() bounds. */
  changesBetween(from: number, to: number): number {
    return this.receivedAt.filter((t) => t >= from && t <= to).length;
  }

  /** Players whose last acknowledged value their stream has not shown (yet). */
  lost(): number {
    let n = 0;
    for (let i = 0; i < this.acked.length; i++) if (this.seen[i]! < this.acked[i]!) n++;
    return n;
  }
}
