import { z } from 'zod';

/**
 * `schedule {startsAt, endsAt, claimUntil}` on a challenge or a goal (SPEC §2.4), RFC 3339 with
 * an offset. Every key is optional; `claimUntil` needs `endsAt` and may not precede it, and
 * `startsAt` must be before `endsAt`.
 */
const instant = z.iso.datetime({
  offset: true,
  error: (iss) =>
    `schedule.${String(iss.path?.at(-1) ?? 'time')} must be an RFC 3339 time with an offset (e.g. 2026-12-24T18:00:00Z)`,
});

export const scheduleSchema = z
  .object({
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    claimUntil: instant.optional(),
  })
  .superRefine((schedule, ctx) => {
    const at = (value: string | undefined) => (value === undefined ? null : Date.parse(value));
    const startsAt = at(schedule.startsAt);
    const endsAt = at(schedule.endsAt);
    const claimUntil = at(schedule.claimUntil);
    if (startsAt !== null && endsAt !== null && startsAt >= endsAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: 'schedule.endsAt must be after schedule.startsAt',
      });
    }
    if (claimUntil !== null && endsAt === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['claimUntil'],
        message: 'schedule.claimUntil requires schedule.endsAt',
      });
    }
    if (claimUntil !== null && endsAt !== null && claimUntil < endsAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['claimUntil'],
        message: 'schedule.claimUntil must not be before schedule.endsAt',
      });
    }
  });

export type ParsedSchedule = z.output<typeof scheduleSchema>;
