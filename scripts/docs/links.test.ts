import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../build/bundle.ts';
import { brokenLinks, documentationFiles, headingAnchors, relativeLinks } from './links.ts';

describe('documentation links', () => {
  it('every relative link of README.md and docs/*.md resolves, anchors included', () => {
    expect(brokenLinks(REPO_ROOT, documentationFiles(REPO_ROOT))).toEqual([]);
  });
});

describe('the link checker', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'doc-links-'));
  mkdirSync(path.join(root, 'docs'));
  writeFileSync(
    path.join(root, 'docs', 'a.md'),
    '# A page\n\n## Event worker\n\n## Event worker\n',
  );

  it('reports a missing file and a missing heading, and accepts existing ones', () => {
    writeFileSync(
      path.join(root, 'README.md'),
      [
        '[ok](docs/a.md#event-worker) [ok2](docs/a.md#event-worker-1) [self](#top)',
        '# Top',
        '[gone](docs/b.md) [bad anchor](docs/a.md#rewards) ![img](docs/none.png)',
        '[web](https://example.com/x.md) `[code](nowhere.md)`',
        '```',
        '[fenced](nowhere.md)',
        '```',
      ].join('\n'),
    );
    expect(
      brokenLinks(root, ['README.md']).map((b) => `${b.line} ${b.target} ${b.reason}`),
    ).toEqual([
      '3 docs/b.md no such file',
      '3 docs/a.md#rewards no such heading',
      '3 docs/none.png no such file',
    ]);
  });

  it('makes anchors the way GitHub does', () => {
    expect([
      ...headingAnchors('## Running the stack: `npm start`, its servers\n## A/B — c\n## A/B — c'),
    ]).toEqual(['running-the-stack-npm-start-its-servers', 'ab--c', 'ab--c-1']);
  });

  it('skips external links and code', () => {
    expect(relativeLinks('[a](http://x) [b](mailto:x@y) `[c](d.md)` [e](f.md "title")')).toEqual([
      { target: 'f.md', line: 1 },
    ]);
  });
});
