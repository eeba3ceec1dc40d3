// `npm run build` (with `next build` after it): compiles the Node processes to plain JavaScript
// (scripts/build/bundle.ts). `node --import tsx scripts/build.ts api worker` builds only those.
import { bundle, ENTRY_POINTS } from './build/bundle.ts';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !ENTRY_POINTS.some((entry) => entry.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `[build] unknown entry point(s): ${unknown.join(', ')} (known: ${ENTRY_POINTS.map((e) => e.name).join(', ')})\n`,
  );
  process.exit(1);
}

for (const entry of ENTRY_POINTS) {
  if (wanted.length > 0 && !wanted.includes(entry.name)) continue;
  const started = performance.now();
  await bundle(entry);
  const ms = Math.round(performance.now() - started);
  process.stderr.write(`[build] ${entry.name}: ${entry.output} (${ms} ms)\n`);
}
