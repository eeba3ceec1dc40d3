import { CoreError, isCoreError } from '@challenges/core';
import type { DashboardRole, DashboardUser } from '@challenges/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { ROLE_RANK, sessionUser } from '../auth/dashboard-users.ts';
import { assertSameOriginJson } from '../auth/same-origin.ts';
import { coreErrorOf, ERROR_TABLE } from '../errors/error-table.ts';
import type { TrpcContext } from './context.ts';

const t = initTRPC.context<TrpcContext>().create({
  // Stack traces never leave the process; onError logs them.
  isDev: false,
  errorFormatter({ shape, error }) {
    const core = isCoreError(error.cause) ? error.cause : null;
    const hidden = error.code === 'INTERNAL_SERVER_ERROR' && core === null;
    const issues =
      error.cause instanceof ZodError
        ? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
        : undefined;
    return {
      ...shape,
      // An unexpected error's message may carry SQL or internals: the client gets a generic one.
      message: hidden ? 'internal error' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        errorCode: core?.code ?? null,
        // e.g. every validation problem of a definitions file, for the dashboard to list.
        ...(core && core.details.length > 0 ? { details: [...core.details] } : {}),
        ...(issues ? { issues } : {}),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A core error as the tRPC error the one error table names for its code. */
export function trpcErrorOf(core: CoreError): TRPCError {
  return new TRPCError({ code: ERROR_TABLE[core.code].trpc, message: core.message, cause: core });
}

/** Core errors (a database outage among them) become tRPC errors through the one error table. */
const coreErrors = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  const core = coreErrorOf(cause);
  if (core) {
    if (core !== cause)
      ctx.deps.log.warn({ err: cause, path }, 'tRPC call: dependency unavailable');
    throw trpcErrorOf(core);
  }
  return result;
});

/** Latency per procedure and outcome, outermost so it sees the mapped error code. */
const timing = t.middleware(async ({ ctx, path, next }) => {
  const started = performance.now();
  const result = await next();
  const metrics = ctx.deps.metrics;
  if (metrics) {
    const seconds = (performance.now() - started) / 1000;
    const code = result.ok ? 'OK' : result.error.code;
    metrics.trpcDuration.observe({ procedure: path, code }, seconds);
    metrics.live.observe(`tRPC ${path}`, seconds);
  }
  return result;
});

export const publicProcedure = t.procedure.use(timing).use(coreErrors);

/** A player (JWT or mock id), exactly as the REST API authenticates them. */
export const playerProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const header = (name: string) => {
    const value = ctx.req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const userId = await ctx.deps.players.authenticate({
    authorization: header('authorization'),
    mockUserId: header('x-mock-user-id'),
  });
  await ctx.deps.playerLimiter?.check(userId);
  return next({ ctx: { userId } });
});

/**
 * Anything the dashboard's session cookie may authorise: its mutations pass the CSRF rule
 * (JSON from a dashboard origin) before anything else runs. `auth.*` mutations use it too, so
 * no other site can sign a browser in or out either.
 */
export const dashboardPublicProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (type === 'mutation') assertSameOriginJson(ctx.req.headers, ctx.deps.dashboard.origins);
  return next();
});

/**
 * A dashboard user from the session cookie only (player credentials never count), re-read from
 * the database on every call, so disabling or a role change applies to the next request.
 */
function dashboardProcedure(minimum: DashboardRole) {
  return dashboardPublicProcedure.use(async ({ ctx, next }) => {
    const session = await ctx.deps.dashboard.sessions.read(ctx.req);
    const user: DashboardUser | null = await sessionUser(ctx.deps.dashboard.users, session);
    if (!user) throw new CoreError('UNAUTHENTICATED', 'sign in to the dashboard');
    if (ROLE_RANK[user.role] < ROLE_RANK[minimum]) {
      throw new CoreError('PERMISSION_DENIED', `this needs the ${minimum} role`);
    }
    return next({ ctx: { user } });
  });
}

export const viewerProcedure = dashboardProcedure('viewer');
export const editorProcedure = dashboardProcedure('editor');
export const adminProcedure = dashboardProcedure('admin');
