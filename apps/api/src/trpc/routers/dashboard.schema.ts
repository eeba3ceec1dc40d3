import { formatTimestamp } from '@challenges/core';
import type { DashboardUser, IngestApiKey } from '@challenges/db';
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwords.ts';

export const ZRole = z.enum(['viewer', 'editor', 'admin']);
export const ZEmail = z.email().max(254);
export const ZNewPassword = z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH);
/** Database ids are uuids; anything else cannot exist, so it is bad input rather than 404. */
export const ZUuid = z.uuid();

export const ZDashboardUser = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  disabled: z.boolean(),
  createdAt: z.string(),
});

export function dashboardUserJson(user: DashboardUser): z.infer<typeof ZDashboardUser> {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    disabled: user.disabled,
    createdAt: formatTimestamp(user.createdAt),
  };
}

export const ZApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** "" while the key is active. */
  revokedAt: z.string(),
});

export function apiKeyJson(key: IngestApiKey): z.infer<typeof ZApiKey> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: formatTimestamp(key.createdAt),
    createdBy: key.createdBy,
    revokedAt: formatTimestamp(key.revokedAt),
  };
}
