import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../build/bundle.ts';

// The README is what a newcomer reads in five minutes; reference text belongs in docs/.
const README_MAX_LINES = 250;

describe('README.md', () => {
  const text = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  it(`stays within ${README_MAX_LINES} lines`, () => {
    expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('links every page under docs/', () => {
    const pages = readdirMarkdown();
    expect(pages.filter((page) => !text.includes(`](docs/${page})`))).toEqual([]);
  });
});

function readdirMarkdown(): string[] {
  return readdirSync(path.join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md'));
}
