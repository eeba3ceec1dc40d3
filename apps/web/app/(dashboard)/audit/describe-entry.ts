import { plural } from '@/lib/plural';

type Summary = Record<string, unknown>;

function listed(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** A publish's or rollback's diff summary in a few words. */
function describeChanges(summary: Summary): string {
  const goals = (summary.goals ?? {}) as Summary;
  const challenges = (summary.challenges ?? {}) as Summary;
  const parts = [
    listed(challenges.added) && `${plural(listed(challenges.added), 'challenge')} added`,
    listed(challenges.removed) && `${plural(listed(challenges.removed), 'challenge')} removed`,
    listed(goals.added) && `${plural(listed(goals.added), 'goal')} added`,
    listed(goals.removed) && `${plural(listed(goals.removed), 'goal')} removed`,
    listed(goals.changed) && `${plural(listed(goals.changed), 'goal')} changed`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no goal changes';
}

/** What an audit entry's summary says, for a person. */
export function describeEntry(action: string, raw: unknown): string {
  const summary = (typeof raw === 'object' && raw !== null ? raw : {}) as Summary;
  if (action === 'rollback') return `back to version ${summary.from}: ${describeChanges(summary)}`;
  if (action === 'publish') return describeChanges(summary);
  if (action.includes('schedule')) return describeScheduled(action, summary);
  if (action === 'import' && summary.goals) return describeChanges(summary);
  const validity =
    summary.valid === false
      ? `saved with ${plural(Number(summary.problems ?? 0), 'problem')}`
      : 'saved, valid';
  return summary.resetTo === undefined ? validity : `reset to live version ${summary.resetTo}`;
}

/** Scheduled publishes (docs/definitions.md, Schedules): which one, when, and what it changed. */
function describeScheduled(action: string, summary: Summary): string {
  const which = `#${summary.scheduledId} for ${summary.publishAt}`;
  if (action === 'cancel_scheduled_publish') return `cancelled ${which}`;
  if (action === 'schedule_publish') {
    return `scheduled ${which}: ${describeChanges((summary.changes ?? {}) as Summary)}`;
  }
  const note = summary.draftChangedSinceScheduled
    ? ' (the draft changed since; the scheduled snapshot was published)'
    : '';
  return `published ${which}: ${describeChanges(summary)}${note}`;
}
