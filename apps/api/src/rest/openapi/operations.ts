import type { CoreErrorCode } from '@challenges/core';
import type { z } from 'zod';
import {
  ZBatchSelectBody,
  ZChallengeParams,
  ZClockBody,
  ZGoalParams,
  ZHttpBatch,
  ZListQuery,
  ZProfileBody,
  ZProfileParams,
  ZRandomSelectBody,
  ZSetActiveBody,
} from '../../edge/inputs.ts';
import {
  ZPlayerAttributesBody,
  ZPlayerAttributesResponse,
  ZPlayerParams,
} from '../player-attributes.routes.ts';
import { ZStreamQuery } from '../stream.routes.ts';
import {
  ZClaimRewardResponse,
  ZClockState,
  ZDeletePlayerDataResponse,
  ZEventsAccepted,
  ZGetChallengesResponse,
  ZGoalSelectionResponse,
  ZHealthResponse,
  ZInitializeResponse,
  ZProfileResult,
  ZRotationStatusResponse,
  ZSetGoalActiveResponse,
} from './responses.schema.ts';

/** Who may call: each maps to security schemes in the document. */
export type Access = 'public' | 'player' | 'ingestKey' | 'adminKey' | 'adminKeyOrSession';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template under BASE_PATH (or at the root with `atRoot`). */
  path: string;
  atRoot?: true;
  operationId: string;
  tag: 'Challenges' | 'Players' | 'Events' | 'Admin' | 'Service';
  summary: string;
  description?: string;
  access: Access;
  /** The schemas the handler parses its input with (edge/inputs.ts). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success answer: a schema of responses.schema.ts, or another media type. */
  response:
    | { status: 200 | 202; schema: z.ZodType }
    | { status: 200; mediaType: string; description: string };
  /** Refusals of the use case; those of access and input validation are added by the builder. */
  errors?: CoreErrorCode[];
  /** A 503 that is no error body (health). */
  unavailable?: z.ZodType;
}

const SNAKE_CASE =
  'Body field names are also accepted in snake_case (e.g. `is_active`, `goal_ids`).';

/** Every REST route the api serves besides tRPC; the authorization matrix holds the same list. */
export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/v1/challenges',
    operationId: 'getUserChallenges',
    tag: 'Challenges',
    summary: 'List challenges with the caller’s progress',
    description:
      'Every challenge and goal in definition order, merged with the caller’s rows. ' +
      '`activeOnly` (or `active_only`) keeps only goals with an active assignment. ' +
      'Localized names and descriptions follow `?locale=`, then `Accept-Language` (all player routes).',
    access: 'player',
    query: ZListQuery,
    response: { status: 200, schema: ZGetChallengesResponse },
  },
  {
    method: 'get',
    path: '/v1/challenges/stream',
    operationId: 'watchChallenges',
    tag: 'Challenges',
    summary: 'Stream the caller’s progress (Server-Sent Events)',
    description:
      'A `snapshot` event (the body of GET /v1/challenges) on connect, then a `change` event ' +
      '(`{"goals":[…]}`: the goals whose progress, status, activation or rotation changed) ' +
      'within 250 ms (p95) of the worker’s commit. Event ids are monotonic per player; ' +
      '`Last-Event-ID` (header, or `lastEventId`) resumes within a 10-minute window, else a ' +
      'fresh snapshot. Comment heartbeats every 15 s; `event: close` on shutdown and when the ' +
      'token expires; 429 over STREAM_MAX_PER_PLAYER open streams (docs/push.md).',
    access: 'player',
    query: ZStreamQuery,
    response: {
      status: 200,
      mediaType: 'text/event-stream',
      description: 'snapshot, change and close events',
    },
  },
  {
    method: 'post',
    path: '/v1/challenges/initialize',
    operationId: 'initializePlayer',
    tag: 'Challenges',
    summary: 'Assign the default goals',
    description: 'Idempotent; meant to be called on every login. Answers all active assignments.',
    access: 'player',
    response: { status: 200, schema: ZInitializeResponse },
  },
  {
    method: 'put',
    path: '/v1/challenges/{challengeId}/goals/{goalId}/active',
    operationId: 'setGoalActive',
    tag: 'Challenges',
    summary: 'Activate or deactivate a goal',
    description: `Creates the assignment or flips it; progress is kept. ${SNAKE_CASE}`,
    access: 'player',
    params: ZGoalParams,
    body: ZSetActiveBody,
    response: { status: 200, schema: ZSetGoalActiveResponse },
    errors: ['NOT_FOUND', 'GOAL_ENDED'],
  },
  {
    method: 'post',
    path: '/v1/challenges/{challengeId}/goals/{goalId}/claim',
    operationId: 'claimGoalReward',
    tag: 'Challenges',
    summary: 'Claim the reward of a completed goal',
    description: 'Concurrent claims: exactly one succeeds, the others get 409; one grant.',
    access: 'player',
    params: ZGoalParams,
    response: { status: 200, schema: ZClaimRewardResponse },
    errors: [
      'NOT_FOUND',
      'NOT_COMPLETED',
      'GOAL_INACTIVE',
      'GOAL_ROTATED',
      'ALREADY_CLAIMED',
      'PREREQUISITES_NOT_MET',
      'CLAIM_WINDOW_CLOSED',
    ],
  },
  {
    method: 'post',
    path: '/v1/challenges/{challengeId}/goals/batch-select',
    operationId: 'batchSelectGoals',
    tag: 'Challenges',
    summary: 'Activate chosen goals of a challenge',
    description: `All or nothing; with \`replaceExisting\` the challenge’s other active goals are deactivated. ${SNAKE_CASE}`,
    access: 'player',
    params: ZChallengeParams,
    body: ZBatchSelectBody,
    response: { status: 200, schema: ZGoalSelectionResponse },
    errors: ['NOT_FOUND', 'GOAL_ENDED'],
  },
  {
    method: 'post',
    path: '/v1/challenges/{challengeId}/goals/random-select',
    operationId: 'randomSelectGoals',
    tag: 'Challenges',
    summary: 'Activate random goals of a challenge',
    description: `Uniform without replacement among goals not completed, unlocked and (with \`excludeActive\` or \`replaceExisting\`) inactive. ${SNAKE_CASE}`,
    access: 'player',
    params: ZChallengeParams,
    body: ZRandomSelectBody,
    response: { status: 200, schema: ZGoalSelectionResponse },
    errors: ['NOT_FOUND', 'INSUFFICIENT_GOALS'],
  },
  {
    method: 'get',
    path: '/v1/challenges/{challengeId}/rotation',
    operationId: 'getRotationStatus',
    tag: 'Challenges',
    summary: 'Rotation schedule and periods of a challenge',
    access: 'player',
    params: ZChallengeParams,
    response: { status: 200, schema: ZRotationStatusResponse },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/v1/users/me/data',
    operationId: 'deletePlayerData',
    tag: 'Players',
    summary: 'Delete every row of the caller (GDPR)',
    access: 'player',
    response: { status: 200, schema: ZDeletePlayerDataResponse },
  },
  {
    method: 'post',
    path: '/v1/events',
    operationId: 'ingestEvents',
    tag: 'Events',
    summary: 'Ingest a batch of login and stat events',
    description:
      'Server to server. 202 once every event is durably queued; one bad event refuses the ' +
      'whole batch and nothing is queued. `user_id` and `stat_code` are accepted too.',
    access: 'ingestKey',
    body: ZHttpBatch,
    response: { status: 202, schema: ZEventsAccepted },
  },
  {
    method: 'put',
    path: '/v1/players/{id}/attributes',
    operationId: 'putPlayerAttributes',
    tag: 'Players',
    summary: 'Replace a player’s attributes (audiences)',
    description:
      'Server to server, with an ingest key. Replaces the attributes whole; the player’s ' +
      'active goals now outside an audience are deactivated (docs/definitions.md#audiences).',
    access: 'ingestKey',
    params: ZPlayerParams,
    body: ZPlayerAttributesBody,
    response: { status: 200, schema: ZPlayerAttributesResponse },
  },
  {
    method: 'get',
    path: '/admin/v1/clock',
    operationId: 'getClock',
    tag: 'Admin',
    summary: 'The QA clock offset and the service’s now',
    access: 'adminKey',
    response: { status: 200, schema: ZClockState },
  },
  {
    method: 'post',
    path: '/admin/v1/clock',
    operationId: 'setClock',
    tag: 'Admin',
    summary: 'Shift now for every process of the stack (QA_CLOCK=enabled)',
    access: 'adminKey',
    body: ZClockBody,
    response: { status: 200, schema: ZClockState },
  },
  {
    method: 'post',
    path: '/admin/v1/profile',
    operationId: 'profileProcess',
    tag: 'Admin',
    summary: 'CPU or heap profile of a live process, summarised',
    access: 'adminKeyOrSession',
    body: ZProfileBody,
    response: { status: 200, schema: ZProfileResult },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/admin/v1/profiles/{id}',
    operationId: 'downloadProfile',
    tag: 'Admin',
    summary: 'Download a raw profile (kept for an hour)',
    access: 'adminKeyOrSession',
    params: ZProfileParams,
    response: {
      status: 200,
      mediaType: 'application/json',
      description: 'A .cpuprofile or .heapprofile file, for Chrome DevTools',
    },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthCheck',
    tag: 'Service',
    summary: 'Health of the service and its dependencies',
    description: '503 with the failed checks when PostgreSQL or Redis does not answer.',
    access: 'public',
    response: { status: 200, schema: ZHealthResponse },
    unavailable: ZHealthResponse,
  },
  {
    method: 'get',
    path: '/healthz',
    atRoot: true,
    operationId: 'healthCheckAtRoot',
    tag: 'Service',
    summary: 'Health, at the root for probes',
    access: 'public',
    response: { status: 200, schema: ZHealthResponse },
    unavailable: ZHealthResponse,
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Service',
    summary: 'This document',
    access: 'public',
    response: { status: 200, mediaType: 'application/json', description: 'OpenAPI 3.1' },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'getApiReference',
    tag: 'Service',
    summary: 'This document as a readable page',
    access: 'public',
    response: { status: 200, mediaType: 'text/html', description: 'A self-contained page' },
  },
];
