import { UserLoggedIn } from '../../../apps/api/src/gen/accelbyte/iam/account/v1/account.js';
import { StatItemUpdated } from '../../../apps/api/src/gen/accelbyte/social/statistic/v1/statistic.js';
import { UnaryClient } from './h2-unary.ts';
import { encodeHeaderBlock } from './hpack.ts';

export { GrpcCallError } from './h2-connection.ts';

const LOGIN = '/accelbyte.iam.account.v1.UserAuthenticationUserLoggedInService/OnMessage';
const STAT = '/accelbyte.social.statistic.v1.StatisticStatItemUpdatedService/OnMessage';
const DEADLINE_MS = 10_000;

/** The AccelByte event calls the load sends; each resolves on the ingest's OK. */
export interface EventSender {
  login(event: { id: string; userId: string; timestamp: string }): Promise<void>;
  stat(event: {
    id: string;
    userId: string;
    timestamp: string;
    statCode: string;
    value: number;
  }): Promise<void>;
  close(): void;
}

/** The event sender of a run: the one place its gRPC channel and call headers are made. */
export function createEventSender(
  address: string,
  namespace: string,
  ingestKey?: string,
): EventSender {
  // Call metadata every event carries: the ingest API key travels as `x-api-key`.
  const headers = (path: string) =>
    encodeHeaderBlock([
      [':method', 'POST'],
      [':scheme', 'http'],
      [':path', path],
      [':authority', address],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
      ['grpc-timeout', `${DEADLINE_MS}m`],
      ...(ingestKey ? [['x-api-key', ingestKey] as [string, string]] : []),
    ]);
  const loginHeaders = headers(LOGIN);
  const statHeaders = headers(STAT);
  const channel = new UnaryClient(address, DEADLINE_MS);
  return {
    login: (e) => channel.call(loginHeaders, UserLoggedIn.encode({ ...e, namespace }).finish()),
    stat: (e) =>
      channel.call(
        statHeaders,
        StatItemUpdated.encode({
          id: e.id,
          namespace,
          userId: e.userId,
          timestamp: e.timestamp,
          payload: { statCode: e.statCode, latestValue: e.value, inc: 1 },
        }).finish(),
      ),
    close: () => channel.close(),
  };
}
