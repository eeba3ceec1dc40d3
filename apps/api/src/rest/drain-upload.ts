import type { IncomingMessage } from 'node:http';

/** Beyond this, the client is sending far more than any route takes: stop reading. */
export const DRAIN_LIMITS = { maxBytes: 16 * 1024 * 1024, timeoutMs: 10_000 };

/**
 * Reads and discards the rest of a request body. A socket closed with part of an upload
 * still unread makes the kernel answer with a reset, which can destroy the error response
 * before the client reads it; once the upload is consumed the answer arrives intact.
 * Resolves true when the body was read to its end.
 */
export function drainUpload(raw: IncomingMessage, limits = DRAIN_LIMITS): Promise<boolean> {
  if (raw.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', onEnd).off('error', onFailure).off('close', onFailure);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limits.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onFailure = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), limits.timeoutMs);
    raw.on('data', onData).once('end', onEnd).once('error', onFailure).once('close', onFailure);
    raw.resume();
  });
}
