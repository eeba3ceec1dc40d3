// Liveness of the dashboard server, for container healthchecks and load balancers: it answers
// when Next serves requests. The api reports its own dependencies at its /healthz.

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'healthy' });
}
