import { Writable } from 'node:stream';
import pino from 'pino';

/** A pino logger whose lines a test reads back, parsed, from `lines`. */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}
