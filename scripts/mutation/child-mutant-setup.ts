// Several integration tests spawn a real api or worker (`node --import tsx …`). Instrumented
// code activates the mutant named in __STRYKER_ACTIVE_MUTANT__ when the process starts, so
// copying the active mutant there makes those children run the same mutant as the test.
// (Coverage is still measured in the test process only: a mutant reached only inside a child
// shows as "no coverage".)
import { beforeAll } from 'vitest';

const VARIABLE = '__STRYKER_ACTIVE_MUTANT__';

beforeAll(() => {
  const ns = (globalThis as { __stryker__?: { activeMutant?: string | number } }).__stryker__;
  const active = ns?.activeMutant;
  if (active === undefined) delete process.env[VARIABLE];
  else process.env[VARIABLE] = String(active);
});
