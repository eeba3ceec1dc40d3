import { readFileSync } from 'node:fs';
import {
  buildChallengeViews,
  definitionsAt,
  encodeChallengesJson,
  parseDefinitionsJson,
} from '@challenges/core';
import { plainChallengesResponse } from '@challenges/core/testing';
import { describe, expect, it } from 'vitest';
import { GetChallengesResponse } from '../gen/service/service.js';
import { encodeChallengesWire } from './challenges-wire.ts';

// Schedules (docs/definitions.md): an ended goal carries `ended` in REST (a key of its own) and
// gRPC (Goal.ended = 15); other goals are encoded exactly as before.
const file = new URL('../../../../fixtures/challenges.schedule.json', import.meta.url);
const raw = parseDefinitionsJson(readFileSync(file, 'utf8'));
const now = new Date('2026-12-26T00:00:00Z');
const definitions = definitionsAt(raw, now);
const views = buildChallengeViews({ definitions, views: new Map(), now, activeOnly: false });

describe('ended goals on the wire', () => {
  it('gRPC: ended true on ended goals only, byte for byte what ts-proto writes', () => {
    const bytes = encodeChallengesWire(definitions, views);
    const decoded = GetChallengesResponse.decode(bytes);
    const ended = decoded.challenges.flatMap((c) =>
      c.goals.filter((g) => g.ended).map((g) => g.goalId),
    );
    expect(ended).toEqual(['winter-christmas-eve', 'launch-logins']);
    expect(
      Buffer.from(bytes).equals(Buffer.from(GetChallengesResponse.encode(decoded).finish())),
    ).toBe(true);
  });

  it('REST: the same JSON as the field-by-field reference, ended only where ended', () => {
    const json = JSON.parse(new TextDecoder().decode(encodeChallengesJson(definitions, views)));
    expect(json).toEqual(plainChallengesResponse(views));
    const goals = json.challenges.flatMap((c: any) => c.goals);
    expect(goals.filter((g: any) => 'ended' in g).map((g: any) => g.goalId)).toEqual([
      'winter-christmas-eve',
      'launch-logins',
    ]);
  });
});
