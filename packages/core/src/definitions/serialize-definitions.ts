import { serializeAudience } from '../audience/serialize-audience.ts';
import { serializeWindow } from '../schedule/schedule-window.ts';
import { serializeVariants } from '../variants/normalize-variants.ts';
import type { DefinitionsFile } from './definitions.schema.ts';
import type { Definitions, GoalDef } from './definitions.types.ts';

type FileGoal = DefinitionsFile['challenges'][number]['goals'][number];

function serializeGoal(goal: GoalDef): FileGoal {
  const out: FileGoal = {
    goalId: goal.goalId,
    name: goal.text?.name ?? goal.name,
    description: goal.text?.description ?? goal.description,
    eventSource: goal.eventSource,
    requirement: {
      statCode: goal.requirement.statCode,
      operator: goal.requirement.operator,
      targetValue: goal.requirement.targetValue,
      progressMode: goal.requirement.progressMode,
    },
    reward: {
      type: goal.reward.type,
      rewardId: goal.reward.rewardId,
      quantity: goal.reward.quantity,
    },
    prerequisites: [...goal.prerequisites],
    defaultAssigned: goal.defaultAssigned,
  };
  // These two behaviours only exist as legacy keys, so they are written the legacy way.
  if (goal.completesOnFirstEvent) out.type = 'daily';
  if (goal.dailyIncrement) {
    out.type = 'increment';
    out.daily = true;
  }
  if (goal.rotation !== null) {
    out.rotation = {
      enabled: true,
      type: 'global',
      schedule: goal.rotation.schedule,
      timezone: goal.rotation.timezone,
      weekStartsOn: goal.rotation.weekStartsOn,
      onExpiry: {
        resetProgress: goal.rotation.resetProgress,
        allowReselection: goal.rotation.allowReselection,
      },
    };
  }
  if (goal.audience !== undefined) out.audience = serializeAudience(goal.audience);
  if (goal.schedule !== undefined) out.schedule = serializeWindow(goal.schedule);
  if (goal.variants !== undefined) out.variants = serializeVariants(goal.variants);
  return out;
}

/**
 * The definitions as a file (camelCase, canonical keys): what export writes and the dashboard's
 * JSON view shows. parseDefinitions of the result gives back equivalent definitions.
 */
export function serializeDefinitions(definitions: Definitions): DefinitionsFile {
  const file: DefinitionsFile = {
    challenges: definitions.challenges.map((challenge) => ({
      challengeId: challenge.challengeId,
      name: challenge.text?.name ?? challenge.name,
      description: challenge.text?.description ?? challenge.description,
      goals: challenge.goals.map(serializeGoal),
      ...(challenge.audience === undefined
        ? {}
        : { audience: serializeAudience(challenge.audience) }),
      ...(challenge.schedule ? { schedule: serializeWindow(challenge.schedule) } : {}),
    })),
  };
  // i18n: written only when the file had it (or has locale maps), so today's files stay as they are.
  if (definitions.localization) {
    return { defaultLocale: definitions.localization.defaultLocale, ...file };
  }
  return file;
}
