import type { ChallengeView, Definitions } from '@challenges/core';
import { encodeChallengesWire } from './challenges-wire.ts';

/**
 * GetUserChallenges' answer as the handler hands it to grpc-js: the views, encoded only by the
 * method's `responseSerialize` (`serializeChallengesWire`, server.ts). grpc-js calls it and at
 * once copies the bytes into its own frame (`serializeMessage`: `Buffer.allocUnsafe(n + 5)`,
 * `copy`, no await between), so every call can encode into one reused buffer. A fresh ~110 KB
 * buffer per call (the estimate for 500 goals) was external memory for V8 to account and
 * collect: the garbage collector took 12.5 % of the api's main thread under the gRPC bench
 * against 0.6 % for REST, whose bodies come from a pool (docs/performance.md, hot reads, fourth pass).
 */
export interface ChallengesWireAnswer {
  definitions: Definitions;
  views: readonly ChallengeView[];
}

let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/** Hands out the scratch buffer, replaced by a bigger one when a response needs more. */
function scratchAllocate(size: number): Uint8Array {
  if (scratch.length < size) scratch = Buffer.allocUnsafeSlow(size);
  return scratch;
}

/**
 * The protobuf bytes of an answer, in the shared scratch buffer: valid until the next call, so
 * only for a caller that copies them before anything else runs (grpc-js's serialize step). A
 * Buffer is passed through (what the method's handler returned before this type existed).
 */
export function serializeChallengesWire(answer: ChallengesWireAnswer | Buffer): Buffer {
  if (Buffer.isBuffer(answer)) return answer;
  const bytes = encodeChallengesWire(answer.definitions, answer.views, scratchAllocate);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
