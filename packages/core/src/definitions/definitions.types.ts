import type { Audience } from '../audience/audience.types.ts';

/** Normalised, validated challenge definitions: what every rule works on. */
import type { Localization, LocalizedTexts } from '../i18n/i18n.types.ts';
import type { ScheduleWindow } from '../schedule/schedule.types.ts';

export type EventSource = 'login' | 'statistic';
export type ProgressMode = 'absolute' | 'relative' | 'increment';
export type RewardType = 'ITEM' | 'WALLET';
export type Schedule = 'daily' | 'weekly' | 'monthly';
export type WeekDay =
  | 'monday'
  | 'tuesday'
  | 'wednesday'
  | 'thursday'
  | 'friday'
  | 'saturday'
  | 'sunday';

export interface Rotation {
  schedule: Schedule;
  /** IANA zone, default "UTC". */
  timezone: string;
  /** Default "monday"; only used by weekly schedules. */
  weekStartsOn: WeekDay;
  resetProgress: boolean;
  allowReselection: boolean;
}

export interface Requirement {
  statCode: string;
  operator: '>=';
  targetValue: number;
  progressMode: ProgressMode;
}

export interface Reward {
  type: RewardType;
  rewardId: string;
  quantity: number;
}

/** One arm of a goal's A/B experiment (docs/definitions.md, "A/B variants"); null: the goal's. */
export interface GoalVariant {
  variantId: string;
  /** Relative weight (> 0). */
  weight: number;
  targetValue: number | null;
  reward: Reward | null;
  name: string | null;
  description: string | null;
}

export interface GoalDef {
  goalId: string;
  challengeId: string;
  name: string;
  description: string;
  eventSource: EventSource;
  requirement: Requirement;
  reward: Reward;
  prerequisites: readonly string[];
  defaultAssigned: boolean;
  /** null when the goal does not rotate. */
  rotation: Rotation | null;
  /** Legacy `type: "increment"` with `daily: true`: at most +1 per day. */
  dailyIncrement: boolean;
  /** Legacy `type: "daily"`: completes on the first event of the day, progress shows 1. */
  completesOnFirstEvent: boolean;
  /** i18n: the locale maps; `name`/`description` above are then the default locale's text. */
  text?: LocalizedTexts;
  /** Who may see, be assigned and progress the goal (absent: everyone). */
  audience?: Audience;
  /** The goal's own `schedule` (SPEC §2.4); absent when it has none. */
  schedule?: ScheduleWindow;
  /** Set on the definitions players see (`definitionsAt`) once the goal's window has ended. */
  ended?: boolean;
  /** A/B variants (≥ 2); absent when the goal has none. */
  variants?: readonly GoalVariant[];
  /** Set on the goal as one variant's players play it (variants/variant-goal.ts), never parsed. */
  variantId?: string;
}

export interface ChallengeDef {
  challengeId: string;
  name: string;
  description: string;
  goals: readonly GoalDef[];
  /** i18n: as on GoalDef. */
  text?: LocalizedTexts;
  /** Who may see, be assigned and progress the challenge (absent: everyone). */
  audience?: Audience;
  /** The challenge's `schedule` (SPEC §2.4); its goals' windows lie within it. */
  schedule?: ScheduleWindow;
}

export interface Definitions {
  /** In file order. */
  challenges: readonly ChallengeDef[];
  challengesById: ReadonlyMap<string, ChallengeDef>;
  goalsById: ReadonlyMap<string, GoalDef>;
  /** Goals whose requirement.statCode is this code (statistic goals only). */
  goalsByStatCode: ReadonlyMap<string, readonly GoalDef[]>;
  loginGoals: readonly GoalDef[];
  /** i18n: set when the file has `defaultLocale` or a locale map (i18n/localize-definitions.ts). */
  localization?: Localization;
}
