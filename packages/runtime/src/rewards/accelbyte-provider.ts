import { type AccelByteCredentials, accelbyteTokenSource } from './accelbyte-token.ts';
import {
  type GrantRecord,
  RewardDeliveryError,
  type RewardProvider,
  raiseForStatus,
} from './reward-provider.ts';
import { describe } from './webhook-provider.ts';

/** The AGS Platform admin call for one grant: entitlement for ITEM, wallet credit for WALLET. */
function platformRequest(namespace: string, record: GrantRecord) {
  const user = `/platform/admin/namespaces/${encodeURIComponent(namespace)}/users/${encodeURIComponent(record.userId)}`;
  if (record.rewardType === 'WALLET') {
    return {
      method: 'PUT',
      path: `${user}/wallets/${encodeURIComponent(record.rewardId)}/credit`,
      body: {
        amount: record.quantity,
        source: 'REWARD',
        // AGS has no idempotency field here: the key goes into the reason for reconciliation.
        reason: `challenge reward ${record.idempotencyKey}`,
      },
    };
  }
  return {
    method: 'POST',
    path: `${user}/entitlements`,
    body: [
      {
        itemId: record.rewardId,
        itemNamespace: namespace,
        quantity: record.quantity,
        source: 'REWARD',
      },
    ],
  };
}

/**
 * Grants through the AGS Platform REST API with client credentials. The idempotency key goes in
 * an `Idempotency-Key` header; a 409 (already granted) counts as success; a 401 refreshes the
 * token once within the attempt.
 */
export function accelbyteRewardProvider(
  options: AccelByteCredentials & { namespace: string; now?: () => number },
): RewardProvider {
  const tokens = accelbyteTokenSource(options, options.now);
  const send = async (record: GrantRecord, signal: AbortSignal, token: string) => {
    const request = platformRequest(options.namespace, record);
    try {
      return await fetch(`${options.baseUrl}${request.path}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': record.idempotencyKey,
        },
        body: JSON.stringify(request.body),
        signal,
      });
    } catch (error) {
      throw new RewardDeliveryError(`AGS Platform unreachable: ${describe(error)}`, false);
    }
  };
  return {
    name: 'accelbyte',
    async grant(record, signal) {
      let token = await tokens.token(signal);
      let response = await send(record, signal, token);
      if (response.status === 401) {
        await response.body?.cancel();
        tokens.invalidate(token);
        token = await tokens.token(signal);
        response = await send(record, signal, token);
      }
      if (response.status === 409) {
        await response.body?.cancel();
        return;
      }
      await raiseForStatus('AGS Platform', response);
      await response.body?.cancel();
    },
  };
}
