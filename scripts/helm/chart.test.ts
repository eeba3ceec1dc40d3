// The Helm chart (deploy/helm/challenges) rendered by scripts/helm/render.ts and checked as
// Kubernetes objects: every variable a pod gets is one its process reads, the production checks
// pass once the secrets are filled in, and probes, Services, autoscalers and disruption budgets
// point at what exists.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES as API_VARIABLES, parseEnv as parseApiEnv } from '../../apps/api/src/env.ts';
import { ENV_VARIABLES as WEB_VARIABLES } from '../../apps/web/env.ts';
import {
  parseEnv as parseWorkerEnv,
  ENV_VARIABLES as WORKER_VARIABLES,
} from '../../apps/worker/src/env.ts';
import { REPO_ROOT } from '../build/bundle.ts';
import { type RenderOptions, renderChart } from './render.ts';

const CHART = path.join(REPO_ROOT, 'deploy/helm/challenges');
const render = (options?: RenderOptions) => renderChart(CHART, options) as K8s[];
const scripts: Record<string, string> = (
  await import('../../package.json', { with: { type: 'json' } })
).default.scripts;

/** What each container command runs and the variables that process reads. */
const PROCESSES: Record<string, { variables: readonly string[]; parse?: (env: Env) => unknown }> = {
  'start:api:prod': { variables: API_VARIABLES, parse: parseApiEnv },
  'start:worker:prod': { variables: WORKER_VARIABLES, parse: parseWorkerEnv },
  'start:web:prod': { variables: WEB_VARIABLES },
  'migrate:prod': { variables: ['DATABASE_URL'] },
};

type Env = Record<string, string>;
type K8s = Record<string, any>;

/** What an operator puts in a values file for production (docs/operations.md). */
const OPERATOR_VALUES = {
  secretEnv: {
    DATABASE_URL: 'postgresql://challenges:secret@postgres:5432/challenges',
    METRICS_TOKEN: 'm'.repeat(40),
    REWARD_WEBHOOK_URL: 'https://game.example.com/rewards',
    REWARD_WEBHOOK_SECRET: 'w'.repeat(40),
  },
  api: { secretEnv: { SESSION_SECRET: 's'.repeat(40), PSEUDONYM_SECRET: 'p'.repeat(40) } },
};

/** The object of that kind and name (undefined when not rendered; typed loosely, as tests read it). */
const find = (objects: K8s[], kind: string, name: string): K8s =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as K8s;

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The environment a container starts with: envFrom ConfigMaps and Secrets, then env. */
function containerEnv(objects: K8s[], container: K8s): Env {
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = find(objects, kind, ref.name);
    expect(object, `${container.name}: envFrom ${kind} ${ref.name} is rendered`).toBeDefined();
    Object.assign(env, object.data ?? object.stringData);
  }
  for (const variable of container.env ?? []) {
    if (variable.valueFrom) {
      const ref = variable.valueFrom.secretKeyRef;
      const secret = find(objects, 'Secret', ref.name);
      expect(secret?.stringData, `${container.name}: ${ref.name} holds ${ref.key}`).toHaveProperty([
        ref.key,
      ]);
      env[variable.name] = secret.stringData[ref.key];
    } else env[variable.name] = String(variable.value);
  }
  return env;
}

function podSpecs(objects: K8s[]) {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => ({ object: o, pod: o.spec.template }));
}

describe('deploy/helm/challenges', () => {
  const objects = render({ values: OPERATOR_VALUES });

  it('renders api, worker and web Deployments, their Services, autoscalers, budgets and the migration Job', () => {
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).toEqual(
      [
        'ConfigMap/challenges-env',
        'Secret/challenges-env',
        'Secret/challenges-api-env',
        'Deployment/challenges-api',
        'Deployment/challenges-worker',
        'Deployment/challenges-web',
        'Service/challenges-api',
        'Service/challenges-web',
        'HorizontalPodAutoscaler/challenges-api',
        'HorizontalPodAutoscaler/challenges-worker',
        'PodDisruptionBudget/challenges-api',
        'PodDisruptionBudget/challenges-worker',
        'PodDisruptionBudget/challenges-web',
        'Job/challenges-migrate-1',
      ].sort(),
    );
  });

  it('runs a package script in every container, with only variables that process reads', () => {
    for (const { object, pod } of podSpecs(objects)) {
      for (const container of pod.spec.containers) {
        const script = container.args.join(' ');
        expect(scripts, `${object.metadata.name} runs a package script`).toHaveProperty([script]);
        const known = PROCESSES[script]?.variables ?? [];
        const unknown = Object.keys(containerEnv(objects, container)).filter(
          (v) => !known.includes(v),
        );
        expect(unknown, `${object.metadata.name} sets variables no schema reads`).toEqual([]);
      }
    }
  });

  it("passes api and worker production checks once the operator's secrets are set", () => {
    for (const { object, pod } of podSpecs(objects)) {
      for (const container of pod.spec.containers) {
        const parse = PROCESSES[container.args.join(' ')]?.parse;
        if (!parse) continue;
        expect(() => parse(containerEnv(objects, container)), object.metadata.name).not.toThrow();
      }
    }
  });

  it('is refused by the production checks while the secrets are left empty', () => {
    const unset = render();
    const api = find(unset, 'Deployment', 'challenges-api').spec.template.spec.containers[0];
    expect(() => parseApiEnv(containerEnv(unset, api))).toThrow(/SESSION_SECRET|DATABASE_URL/);
  });

  it('probes named ports the container opens; the api is ready on /healthz and alive on gRPC health', () => {
    for (const { object, pod } of podSpecs(objects)) {
      for (const container of pod.spec.containers) {
        const ports = new Map<string, number>(
          (container.ports ?? []).map((p: K8s) => [p.name, p.containerPort]),
        );
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const check = container[probe];
          if (!check) continue;
          const port = (check.httpGet ?? check.tcpSocket ?? check.grpc).port;
          const known =
            typeof port === 'string' ? ports.has(port) : [...ports.values()].includes(port);
          expect(known, `${object.metadata.name} ${probe} port ${port}`).toBe(true);
        }
      }
    }
    const api = find(objects, 'Deployment', 'challenges-api').spec.template.spec.containers[0];
    const env = containerEnv(objects, api);
    expect(api.readinessProbe.httpGet.path).toBe('/healthz');
    expect(api.livenessProbe.grpc.port).toBe(Number(env.GRPC_PORT));
    const ports = Object.fromEntries(api.ports.map((p: K8s) => [p.name, p.containerPort]));
    expect(ports).toEqual({
      http: Number(env.HTTP_PORT),
      grpc: Number(env.GRPC_PORT),
      events: Number(env.EVENTS_GRPC_PORT),
      metrics: Number(env.METRICS_PORT),
    });
  });

  it('points Services, autoscalers and budgets at the pods that exist', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const target = deployments.find((d) =>
        matches(service.spec.selector, d.spec.template.metadata.labels),
      ) as K8s;
      expect(target, `Service ${service.metadata.name} selects a Deployment`).toBeDefined();
      const names = target.spec.template.spec.containers.flatMap((c: K8s) =>
        c.ports.map((p: K8s) => p.name),
      );
      for (const port of service.spec.ports) expect(names).toContain(port.targetPort);
    }
    for (const budget of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
      const selected = deployments.filter((d) =>
        matches(budget.spec.selector.matchLabels, d.spec.template.metadata.labels),
      );
      expect(selected, budget.metadata.name).toHaveLength(1);
    }
    for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      const target = find(objects, 'Deployment', hpa.spec.scaleTargetRef.name);
      expect(target, hpa.metadata.name).toBeDefined();
      // A fixed replica count would fight the autoscaler on every upgrade.
      expect(target.spec.replicas, hpa.metadata.name).toBeUndefined();
      expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    }
    for (const deployment of deployments) {
      const labels = deployment.spec.template.metadata.labels;
      expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
    }
  });

  it('uses a Secret the operator manages when one is named, and renders none of its own', () => {
    const managed = render({
      values: { existingSecret: 'prod-env', api: { existingSecret: 'prod-api-env' } },
    });
    expect(managed.filter((o) => o.kind === 'Secret')).toEqual([]);
    const api = find(managed, 'Deployment', 'challenges-api').spec.template.spec.containers[0];
    expect(api.envFrom.map((s: K8s) => s.secretRef?.name).filter(Boolean)).toEqual([
      'prod-env',
      'prod-api-env',
    ]);
    const job = find(managed, 'Job', 'challenges-migrate-1').spec.template.spec.containers[0];
    expect(job.env[0].valueFrom.secretKeyRef.name).toBe('prod-env');
  });

  it('sets replicas itself when autoscaling is off, and runs one migration Job per revision', () => {
    const fixed = render({
      release: { name: 'game', revision: 7 },
      values: { api: { autoscaling: { enabled: false }, replicas: 3 } },
    });
    expect(find(fixed, 'Deployment', 'game-api').spec.replicas).toBe(3);
    expect(find(fixed, 'HorizontalPodAutoscaler', 'game-api')).toBeUndefined();
    expect(find(fixed, 'Job', 'game-migrate-7')).toBeDefined();
  });
});
