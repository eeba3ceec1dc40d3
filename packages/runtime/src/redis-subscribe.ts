import type { RedisClient } from './redis-client.ts';

/**
 * SUBSCRIBE that holds a process's start only while Redis answers. The subscriber queues
 * commands while offline, so awaiting a plain `subscribe()` with Redis down would wait until it
 * returns: the api never opened its ports. When the connection fails first, start goes on, the
 * command stays queued and is sent on reconnect; callers poll in the meantime.
 */
export async function subscribeWhileReachable(
  subscriber: RedisClient,
  channel: string,
  onError: (error: unknown) => void,
): Promise<void> {
  const subscribed = subscriber.subscribe(channel).then(() => undefined, onError);
  let onDown = (): void => {};
  const down = new Promise<void>((resolve) => {
    onDown = () => resolve();
  });
  subscriber.once('reconnecting', onDown);
  try {
    await Promise.race([subscribed, down]);
  } finally {
    subscriber.off('reconnecting', onDown);
  }
}
