'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { asDefinitions, type DefinitionsDraft } from '@/lib/definitions';
import { isConflict, useRefreshDraftOnConflict, useTRPC } from '@/lib/trpc';

/**
 * The draft as this editor holds it: the saved draft, local unsaved edits, and the revision those
 * edits started from, which every write sends so that a draft saved by someone else since is
 * refused instead of overwritten.
 */
export function useDraftEditor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refreshOnConflict = useRefreshDraftOnConflict();
  const [content, setContent] = useState<DefinitionsDraft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [baseRevision, setBaseRevision] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const draft = useQuery(trpc.challenge.draft.queryOptions());

  // The server's draft replaces local state only while nothing local is unsaved.
  useEffect(() => {
    if (draft.data && !dirty) {
      setContent(asDefinitions(draft.data.content));
      setProblems(draft.data.problems);
      setBaseRevision(draft.data.revision);
    }
  }, [draft.data, dirty]);

  const latest = useRef(content);
  latest.current = content;
  const save = useMutation(
    trpc.challenge.updateDraft.mutationOptions({
      onSuccess: async (result, saved) => {
        setProblems(result.problems);
        setBaseRevision(result.revision);
        // Clean only once the refetched draft is in the cache (else the form would show the
        // stale one for a moment), and only if nothing was typed while the save was in flight.
        await queryClient.invalidateQueries(trpc.challenge.draft.pathFilter());
        if (latest.current === saved.content) setDirty(false);
        await queryClient.invalidateQueries(trpc.challenge.diffDraft.pathFilter());
      },
      // Someone else saved: fetch their draft so the editor can compare it with theirs.
      onError: refreshOnConflict,
    }),
  );

  const conflict = isConflict(save.error) && dirty;
  return {
    draft,
    content,
    dirty,
    problems,
    baseRevision,
    save,
    conflict,
    edit(next: DefinitionsDraft) {
      setContent(next);
      setDirty(true);
    },
    saveMine() {
      if (content) save.mutate({ content, draftRevision: baseRevision });
    },
    /** After a conflict: keep mine, replacing the draft they saved (which the editor has seen). */
    overwrite() {
      if (content && draft.data) save.mutate({ content, draftRevision: draft.data.revision });
    },
    /** Drops local edits (Discard, or "reload theirs" after a conflict). */
    discard() {
      save.reset();
      setDirty(false);
      if (draft.data) setContent(asDefinitions(draft.data.content));
    },
  };
}
