import { CoreError, type Definitions, parseDefinitions } from '@challenges/core';
import type { AppContext } from '../context.ts';

/**
 * The live version as the store has it now. Usually this process already serves it; right after
 * another process published, it is loaded from the store instead of waiting for the switch.
 */
export async function liveDefinitions(
  ctx: AppContext,
): Promise<{ version: number; definitions: Definitions } | null> {
  const { repository, source } = ctx.definitionStore;
  const version = await repository.getLiveVersion();
  if (version === null) return null;
  if (version === source.version()) return { version, definitions: source.current() };
  const live = await repository.getLive();
  if (!live) return null;
  try {
    return { version: live.version, definitions: parseDefinitions(live.content) };
  } catch {
    throw new CoreError(
      'INTERNAL',
      `live definitions version ${live.version} does not pass this release's validation`,
    );
  }
}
