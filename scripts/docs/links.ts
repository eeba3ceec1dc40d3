// Checks the relative links of the README and docs/: each one must name a file that exists,
// and, when it points into a Markdown file, a heading that exists there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  reason: string;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text; a repeated heading gets `-1`, `-2`… as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.raw);
    if (!match) continue;
    const base = headingSlug(match[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Lines outside fenced code blocks, as written (raw) and with inline code blanked out (text). */
function proseLines(markdown: string): { raw: string; text: string; line: number }[] {
  const out: { raw: string; text: string; line: number }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return;
    }
    if (!fenced) out.push({ raw: text, text: text.replace(/`[^`]*`/g, '``'), line: index + 1 });
  });
  return out;
}

/** `[text](target)` and `![alt](target)` targets of a Markdown text, external ones excluded. */
export function relativeLinks(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  for (const { text, line } of proseLines(markdown)) {
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ target, line });
    }
  }
  return links;
}

export function brokenLinks(root: string, files: string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const { target, line } of relativeLinks(text)) {
      const [pathPart = '', anchor] = target.split('#');
      const resolved = pathPart
        ? path.join(root, path.dirname(file), decodeURI(pathPart))
        : path.join(root, file);
      if (!existsSync(resolved)) {
        broken.push({ file, line, target, reason: 'no such file' });
        continue;
      }
      if (
        anchor &&
        resolved.endsWith('.md') &&
        !headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)
      ) {
        broken.push({ file, line, target, reason: 'no such heading' });
      }
    }
  }
  return broken;
}

/** README.md and every Markdown file under docs/. */
export function documentationFiles(root: string): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs.sort()];
}
