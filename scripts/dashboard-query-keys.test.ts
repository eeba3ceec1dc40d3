// The dashboard fetches through @trpc/tanstack-react-query (apps/web/lib/trpc.ts): query keys
// come from a procedure's path and input, so a page that writes its own key (or calls the tRPC
// client around the cache) can miss an invalidation that names the generated one. This fails on
// any such line in the dashboard's pages and components.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build/bundle.ts';

const RULES: { pattern: RegExp; message: string }[] = [
  {
    pattern: /\bqueryKey\s*:/,
    message: 'a hand-written query key: use trpc.x.y.queryOptions(input) or .pathFilter()',
  },
  {
    pattern: /\bqueryFn\s*:/,
    message: 'a hand-written query function: use trpc.x.y.queryOptions(input)',
  },
  {
    pattern: /\b(set|get|ensure|fetch|prefetch)(Infinite)?Query(Data)?\(\s*\[/,
    message: 'a hand-written query key: use trpc.x.y.queryKey(input)',
  },
  {
    pattern: /from\s+['"]@trpc\/client['"]|\buseTRPCClient\b/,
    message: 'the tRPC client outside lib/trpc.ts: fetch through useTRPC()',
  },
];

/** `path:line  message` for every line of one file that goes around the generated keys. */
function handWrittenQueries(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      RULES.filter((rule) => rule.pattern.test(line)).map(
        (rule) => `${file}:${index + 1}  ${rule.message}`,
      ),
    );
}

function dashboardFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) out.push(full);
    }
  };
  for (const dir of ['app', 'components']) walk(path.join(REPO_ROOT, 'apps/web', dir));
  return out;
}

describe('dashboard data fetching', () => {
  it('recognises hand-written keys, query functions and direct client calls', () => {
    const old = [
      "import { createTRPCClient } from '@trpc/client';",
      "const users = useQuery({ queryKey: ['user.list'], queryFn: () => trpc.user.list.query() });",
      "queryClient.setQueryData(['auth.session'], session);",
      "await queryClient.invalidateQueries({ queryKey: ['reward.list'] });",
    ].join('\n');
    expect(handWrittenQueries('x.tsx', old).map((v) => v.split('  ')[0])).toEqual([
      'x.tsx:1',
      'x.tsx:2',
      'x.tsx:2',
      'x.tsx:3',
      'x.tsx:4',
    ]);
    const now = [
      'const users = useQuery(trpc.user.list.queryOptions());',
      'queryClient.setQueryData(trpc.auth.session.queryKey(), session);',
      'await queryClient.invalidateQueries(trpc.reward.list.pathFilter());',
      'mutationFn: (version: number) => queryClient.fetchQuery(trpc.challenge.export.queryOptions({ version })),',
    ].join('\n');
    expect(handWrittenQueries('x.tsx', now)).toEqual([]);
  });

  it('has no page or component that writes a query key or calls the client itself', () => {
    const files = dashboardFiles();
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((file) =>
      handWrittenQueries(path.relative(REPO_ROOT, file), readFileSync(file, 'utf8')),
    );
    expect(found).toEqual([]);
  });
});
