/** A challenge's or goal's time window (SPEC §2.4); null = unbounded on that side. */
export interface ScheduleWindow {
  startsAt: Date | null;
  endsAt: Date | null;
  /** Claims of an ended goal are accepted until then; null = as long as the goal is listed. */
  claimUntil: Date | null;
}

/**
 * Where `now` falls in a window: `pending` before startsAt (invisible and inert), `open`, `ended`
 * at or after endsAt (listed with `ended: true`, progress frozen), claimable until claimUntil.
 */
export type SchedulePhase = 'pending' | 'open' | 'ended';
