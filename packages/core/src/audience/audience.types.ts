/** A player attribute value: from a JWT claim or `PUT /v1/players/{id}/attributes`. */
export type AttributeValue = string | number | boolean;

export type PlayerAttributes = Readonly<Record<string, AttributeValue>>;

/** Every operator present must hold (docs/definitions.md#audiences). */
export interface AudienceRule {
  attr: string;
  in?: readonly AttributeValue[];
  notIn?: readonly AttributeValue[];
  gte?: number;
  lte?: number;
  exists?: boolean;
}

export interface Audience {
  /** Every rule holds (absent: no condition). */
  all?: readonly AudienceRule[];
  /** At least one rule holds (absent: no condition). */
  any?: readonly AudienceRule[];
  /** 0..100; absent means 100. In when the player's rollout bucket < rolloutPercent × 100. */
  rolloutPercent?: number;
}
