'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { Tabs } from '@/components/ui/tabs';
import { asDefinitions, type DefinitionsDraft, generalProblems } from '@/lib/definitions';
import { plural } from '@/lib/plural';
import { trpc } from '@/lib/trpc';
import { ChallengeForm } from './challenge-form';
import { DiffView } from './diff-view';
import { ImportExport, PublishButton } from './draft-actions';
import { useGoalStats } from './goal-stats-query';
import { JsonView } from './json-view';
import { VersionHistory } from './version-history';

type View = 'form' | 'json' | 'diff';

export default function ChallengesPage() {
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const [view, setView] = useState<View>('form');
  const [content, setContent] = useState<DefinitionsDraft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  const draft = useQuery({
    queryKey: ['challenge.draft'],
    queryFn: () => trpc.challenge.draft.query(),
  });
  const stats = useGoalStats();
  const [problems, setProblems] = useState<string[]>([]);

  // The server's draft replaces local state only while nothing local is unsaved.
  useEffect(() => {
    if (draft.data && !dirty) {
      setContent(asDefinitions(draft.data.content));
      setProblems(draft.data.problems);
    }
  }, [draft.data, dirty]);

  const latest = useRef(content);
  latest.current = content;
  const save = useMutation({
    mutationFn: (next: DefinitionsDraft) => trpc.challenge.updateDraft.mutate({ content: next }),
    onSuccess: async (result, saved) => {
      setProblems(result.problems);
      // Clean only once the refetched draft is in the cache (else the form would show the stale
      // one for a moment), and only if nothing was typed while the save was in flight.
      await queryClient.invalidateQueries({ queryKey: ['challenge.draft'] });
      if (latest.current === saved) setDirty(false);
      await queryClient.invalidateQueries({ queryKey: ['challenge.diffDraft'] });
    },
  });

  const edit = (next: DefinitionsDraft) => {
    setContent(next);
    setDirty(true);
    setPublished(null);
  };

  const liveVersion = draft.data?.liveVersion ?? null;
  const general = generalProblems(problems);
  return (
    <>
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
                {draft.data.updatedAt && ` at ${new Date(draft.data.updatedAt).toLocaleString()}`}
              </span>
            )}
          </span>
        }
        actions={<ImportExport canEdit={canEdit} />}
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
                  <Button
                    variant="secondary"
                    disabled={!dirty}
                    onClick={() => {
                      setDirty(false);
                      setContent(asDefinitions(draft.data?.content));
                    }}
                  >
                    Discard
                  </Button>
                  <Button
                    variant="secondary"
                    disabled={!dirty || !content}
                    busy={save.isPending}
                    onClick={() => content && save.mutate(content)}
                  >
                    Save draft
                  </Button>
                  <PublishButton
                    disabled={dirty || problems.length > 0}
                    onPublished={(version) => setPublished(version)}
                  />
                </>
              )}
            </>
          }
        >
          {published !== null && (
            <p
              role="status"
              className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-700"
            >
              Published version {published}.
            </p>
          )}
          <ErrorText error={save.error} />
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
          </div>
        </Card>
        <Card title="Version history">
          <VersionHistory />
        </Card>
      </div>
    </>
  );
}
