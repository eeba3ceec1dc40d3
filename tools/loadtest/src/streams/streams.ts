// `npm run loadtest:streams -- …`: the `streams` scenario (docs/push.md). Opens N progress
// streams (GET /v1/challenges/stream, AUTH_MODE=mock players) against a running api, measures
// the api's memory per idle connection, then sends stat events at a fixed rate to the streams'
// players and reports delivery latency (after the worker's commit and end to end), lost
// changes, and the api's CPU per pushed change. Needs `ulimit -n` above N + a few hundred.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Subscription, subscribe } from '@challenges/client';

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'http://127.0.0.1:8000' },
    'base-path': { type: 'string', default: '/challenge' },
    streams: { type: 'string', default: '10000' },
    eps: { type: 'string', default: '500' },
    duration: { type: 'string', default: '30' },
    'api-pid': { type: 'string' },
    'ingest-key': { type: 'string', default: '' },
    stat: { type: 'string', default: 'score' },
    goal: { type: 'string', default: 'score-big' },
    'open-rate': { type: 'string', default: '250' },
  },
});
const N = Number(values.streams);
const EPS = Number(values.eps);
const DURATION_S = Number(values.duration);
const PID = values['api-pid'];
const run = randomUUID().slice(0, 8);

const rssKb = () =>
  PID ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${PID}/status`, 'utf8'))?.[1]) : NaN;
const cpuMs = () => {
  if (!PID) return NaN;
  const fields = readFileSync(`/proc/${PID}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const idMs = (id: string) => Number(id.split('-')[0]);
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const until = async (check: () => boolean, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
};

const users = Array.from({ length: N }, (_, i) => `streams-${run}-${i}`);
const sentAt = new Map<string, number>(); // `${user}:${value}` → when the event was sent
const sent = new Map<string, number>(); // user → last value sent
const seen = new Map<string, number>(); // user → last progress streamed
const accepted = new Map<string, number>(); // user → last value the api accepted (202)
let refused = 0;
const afterCommit: number[] = [];
const endToEnd: number[] = [];
let snapshots = 0;
let changes = 0;

// Each player initialized first: default goals are assigned on initialize (docs/api.md).
for (let i = 0; i < N; i += 100) {
  await Promise.all(
    users.slice(i, i + 100).map((user) =>
      fetch(`${values.target}${values['base-path']}/v1/challenges/initialize`, {
        method: 'POST',
        headers: { 'x-mock-user-id': user },
      }).then((r) => r.arrayBuffer()),
    ),
  );
}

const subs: Subscription[] = [];
const rssBefore = rssKb();
const openStart = Date.now();
for (let i = 0; i < N; i++) {
  const user = users[i]!;
  subs.push(
    subscribe(
      { baseUrls: [values.target!], basePath: values['base-path'], mockUserId: user },
      {
        onEvent: (event) => {
          if (event.type === 'snapshot') {
            snapshots++;
            return;
          }
          const now = Date.now();
          for (const goal of event.goals) {
            if (goal.goalId !== values.goal) continue;
            changes++;
            seen.set(user, Math.max(seen.get(user) ?? 0, goal.progress));
            afterCommit.push(now - idMs(event.id));
            const at = sentAt.get(`${user}:${goal.progress}`);
            if (at !== undefined) endToEnd.push(now - at);
          }
        },
      },
    ),
  );
  if (i % Number(values['open-rate']) === 0) await new Promise((r) => setTimeout(r, 1000));
}
await until(() => snapshots >= N, 120_000);
const openedS = (Date.now() - openStart) / 1000;
// Idle a while: the api's buffers settle before the memory reading.
await new Promise((r) => setTimeout(r, 5000));
const rssIdle = rssKb();

const cpuStart = cpuMs();
const sendStart = Date.now();
let next = 0;
let eventsSent = 0;
const tickMs = 20;
while (Date.now() - sendStart < DURATION_S * 1000) {
  const due = Math.floor(((Date.now() - sendStart) / 1000) * EPS) - eventsSent;
  if (due > 0) {
    const events: { id: string; type: string; userId: string; statCode: string; value: number }[] =
      [];
    for (let k = 0; k < due; k++) {
      const user = users[next++ % N]!;
      const value = (sent.get(user) ?? 0) + 1;
      sent.set(user, value);
      sentAt.set(`${user}:${value}`, Date.now());
      events.push({ id: randomUUID(), type: 'stat', userId: user, statCode: values.stat, value });
    }
    eventsSent += due;
    // Only accepted events count: a lost change is an accepted event whose change never came.
    void fetch(`${values.target}${values['base-path']}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': values['ingest-key']! },
      body: JSON.stringify({ events }),
    }).then(
      async (r) => {
        await r.arrayBuffer();
        if (r.status !== 202) {
          refused += events.length;
          return;
        }
        for (const e of events)
          accepted.set(e.userId, Math.max(accepted.get(e.userId) ?? 0, e.value));
      },
      () => {
        refused += events.length;
      },
    );
  }
  await new Promise((r) => setTimeout(r, tickMs));
}
const lostOf = () => [...accepted].filter(([user, value]) => (seen.get(user) ?? 0) < value).length;
await until(() => lostOf() === 0, 60_000);
const cpuEnd = cpuMs();
const lost = lostOf();
for (const s of subs) s.close();

afterCommit.sort((a, b) => a - b);
endToEnd.sort((a, b) => a - b);
const result = {
  streams: N,
  eventsPerSecond: EPS,
  durationS: DURATION_S,
  openedInS: Number(openedS.toFixed(1)),
  apiRssKb: { before: rssBefore, idle: rssIdle },
  rssPerConnectionKb: Number(((rssIdle - rssBefore) / N).toFixed(2)),
  eventsSent,
  eventsRefused: refused,
  changesReceived: changes,
  playersWithLostChanges: lost,
  afterCommitMs: {
    p50: percentile(afterCommit, 0.5),
    p95: percentile(afterCommit, 0.95),
    p99: percentile(afterCommit, 0.99),
  },
  endToEndMs: {
    p50: percentile(endToEnd, 0.5),
    p95: percentile(endToEnd, 0.95),
    p99: percentile(endToEnd, 0.99),
  },
  apiCpuMsPerChange: Number(((cpuEnd - cpuStart) / Math.max(1, changes)).toFixed(3)),
  loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
};
console.log(JSON.stringify(result, null, 2));
process.exit(0);
