'use client';
import { useState } from 'react';
import { LeaveGuard } from '@/components/leave-guard';
import { PageHeader } from '@/components/page-header';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { Tabs } from '@/components/ui/tabs';
import { generalProblems } from '@/lib/definitions';
import { formatDateTime } from '@/lib/format-time';
import { plural } from '@/lib/plural';
import { ChallengeForm } from './challenge-form';
import { ConflictPanel } from './conflict-panel';
import { DiffView } from './diff-view';
import { ImportExport, PublishButton, ResetDraftButton } from './draft-actions';
import { useGoalStats } from './goal-stats-query';
import { JsonView } from './json-view';
import { LiveView } from './live-view';
import { SchedulePublishButton } from './schedule-publish-button';
import { useDraftEditor } from './use-draft-editor';
import { VersionHistory } from './version-history';

type View = 'form' | 'json' | 'diff' | 'live';

export default function ChallengesPage() {
  const canEdit = useCan('editor');
  const [view, setView] = useState<View>('form');
  const [notice, setNotice] = useState<string | null>(null);
  const editor = useDraftEditor();
  const { draft, content, dirty, problems, save } = editor;
  const stats = useGoalStats();

  const edit: typeof editor.edit = (next) => {
    editor.edit(next);
    setNotice(null);
  };

  const liveVersion = draft.data?.liveVersion ?? null;
  const general = generalProblems(problems);
  return (
    <>
      <LeaveGuard when={dirty} what="Your edits to the draft" />
      <PageHeader
        title="Challenges"
        description={
          <span className="flex flex-wrap items-center gap-2">
            Live version{' '}
            {draft.data && (
              <Badge tone="green">{liveVersion === null ? 'none' : `v${liveVersion}`}</Badge>
            )}
            {draft.data?.updatedBy && (
              <span>
                · draft saved by {draft.data.updatedBy}
                {draft.data.updatedAt && ` at ${formatDateTime(draft.data.updatedAt)}`}
              </span>
            )}
          </span>
        }
        actions={
          <ImportExport
            canEdit={canEdit}
            draftContent={draft.data?.content}
            draftRevision={draft.data?.revision ?? null}
            unsaved={dirty}
            onImported={editor.discard}
          />
        }
      />
      <div className="space-y-6">
        <Card
          title="Draft"
          actions={
            <>
              {dirty && <Badge tone="amber">unsaved changes</Badge>}
              {!dirty && problems.length > 0 && (
                <Badge tone="red">{plural(problems.length, 'problem')}</Badge>
              )}
              {!dirty && problems.length === 0 && draft.data && <Badge tone="green">valid</Badge>}
              {canEdit && (
                <>
                  <Button variant="secondary" disabled={!dirty} onClick={editor.discard}>
                    Discard
                  </Button>
                  <ResetDraftButton
                    liveVersion={liveVersion}
                    draftRevision={draft.data?.revision ?? null}
                    onReset={editor.discard}
                  />
                  <Button
                    variant="secondary"
                    disabled={!dirty || !content || editor.conflict}
                    busy={save.isPending && !editor.conflict}
                    onClick={editor.saveMine}
                  >
                    Save draft
                  </Button>
                  <PublishButton
                    disabled={dirty || problems.length > 0}
                    draftRevision={editor.baseRevision}
                    onPublished={(version) => setNotice(`Published version ${version}.`)}
                  />
                  <SchedulePublishButton
                    disabled={dirty || problems.length > 0}
                    draftRevision={editor.baseRevision}
                    onScheduled={(at) => setNotice(`Publish scheduled for ${at}.`)}
                  />
                </>
              )}
            </>
          }
        >
          {notice !== null && (
            <p
              role="status"
              className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-700"
            >
              {notice}
            </p>
          )}
          {editor.conflict && draft.data ? (
            <ConflictPanel
              error={save.error}
              theirs={draft.data.content}
              mine={content}
              busy={save.isPending}
              onReload={editor.discard}
              onOverwrite={editor.overwrite}
            />
          ) : (
            <ErrorText error={save.error} />
          )}
          {general.length > 0 && view !== 'form' && (
            <ul
              role="alert"
              className="mb-3 list-disc rounded-md bg-rose-50 py-2 pl-8 text-sm text-rose-700"
            >
              {general.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <Tabs
            label="Draft views"
            value={view}
            onChange={setView}
            items={[
              { id: 'form', label: 'Form' },
              { id: 'json', label: 'JSON' },
              { id: 'diff', label: 'Diff against live' },
              { id: 'live', label: liveVersion === null ? 'Live' : `Live v${liveVersion}` },
            ]}
          />
          <div className="pt-4">
            {draft.isPending && <Loading />}
            {draft.isError && <ErrorText error={draft.error} />}
            {draft.data && view === 'form' && content && (
              <ChallengeForm content={content} readOnly={!canEdit} stats={stats} onChange={edit} />
            )}
            {draft.data && view === 'form' && !content && (
              <p className="text-sm text-slate-500">
                The draft is not a definitions file; use the JSON view.
              </p>
            )}
            {draft.data && view === 'json' && (
              <JsonView
                content={content ?? draft.data.content}
                readOnly={!canEdit}
                onChange={edit}
              />
            )}
            {view === 'diff' &&
              (dirty ? (
                <p className="text-sm text-slate-500">Save the draft to compare it.</p>
              ) : (
                <DiffView />
              ))}
            {view === 'live' && <LiveView liveVersion={liveVersion} stats={stats} />}
          </div>
        </Card>
        <Card title="Version history">
          <VersionHistory
            onRolledBack={(result) =>
              setNotice(
                `Rolled back to version ${result.from}: it is live as version ${result.version}.`,
              )
            }
          />
        </Card>
      </div>
    </>
  );
}
