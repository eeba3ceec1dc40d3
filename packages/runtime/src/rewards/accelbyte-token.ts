import { RewardDeliveryError, raiseForStatus } from './reward-provider.ts';
import { describe } from './webhook-provider.ts';

export interface AccelByteCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenSource {
  token(signal: AbortSignal): Promise<string>;
  /** Drops the cached token (after a 401) so the next call fetches a fresh one. */
  invalidate(stale: string): void;
}

/**
 * A client-credentials token from AGS IAM, cached until shortly before it expires. Concurrent
 * callers share one in-flight request, so a burst of grants costs one token call.
 */
export function accelbyteTokenSource(
  credentials: AccelByteCredentials,
  now: () => number = Date.now,
): TokenSource {
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const fetchToken = async (signal: AbortSignal): Promise<string> => {
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
      'base64',
    );
    let response: Response;
    try {
      response = await fetch(`${credentials.baseUrl}/iam/v3/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
        signal,
      });
    } catch (error) {
      throw new RewardDeliveryError(`AGS IAM unreachable: ${describe(error)}`, false);
    }
    // Bad client credentials are a configuration problem that may be fixed: keep retrying.
    if (response.status === 400 || response.status === 401) {
      await response.body?.cancel();
      throw new RewardDeliveryError(`AGS IAM refused the client (${response.status})`, false);
    }
    await raiseForStatus('AGS IAM', response);
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new RewardDeliveryError('AGS IAM: no access_token', false);
    const lifetimeMs = (body.expires_in ?? 3600) * 1000;
    // Refresh a minute early (or at half-life for short tokens): no call goes out with a token
    // that expires on the way.
    cached = {
      token: body.access_token,
      refreshAt: now() + lifetimeMs - Math.min(60_000, lifetimeMs / 2),
    };
    return body.access_token;
  };

  return {
    async token(signal) {
      if (cached && now() < cached.refreshAt) return cached.token;
      inFlight ??= fetchToken(signal).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(stale) {
      if (cached?.token === stale) cached = undefined;
    },
  };
}
