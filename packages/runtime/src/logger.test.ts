import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logFormat } from './env/env-fields.ts';
import { chooseLogFormat, createLogger, type LogFormat } from './logger.ts';

describe('chooseLogFormat', () => {
  it.each([
    [undefined, true, 'pretty'],
    [undefined, false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('LOG_FORMAT=%s, terminal %s → %s', (setting, isTTY, expected) => {
    expect(chooseLogFormat({ setting, isTTY })).toBe(expected);
  });
});

describe('createLogger', () => {
  async function firstLine(format: LogFormat): Promise<string> {
    const destination = new PassThrough();
    const chunks: string[] = [];
    destination.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const log = createLogger({ level: 'info', format, base: { service: 'api' }, destination });
    log.info({ requestId: 'r1' }, 'listening');
    log.flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    return chunks.join('').split('\n')[0] ?? '';
  }

  it('writes one JSON object per line for a pipe', async () => {
    expect(JSON.parse(await firstLine('json'))).toMatchObject({
      service: 'api',
      requestId: 'r1',
      msg: 'listening',
    });
  });

  it('writes a readable line for a terminal', async () => {
    const line = await firstLine('pretty');
    expect(() => JSON.parse(line)).toThrow();
    expect(line).toMatch(/INFO.*listening/);
  });
});

describe('LOG_FORMAT', () => {
  it('accepts json, pretty and blank (unset), and refuses anything else', () => {
    expect(logFormat.parse('pretty')).toBe('pretty');
    expect(logFormat.parse('')).toBeUndefined();
    expect(logFormat.parse(undefined)).toBeUndefined();
    expect(logFormat.safeParse('xml').success).toBe(false);
  });
});
