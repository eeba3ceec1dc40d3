import { cpus } from 'node:os';
import type { LoadTestReport, VerdictItem } from './contract.ts';
import { slopeVerdict } from './memory-trend.ts';

type Draft = Omit<LoadTestReport, 'verdict' | 'findings' | 'capacity'>;

const LIST = 'GET /v1/challenges';
const isEvent = (endpoint: string) => endpoint.startsWith('gRPC ');

/** Weighted p95 bound of several endpoints: the largest p95 (conservative, no merged histogram). */
const worstP95 = (draft: Draft, match: (e: string) => boolean) =>
  Math.max(...draft.endpoints.filter((e) => match(e.endpoint)).map((e) => e.p95Ms));

/** The performance targets (docs/performance.md), each only where the run exercised what it is about. */
export function verdictOf(draft: Draft): LoadTestReport['verdict'] {
  const items: VerdictItem[] = [];
  const errors = draft.totals.errors;
  items.push({ name: 'errors', target: '0', actual: String(errors), passed: errors === 0 });
  items.push({
    name: 'dropped iterations (client kept the schedule)',
    target: '0',
    actual: String(draft.totals.dropped),
    passed: draft.totals.dropped === 0,
  });
  if (draft.endpoints.some((e) => e.endpoint === LIST)) {
    const p95 = worstP95(draft, (e) => e === LIST);
    items.push({ name: 'list p95', target: '< 15 ms', actual: `${p95} ms`, passed: p95 < 15 });
  }
  // streams judges what reaches the players (streamsItems); the ack is the events scenario's.
  if (draft.endpoints.some((e) => isEvent(e.endpoint)) && draft.scenario !== 'streams') {
    const p95 = worstP95(draft, isEvent);
    items.push({ name: 'event ack p95', target: '< 5 ms', actual: `${p95} ms`, passed: p95 < 5 });
  }
  if (draft.endpoints.some((e) => isEvent(e.endpoint))) items.push(lostEvents(draft));
  items.push(...streamsItems(draft));
  const cpuTarget = { list: 1.0, initialize: 2.0, events: 0.3 }[draft.scenario as string];
  // Events are the ingest processes' work when ingest runs apart from the api (ROLE=ingest).
  const processes = draft.server.processes;
  const role =
    draft.scenario === 'events' && processes.some((p) => p.role === 'ingest') ? 'ingest' : 'api';
  const api = processes.filter((p) => p.role === role);
  if (cpuTarget !== undefined && api.length > 0 && api.every((p) => p.cpuMsPerUnit !== null)) {
    const cpuMs = Math.round(api.reduce((s, p) => s + p.cpuMsPerUnit!, 0) * 1000) / 1000;
    items.push({
      name: `${role} CPU-ms per ${api[0]!.unit}`,
      target: `≤ ${cpuTarget}`,
      actual: String(cpuMs),
      passed: cpuMs <= cpuTarget,
    });
  }
  for (const check of draft.checks) {
    items.push({ name: check.name, target: 'all', actual: check.detail, passed: check.passed });
  }
  items.push(...soakItems(draft));
  return { passed: items.every((i) => i.passed), items };
}

/**
 * A check that could not run fails, naming what it lacked: a verdict that silently drops "0 lost
 * events" (a worker metrics URL on another port) reads as a pass it never earned.
 */
function lostEvents(draft: Draft): VerdictItem {
  const lost = draft.server.events.lost;
  if (lost !== null) {
    return { name: 'lost events', target: '0', actual: String(lost), passed: lost === 0 };
  }
  const { apiMetrics, workerMetrics } = draft.options;
  return {
    name: 'lost events',
    target: '0',
    actual: `not measured: no answer from the worker metrics (${workerMetrics ?? 'none given'}) or the api metrics (${apiMetrics ?? 'none given'})`,
    passed: false,
  };
}

/** streams: every stream held, no change lost, pushed within 250 ms of the commit (docs/push.md). */
function streamsItems(draft: Draft): VerdictItem[] {
  const s = draft.streams;
  if (!s) return [];
  const p95 = s.afterCommit.p95Ms;
  return [
    {
      name: 'stream errors (refused, failed or dropped)',
      target: '0',
      actual: `${s.streamErrors} (${s.opened} of ${draft.options.streams} opened)`,
      passed: s.streamErrors === 0 && s.opened === draft.options.streams,
    },
    {
      name: 'lost changes (acked value never streamed)',
      target: '0',
      actual: `${s.lost} players, ${s.changes} changes received`,
      passed: s.lost === 0 && s.changes > 0,
    },
    ...(s.clientSample
      ? [
          {
            name: 'packages/client sample (half reconnected) ends as GET /v1/challenges',
            target: '0 differ',
            actual: `${s.clientSample.mismatched} of ${s.clientSample.players} differ`,
            passed: s.clientSample.players > 0 && s.clientSample.mismatched === 0,
          },
        ]
      : []),
    {
      name: 'change p95 after the commit',
      target: '< 250 ms',
      actual: `${p95} ms`,
      passed: s.afterCommit.count > 0 && p95 < 250,
    },
  ];
}

/** A soak's initialize wave and its flat memory: heap and RSS slope ≈ 0 after the warm-up. */
function soakItems(draft: Draft): VerdictItem[] {
  const items: VerdictItem[] = [];
  const wave = draft.initializeWave;
  if (wave) {
    const failed = (wave.endpoint?.errors ?? 0) + wave.dropped;
    items.push({
      name: 'initialize wave errors',
      target: '0',
      actual: `${failed} of ${wave.players}`,
      passed: failed === 0 && (wave.endpoint?.count ?? 0) === wave.players,
    });
  }
  const memory = draft.memory;
  if (memory) {
    const ingest = memory.processes.some((p) => p.role === 'ingest') ? ['ingest'] : [];
    for (const role of ['api', ...ingest, 'worker']) {
      const { actual, passed } = slopeVerdict(memory, role);
      items.push({
        name: `${role} heap/RSS slope ≈ 0`,
        target: `|slope| ≤ ${memory.maxSlopeMbPerMin} MB/min after ${Math.round(memory.warmupS)} s`,
        actual,
        passed,
      });
    }
  }
  return items;
}

/** Verdict, capacity and findings of a run's draft: the finished report. */
export function judge(draft: Draft, capacityTarget: number): LoadTestReport {
  const capacity = capacityOf(draft, capacityTarget);
  return { ...draft, verdict: verdictOf(draft), capacity, findings: findingsOf(draft, capacity) };
}

export function capacityOf(draft: Draft, target: number): LoadTestReport['capacity'] {
  const sum = (role: string) =>
    draft.server.processes.filter((p) => p.role === role).reduce((s, p) => s + p.cpuPercentAvg, 0);
  const rate = (match: (e: string) => boolean) =>
    draft.endpoints.filter((e) => match(e.endpoint)).reduce((s, e) => s + e.throughput, 0);
  const rps = rate((e) => !isEvent(e));
  const eps = rate(isEvent);
  const apiCores = sum('api') / 100;
  const workerCores = sum('worker') / 100;
  const requestsPerCore = rps > 0 && apiCores > 0 ? Math.round(rps / apiCores) : null;
  return {
    requestsPerCore,
    eventsPerCore: eps > 0 && workerCores > 0 ? Math.round(eps / workerCores) : null,
    target,
    // One core per api replica, and replicas are not run hotter than 70 % (headroom for spikes).
    replicasNeeded: requestsPerCore ? Math.ceil(target / (requestsPerCore * 0.7)) : null,
  };
}

export function findingsOf(draft: Draft, capacity: LoadTestReport['capacity']): string[] {
  const out: string[] = [];
  const t = draft.totals;
  if (t.dropped > 0 || t.late > t.scheduled * 0.01) {
    out.push(
      `The client fell behind its schedule: ${t.dropped} iterations dropped and ${t.late} sent late ` +
        `(up to ${t.maxInFlight} in flight); latencies still count from the scheduled time.`,
    );
  } else {
    out.push(
      `The client kept its schedule (${t.late} of ${t.scheduled} iterations late, none dropped).`,
    );
  }
  const cores = cpus().length;
  const totalCpu = draft.server.processes.reduce((s, p) => s + p.cpuPercentAvg, 0);
  for (const p of draft.server.processes) {
    if (p.cpuPercentMax >= 90) {
      out.push(
        `${p.role} ${p.id} saturated its core (CPU max ${p.cpuPercentMax} %, avg ${p.cpuPercentAvg} %).`,
      );
    }
  }
  if (draft.server.processes.length > 0) {
    out.push(
      `The service processes used ${Math.round(totalCpu)} % CPU on average of ${cores * 100} % ` +
        `available (${cores} cores, shared with the load generator and PostgreSQL).`,
    );
  }
  for (const profile of draft.profiles) {
    const top = profile.top.find((r) => !r.functionName.startsWith('('));
    if (top) {
      out.push(
        `${profile.role}: the hottest function is ${top.functionName} (${top.selfPercent} % self, ` +
          `${top.totalPercent} % total) at ${top.location}.`,
      );
    }
    const idle = profile.top.find((r) => r.functionName === '(idle)');
    if (idle) out.push(`${profile.role}: ${idle.selfPercent} % of the profile was idle.`);
  }
  for (const p of draft.server.processes) {
    const grew = p.heapUsedMb.end - p.heapUsedMb.start;
    if (grew > 20 && grew > p.heapUsedMb.start * 0.5) {
      // A soak fits the heap after its warm-up: a flat fit means the growth was the working size.
      const fitted = draft.memory?.processes.find((m) => m.id === p.id)?.heapSlopeMbPerMin;
      const flat =
        fitted !== undefined &&
        fitted !== null &&
        Math.abs(fitted) <= draft.memory!.maxSlopeMbPerMin;
      out.push(
        `${p.role} heap grew from ${p.heapUsedMb.start} to ${p.heapUsedMb.end} MB` +
          (flat
            ? `, all of it before the fitted window (${fitted} MB/min after ${Math.round(draft.memory!.warmupS)} s): its working size, not a leak.`
            : ': watch for a leak.'),
      );
    }
    if (p.eventLoopP99MsMax > 50) {
      out.push(`${p.role} event-loop delay reached ${p.eventLoopP99MsMax} ms (p99 of a second).`);
    }
  }
  out.push(...cpuFindings(draft));
  const kinds = Object.entries(draft.errorsByKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) out.push(`Most frequent error: ${kinds[0]![0]} ×${kinds[0]![1]}.`);
  const ev = draft.server.events;
  if (ev.acked > 0 && ev.lost !== null) {
    out.push(
      `${ev.acked} events acknowledged, ${ev.processed} settled by the pipeline: ${ev.lost} lost.`,
    );
  }
  if (capacity.requestsPerCore !== null) {
    out.push(
      `At this mix one api core serves about ${capacity.requestsPerCore} requests/s; ` +
        `${capacity.target} requests/s need ${capacity.replicasNeeded} single-core api replicas at ≤ 70 % CPU.`,
    );
  }
  return out;
}

/** The load generator shares the machine: its own cost, and where the box's CPU went. */
export const GENERATOR_TARGET_MS = 0.15;

function cpuFindings(draft: Draft): string[] {
  const cpu = draft.server.cpu;
  if (!cpu) return [];
  const out: string[] = [];
  const generator = cpu.rows.find((r) => r.role === 'generator');
  if (generator?.msPerCall != null) {
    const over = generator.msPerCall > GENERATOR_TARGET_MS;
    out.push(
      `The load generator used ${generator.msPerCall} CPU-ms per call (${generator.percentOfBox} % of the box)` +
        `${over ? `, above the ${GENERATOR_TARGET_MS} ms it may cost on a shared machine` : ''}.`,
    );
  }
  const shares = cpu.rows
    .filter((r) => r.percentOfBox !== null && r.role !== 'other')
    .map((r) => `${r.role} ${r.percentOfBox} %`);
  if (shares.length > 0 && cpu.boxBusyPercent !== null) {
    out.push(
      `Of the box (${cpu.cores} cores × ${cpu.windowS} s), ${cpu.boxBusyPercent} % was busy: ${shares.join(', ')}.`,
    );
  }
  return out;
}
