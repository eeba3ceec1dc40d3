/** The player API's shapes (docs/api.md), as a game client sees them. */

export interface GoalState {
  challengeId: string;
  goalId: string;
  progress: number;
  status: 'not_started' | 'in_progress' | 'completed' | 'claimed';
  locked: boolean;
  completedAt: string;
  claimedAt: string;
  isActive: boolean;
  expiresAt: string;
  expiresInSeconds: number;
}

export interface Goal extends Omit<GoalState, 'challengeId'> {
  name: string;
  description: string;
  requirement: { statCode: string; operator: string; targetValue: number };
  reward: { type: string; rewardId: string; quantity: number };
  prerequisites: string[];
}

export interface Challenge {
  challengeId: string;
  name: string;
  description: string;
  goals: Goal[];
}

export interface ChallengesResponse {
  challenges: Challenge[];
}

/** A stream event: the whole list on connect, then the goals that changed. */
export type StreamEvent =
  | { type: 'snapshot'; id: string; challenges: Challenge[] }
  | { type: 'change'; id: string; goals: GoalState[] };

export interface ApiErrorBody {
  code: number;
  errorCode: string;
  message: string;
}
