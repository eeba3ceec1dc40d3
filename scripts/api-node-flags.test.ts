import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterNodeArgs } from './cluster/start-cluster.ts';
import { API_NODE_FLAGS, defaultServices, PROCESS_NICE } from './process-manager/services.ts';

// The bench measures the api with the V8 flags production runs it with: every launch of the api
// carries API_NODE_FLAGS (npm start, `npm run start:api`, the image's start:api:prod, the bench
// and the load-test stack, which spawn with the same constant, and `npm run cluster`'s replicas).
// V8 reads them only at start: v8.setFlagsFromString in main.ts would not resize the young
// generation (docs/performance.md, V8 heap flags).
const root = path.resolve(import.meta.dirname, '..');
const script = (file: string, name: string) =>
  (JSON.parse(readFileSync(path.join(root, file), 'utf8')) as { scripts: Record<string, string> })
    .scripts[name]!;

describe('api node flags', () => {
  it('are on every launch of the api', () => {
    expect(API_NODE_FLAGS.length).toBeGreaterThan(0);
    const api = defaultServices({}).find((s) => s.name === 'api')!;
    expect(api.args.slice(0, API_NODE_FLAGS.length)).toEqual(API_NODE_FLAGS);
    expect(clusterNodeArgs.api.slice(0, API_NODE_FLAGS.length)).toEqual(API_NODE_FLAGS);
    for (const command of [
      script('package.json', 'start:api:prod'),
      script('apps/api/package.json', 'start'),
    ]) {
      const words = command.split(/\s+/);
      const node = words.indexOf('node');
      expect(words.slice(node + 1, node + 1 + API_NODE_FLAGS.length), command).toEqual(
        API_NODE_FLAGS,
      );
    }
  });
});

describe('npm start priorities', () => {
  it('lowers the worker below the api, which serves events too (ROLE=all)', () => {
    const services = defaultServices({});
    expect(services.find((s) => s.name === 'worker')!.env?.PROCESS_NICE).toBe(PROCESS_NICE.worker);
    expect(Number(PROCESS_NICE.worker)).toBeGreaterThan(0);
    expect(services.find((s) => s.name === 'api')!.env?.PROCESS_NICE).toBeUndefined();
  });

  it("leaves an operator's own PROCESS_NICE to every process, the worker's included", () => {
    // The service's env is laid over the inherited one, so a table entry would override it.
    for (const service of defaultServices({ PROCESS_NICE: '3' })) {
      expect(service.env?.PROCESS_NICE, service.name).toBeUndefined();
    }
  });
});
