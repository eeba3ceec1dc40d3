import type { DashboardRole } from '@challenges/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getIronSession, type SessionOptions } from 'iron-session';

/**
 * What the sealed cookie holds; the role is a hint only, every request re-reads the user. The
 * epoch is the user's session epoch at sign-in: the cookie is valid only while they match.
 */
export interface SessionData {
  userId?: string;
  role?: DashboardRole;
  issuedAt?: number;
  epoch?: number;
}

export const SESSION_COOKIE = 'challenges_session';
/** A working day: short enough that a leaked cookie ages out, long enough not to annoy. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

export interface DashboardSessions {
  read(req: FastifyRequest): Promise<SessionData>;
  start(req: FastifyRequest, reply: FastifyReply, data: Required<SessionData>): Promise<void>;
  end(req: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function dashboardSessions(options: { secret: string; secure: boolean }): DashboardSessions {
  const sessionOptions: SessionOptions = {
    cookieName: SESSION_COOKIE,
    password: options.secret,
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' },
  };
  // iron-session only writes the response when save/destroy is called; reading needs no reply.
  const open = (req: FastifyRequest, reply?: FastifyReply) =>
    getIronSession<SessionData>(req.raw, reply?.raw ?? ({} as never), sessionOptions);
  return {
    async read(req) {
      try {
        const { userId, role, issuedAt, epoch } = await open(req);
        return { userId, role, issuedAt, epoch };
      } catch {
        // A cookie that is not one of our seals is no session, not a server error.
        return {};
      }
    },
    async start(req, reply, data) {
      const session = await open(req, reply);
      session.userId = data.userId;
      session.role = data.role;
      session.issuedAt = data.issuedAt;
      session.epoch = data.epoch;
      await session.save();
    },
    async end(req, reply) {
      const session = await open(req, reply);
      session.destroy();
    },
  };
}
