/**
 * Which live endpoints are the service's own plumbing rather than player traffic: the dashboard
 * (tRPC, including its once-a-second polling), profiling and other admin routes, health checks
 * and the API description. Player figures (requests/s, latency) leave them out, so a 30-second
 * profile call or an open Live page never shows up as player latency or load.
 */
const INTERNAL: readonly RegExp[] = [
  /^tRPC /,
  /^REST \S+ \S*\/admin\//,
  /^REST \S+ \S*\/healthz\b/,
  /^REST \S+ \S*\/(openapi\.json|docs)\b/,
  /^gRPC \S*(health|HealthCheck)/i,
];

export function isInternalEndpoint(endpoint: string): boolean {
  return INTERNAL.some((pattern) => pattern.test(endpoint));
}
