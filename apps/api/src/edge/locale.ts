import {
  type Definitions,
  isLocalized,
  localizedDefinitions,
  localizeGoalView,
  negotiateLocale,
} from '@challenges/core';
import { z } from 'zod';
import type { GoalSelectionResult } from '../application/select-goals.ts';

/** Where a request says which locale it wants (REST: query + header; gRPC: metadata). */
export interface LocaleHints {
  /** The raw query object (REST), read for `locale`. */
  query?: unknown;
  acceptLanguage?: string | undefined;
}

// A malformed `?locale=` (a list, a huge string) is no error: the answer falls back to the
// default locale, as for any locale the definitions do not have.
const ZLocaleQuery = z
  .object({ locale: z.string().max(64).optional().catch(undefined) })
  .catch({ locale: undefined });

/**
 * The definitions to encode an answer with: the player's locale's text when the definitions
 * have more than one locale. For definitions without localized text this is one property
 * check, and `hints` (header and query reads) is never called.
 */
export function definitionsForLocale(
  definitions: Definitions,
  hints: () => LocaleHints,
): Definitions {
  if (!isLocalized(definitions)) return definitions;
  const { query, acceptLanguage } = hints();
  const locale = negotiateLocale({
    localization: definitions.localization,
    query: query === undefined ? undefined : ZLocaleQuery.parse(query).locale,
    acceptLanguage,
  });
  return localizedDefinitions(definitions, locale);
}

/** A select answer with the goals' text of `localized` (from definitionsForLocale). */
export function localizeSelection(
  result: GoalSelectionResult,
  localized: Definitions,
): GoalSelectionResult {
  return {
    ...result,
    selectedGoals: result.selectedGoals.map((v) => localizeGoalView(v, localized)),
  };
}
