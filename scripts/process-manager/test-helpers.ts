import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A stand-in service: the first run crashes with code 3 (it leaves a marker file), later runs
// stay up, report their PID and exit on SIGTERM unless told to ignore it.
const fakeService = `
const fs = require('node:fs');
const [marker, mode] = process.argv.slice(2);
if (!fs.existsSync(marker)) {
  fs.writeFileSync(marker, '');
  console.error('crashing on purpose');
  process.exit(3);
}
process.on('SIGTERM', () => {
  if (mode === 'stubborn') return console.log('ignoring SIGTERM');
  console.log('got SIGTERM');
  process.exit(0);
});
console.log('ready pid=' + process.pid);
// If a failing test loses track of us, do not linger as an orphan.
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 200);
`;

export function writeFakeService(): { dir: string; script: string; marker: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'start-test-'));
  const script = path.join(dir, 'fake-service.cjs');
  writeFileSync(script, fakeService);
  return { dir, script, marker: path.join(dir, 'crashed-once') };
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readyPids(output: string): number[] {
  return [...output.matchAll(/ready pid=(\d+)/g)].map((m) => Number(m[1]));
}
