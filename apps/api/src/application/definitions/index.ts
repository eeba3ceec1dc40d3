// The live-ops definition use cases (docs/definitions.md), exposed by the tRPC `challenge` router.
export type { DefinitionStore } from './definition-store.ts';
export { MAX_DEFINITIONS_BYTES } from './definitions.input.ts';
export {
  type DraftDiff,
  type DraftView,
  diffDraft,
  getDraft,
  resetDraftToLive,
  type SavedDraft,
  updateDraft,
  validateDraft,
} from './draft.ts';
export { listAudit, listVersions } from './history.ts';
export {
  exportDefinitions,
  type ImportResult,
  importDefinitions,
  previewImport,
} from './import-export.ts';
export { type PublishResult, publishDraft, rollback } from './publish.ts';
export {
  cancelScheduledPublish,
  listScheduledPublishes,
  runDueScheduledPublishes,
  schedulePublish,
  startScheduledPublishPoller,
} from './scheduled-publish.ts';
