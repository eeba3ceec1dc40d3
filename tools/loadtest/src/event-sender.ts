import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { UserLoggedIn } from '../../../apps/api/src/gen/accelbyte/iam/account/v1/account.js';
import { StatItemUpdated } from '../../../apps/api/src/gen/accelbyte/social/statistic/v1/statistic.js';

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

const asIs = (bytes: Buffer) => bytes;

/**
 * One grpc-js channel for both event services, called with bytes encoded here: no generated
 * client objects, one Metadata for every call. Where the ingest wants call metadata (an API key),
 * it is set once on `metadata` below.
 */
export function createEventSender(address: string, namespace: string): EventSender {
  const client = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  const call = (path: string, bytes: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      client.makeUnaryRequest(
        path,
        asIs,
        asIs,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        metadata,
        { deadline: Date.now() + DEADLINE_MS },
        (error: ServiceError | null) => (error ? reject(error) : resolve()),
      );
    });
  return {
    login: (e) => call(LOGIN, UserLoggedIn.encode({ ...e, namespace }).finish()),
    stat: (e) =>
      call(
        STAT,
        StatItemUpdated.encode({
          id: e.id,
          namespace,
          userId: e.userId,
          timestamp: e.timestamp,
          payload: { statCode: e.statCode, latestValue: e.value, inc: 1 },
        }).finish(),
      ),
    close: () => client.close(),
  };
}
