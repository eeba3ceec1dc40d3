// Containers cannot run on the machines that test this repository, so the image and the compose
// file are checked against what they name: package scripts, build outputs, env schemas.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLES as API_VARIABLES, parseEnv as parseApiEnv } from '../apps/api/src/env.ts';
import { ENV_VARIABLES as WEB_VARIABLES } from '../apps/web/env.ts';
import {
  parseEnv as parseWorkerEnv,
  ENV_VARIABLES as WORKER_VARIABLES,
} from '../apps/worker/src/env.ts';
import { ENTRY_POINTS, REPO_ROOT } from './build/bundle.ts';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const rootPackage = JSON.parse(read('package.json'));
const scripts: Record<string, string> = rootPackage.scripts;

/** What each command of the image runs, and the variables that process reads. */
const SERVICES: Record<string, { variables: readonly string[]; parse?: (env: Env) => unknown }> = {
  'start:api:prod': { variables: API_VARIABLES, parse: parseApiEnv },
  'start:worker:prod': { variables: WORKER_VARIABLES, parse: parseWorkerEnv },
  'start:web:prod': { variables: WEB_VARIABLES },
  // packages/db/src/migrate/cli.ts reads these and nothing else.
  'migrate:prod': { variables: ['MIGRATION_DATABASE_URL', 'DATABASE_URL'] },
};
/** Set by the Dockerfile for the tools in the image rather than for our processes. */
const TOOL_VARIABLES = ['NEXT_TELEMETRY_DISABLED', 'NPM_CONFIG_UPDATE_NOTIFIER'];

type Env = Record<string, string>;

interface Dockerfile {
  env: Env;
  entrypoint: string[];
  cmd: string[];
}

/** The runtime stage's ENV, ENTRYPOINT and CMD (the last stage: what the image runs). */
function readDockerfile(text: string): Dockerfile {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const lastStage = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const result: Dockerfile = { env: {}, entrypoint: [], cmd: [] };
  for (const line of lines.slice(lastStage)) {
    const [instruction = '', ...rest] = line.trim().split(/\s+/);
    const argument = rest.join(' ');
    if (instruction === 'ENV') {
      for (const pair of argument.split(/\s+/)) {
        const [key = '', value = ''] = pair.split('=');
        result.env[key] = value;
      }
    }
    if (instruction === 'ENTRYPOINT') result.entrypoint = JSON.parse(argument);
    if (instruction === 'CMD') result.cmd = JSON.parse(argument);
  }
  return result;
}

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}`, from an operator's .env. */
function interpolate(value: string, dotEnv: Env): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind, rest) => {
    const set = dotEnv[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '?') throw new Error(`${name} is required: ${rest}`);
    return kind === '-' ? rest : '';
  });
}

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
}

function readCompose(text: string): Record<string, ComposeService> {
  return parse(text, { merge: true }).services;
}

/** Our services: those that run the image built from the Dockerfile. */
function imageServices(compose: Record<string, ComposeService>) {
  return Object.entries(compose).filter(([, service]) => service.image === 'challenges:latest');
}

/** The variables an operator puts in .env next to docker-compose.yml (docs/operations.md). */
const OPERATOR_ENV: Env = {
  POSTGRES_PASSWORD: 'postgres-password',
  METRICS_TOKEN: 'm'.repeat(40),
  JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
  JWT_ISSUER: 'https://id.example.com',
  JWT_AUDIENCE: 'challenges',
  SESSION_SECRET: 's'.repeat(40),
  PSEUDONYM_SECRET: 'p'.repeat(40),
  REWARD_WEBHOOK_URL: 'https://game.example.com/rewards',
  REWARD_WEBHOOK_SECRET: 'w'.repeat(40),
};

const dockerfile = readDockerfile(read('Dockerfile'));
const compose = readCompose(read('docker-compose.yml'));

describe('docker-compose.yml', () => {
  it('runs the image for api, worker, web and migrate, each with a package script', () => {
    const commands = imageServices(compose).map(([, service]) => service.command?.join(' '));
    expect(commands.sort()).toEqual(Object.keys(SERVICES).sort());
    for (const command of commands) expect(scripts).toHaveProperty([command!]);
  });

  it("sets only variables that the service's env schema reads", () => {
    for (const [name, service] of imageServices(compose)) {
      const known = SERVICES[service.command?.join(' ') ?? '']?.variables ?? [];
      const unknown = Object.keys(service.environment ?? {}).filter((v) => !known.includes(v));
      expect(unknown, `${name} sets variables no schema reads`).toEqual([]);
    }
  });

  it('passes the production checks of api and worker once the operator .env is filled in', () => {
    for (const [name, service] of imageServices(compose)) {
      const parseEnv = SERVICES[service.command?.join(' ') ?? '']?.parse;
      if (!parseEnv) continue;
      const env: Env = { ...dockerfile.env };
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        env[key] = interpolate(String(value), OPERATOR_ENV);
      }
      expect(() => parseEnv(env), name).not.toThrow();
    }
  });

  it('keeps PostgreSQL on a volume and Redis durable (AOF, no eviction)', () => {
    const postgres = compose.postgres as { volumes: string[] };
    expect(postgres.volumes.some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
    const redis = (compose.redis as { command: string[] }).command.join(' ');
    expect(redis).toContain('--appendonly yes');
    expect(redis).toContain('--appendfsync everysec');
    expect(redis).toContain('--maxmemory-policy noeviction');
  });
});

describe('Dockerfile', () => {
  it('runs as a non-root user and defaults to a package script', () => {
    expect(read('Dockerfile')).toMatch(/^USER node$/m);
    expect(dockerfile.entrypoint).toEqual(['npm', 'run', '--silent']);
    expect(scripts).toHaveProperty([dockerfile.cmd.join(' ')]);
  });

  it('copies every workspace package.json before npm ci (the lockfile needs them all)', () => {
    const workspaces = (rootPackage.workspaces as string[]).flatMap((glob) => {
      const parent = glob.replace(/\/\*$/, '');
      return readdirSync(path.join(REPO_ROOT, parent))
        .map((name) => `${parent}/${name}`)
        .filter((dir) => existsSync(path.join(REPO_ROOT, dir, 'package.json')));
    });
    const copied = read('Dockerfile')
      .split('\n')
      .filter((line) => line.startsWith('COPY '))
      .flatMap((line) => line.split(/\s+/));
    expect(workspaces.length).toBeGreaterThan(0);
    for (const dir of workspaces) expect(copied).toContain(`${dir}/package.json`);
  });

  it('sets only variables of a service schema or of the tools in the image', () => {
    const known = [...TOOL_VARIABLES, ...Object.values(SERVICES).flatMap((s) => s.variables)];
    expect(Object.keys(dockerfile.env).filter((v) => !known.includes(v))).toEqual([]);
  });
});

describe('production scripts', () => {
  it('start the files the build writes, on plain node', () => {
    const outputs = ENTRY_POINTS.map((entry) => entry.output);
    for (const name of Object.keys(SERVICES)) {
      const script = scripts[name] ?? '';
      expect(script, name).not.toContain('tsx');
      expect(outputs, name).toContain(script.split(' ').at(-1));
    }
  });
});
