import { describe, expect, it } from 'vitest';
import { createLinePrefixer, formatTag, shouldUseColour } from './line-prefixer.ts';

function collect(tag = '[api] ') {
  const out: string[] = [];
  const prefixer = createLinePrefixer(tag, (text) => out.push(text));
  return { out, prefixer };
}

describe('createLinePrefixer', () => {
  it('prefixes every line, also when a chunk holds several', () => {
    const { out, prefixer } = collect();
    prefixer.push('one\ntwo\n');
    expect(out).toEqual(['[api] one\n', '[api] two\n']);
  });

  it('joins a line split across chunks and keeps CRLF output clean', () => {
    const { out, prefixer } = collect();
    prefixer.push('{"level":30,');
    prefixer.push('"msg":"listening"}\r\nnext');
    expect(out).toEqual(['[api] {"level":30,"msg":"listening"}\n']);
    prefixer.flush();
    expect(out[1]).toBe('[api] next\n');
  });

  it('does not break a multi-byte character split between chunks', () => {
    const { out, prefixer } = collect();
    const bytes = Buffer.from('größe ✓\n');
    prefixer.push(bytes.subarray(0, 3));
    prefixer.push(bytes.subarray(3));
    expect(out).toEqual(['[api] größe ✓\n']);
  });

  it('keeps empty lines and emits nothing on flush when no text is pending', () => {
    const { out, prefixer } = collect();
    prefixer.push('\n');
    prefixer.flush();
    expect(out).toEqual(['[api] \n']);
  });
});

describe('formatTag', () => {
  it('pads tags to a common width without colour codes when colour is off', () => {
    expect(formatTag('api', 0, 6, false)).toBe('[api]    ');
    expect(formatTag('worker', 1, 6, false)).toBe('[worker] ');
  });

  it('wraps the tag, not the padding, in a colour per service', () => {
    expect(formatTag('api', 0, 3, true)).toBe('\u001b[36m[api]\u001b[0m ');
    expect(formatTag('web', 2, 3, true)).toBe('\u001b[33m[web]\u001b[0m ');
  });
});

describe('shouldUseColour', () => {
  it('colours a TTY only, unless NO_COLOR or FORCE_COLOR say otherwise', () => {
    expect(shouldUseColour(true, {})).toBe(true);
    expect(shouldUseColour(undefined, {})).toBe(false);
    expect(shouldUseColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColour(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColour(true, { FORCE_COLOR: '0' })).toBe(false);
  });
});
