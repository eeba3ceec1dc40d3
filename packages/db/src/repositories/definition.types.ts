export const DEFINITION_AUDIT_ACTIONS = [
  'publish',
  'rollback',
  'import',
  'update_draft',
  'schedule_publish',
  'cancel_scheduled_publish',
  'scheduled_publish',
] as const;
export type DefinitionAuditAction = (typeof DEFINITION_AUDIT_ACTIONS)[number];

/** A published version without its content (for version lists). */
export interface DefinitionVersionInfo {
  version: number;
  /** sha256 (hex) of the content's JSON text. */
  checksum: string;
  createdAt: Date;
  createdBy: string;
  note: string | null;
  /** True for the version every process serves now. */
  live: boolean;
}

export interface DefinitionVersion extends DefinitionVersionInfo {
  /** The canonical file format (core's serializeDefinitions). */
  content: unknown;
}

export interface LiveDefinitions {
  version: number;
  content: unknown;
}

export interface DefinitionDraft {
  /** Whatever was saved last, valid or not. */
  content: unknown;
  updatedAt: Date;
  updatedBy: string;
  /** The live version when the draft was last saved or published; null before any publish. */
  baseVersion: number | null;
}

export interface DefinitionAuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: DefinitionAuditAction;
  version: number | null;
  summary: unknown;
}

export interface SaveDraftInput {
  content: unknown;
  actor: string;
  /** `import` when a file was imported into the draft. */
  action?: 'update_draft' | 'import';
  summary?: unknown;
  /**
   * The draft's updatedAt the caller edited (null: no draft was saved yet). When given, a draft
   * saved since refuses the write with DraftConflictError instead of silently replacing it.
   */
  expectedUpdatedAt?: Date | null;
}

/** Who saved the draft last, and when. */
export interface DraftStamp {
  updatedAt: Date;
  updatedBy: string;
}

/** A draft write against a stale draft; `current` is null when there is no draft any more. */
export class DraftConflictError extends Error {
  override readonly name = 'DraftConflictError';
  constructor(readonly current: DraftStamp | null) {
    super('the draft was saved by someone else since it was read');
  }
}

export interface AuditFilter {
  /** Entries older than this id (the last id of the previous page). */
  before?: number;
  action?: DefinitionAuditAction;
}

export interface PublishInput {
  /** Already validated and in the canonical file format: the repository does not check it. */
  content: unknown;
  actor: string;
  note?: string | null;
  summary?: unknown;
}

export interface RollbackInput {
  /** The earlier version whose content becomes live again, as a new version. */
  version: number;
  actor: string;
  summary?: unknown;
  /** Also replace the draft with that content (when the draft held no unpublished edits). */
  resetDraft: boolean;
}

export interface PublishedVersion {
  version: number;
  createdAt: Date;
  checksum: string;
}
