'use client';
import { PageHeader } from '@/components/page-header';
import { ScheduleWindows } from './schedule-windows';
import { ScheduledPublishes } from './scheduled-publishes';

/**
 * The calendar of live-ops (docs/definitions.md, Schedules): drafts scheduled to publish, with
 * cancel, and the windows of the live challenges and goals.
 */
export default function SchedulePage() {
  return (
    <>
      <PageHeader
        title="Schedule"
        description="Scheduled publishes and the time windows of the live challenges and goals."
      />
      <div className="space-y-6">
        <ScheduledPublishes />
        <ScheduleWindows />
      </div>
    </>
  );
}
