// A stand-in for the load-test runner in api tests: no traffic, just the row writes the real
// runner makes, chosen by --scenario so a test can drive each outcome:
//   list       → records its arguments as progress, then runs until signalled (SIGTERM exits 0)
//   initialize → initializes one load-test player, writes a small report and exits 0 (completed)
//   events     → exits 3 with a message on stderr and leaves the row running (a crash)
import { parseArgs } from 'node:util';
import pg from 'pg';

const names = ['scenario', 'rps', 'eps', 'duration', 'users', 'run-id', 'target', 'base-path']
  .concat(['grpc', 'namespace', 'queue-prefix', 'profile-seconds', 'api-metrics'])
  .concat(['worker-metrics'])
  .concat(['database-url', 'admin-key', 'ingest-key']);
const { values } = parseArgs({
  options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
});
const id = values['run-id'];
// Like the real runner: secrets come from the environment (DATABASE_URL, ADMIN_API_KEY,
// INGEST_API_KEY).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
const secrets = {
  databaseUrl: process.env.DATABASE_URL,
  adminKey: process.env.ADMIN_API_KEY,
  ingestKey: process.env.INGEST_API_KEY,
};

if (values.scenario === 'events') {
  process.stderr.write('fake runner: simulated crash\n');
  process.exit(3);
}
await pool.query(`UPDATE load_test_runs SET progress = $2 WHERE id = $1 AND status = 'running'`, [
  id,
  JSON.stringify({ phase: 'measure', args: values, secrets, pid: process.pid }),
]);
if (values.scenario === 'initialize') {
  // Rows of a made-up player, as a real run leaves them (the launcher removes them after it).
  const initialized = await fetch(
    `${values.target}${values['base-path']}/v1/challenges/initialize`,
    {
      method: 'POST',
      headers: { 'x-mock-user-id': 'loadtest~0' },
    },
  );
  await pool.query(
    `UPDATE load_test_runs SET status = 'completed', report = $2, report_md = $3,
            finished_at = now() WHERE id = $1`,
    [
      id,
      JSON.stringify({
        fake: true,
        initialized: initialized.status,
        verdict: { passed: true, items: [] },
      }),
      '# Fake report\n',
    ],
  );
  await pool.end();
} else {
  // Keeps the event loop alive until the launcher cancels the run.
  const alive = setInterval(() => undefined, 60_000);
  process.once('SIGTERM', () => {
    clearInterval(alive);
    void pool.end();
  });
}
