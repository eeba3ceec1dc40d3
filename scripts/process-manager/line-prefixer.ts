import { StringDecoder } from 'node:string_decoder';

// Distinct, readable on dark and light terminals; assigned by service index so a tag keeps its
// colour across restarts.
const colours = [36, 35, 33, 32, 34, 31] as const;

/** `[api]   `: padded past the longest name (`width`) so all services' lines align. */
export function formatTag(name: string, index: number, width: number, useColour: boolean): string {
  const tag = `[${name}]`;
  const padding = ' '.repeat(Math.max(0, width + 3 - tag.length));
  if (!useColour) return `${tag}${padding}`;
  const code = colours[index % colours.length];
  return `\u001b[${code}m${tag}\u001b[0m${padding}`;
}

/** Colour only when a person watches a terminal; NO_COLOR / FORCE_COLOR override (no-color.org). */
export function shouldUseColour(isTty: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTty === true;
}

export interface LineSplitter {
  push(chunk: Buffer | string): void;
  /** Emits a trailing line without newline, e.g. a crash message written just before exit. */
  flush(): void;
}

/**
 * Reassembles lines from arbitrary stream chunks: a chunk may end mid-line or even mid-character,
 * and prefixing per chunk would put tags in the middle of a log line.
 */
export function createLineSplitter(onLine: (line: string) => void): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (text: string): void => {
    pending += text;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  };
  return {
    push(chunk) {
      emit(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    },
    flush() {
      emit(decoder.end());
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

/** Splits into lines and writes each with the tag in front; `seen` gets each line untagged. */
export function createLinePrefixer(
  tag: string,
  write: (text: string) => void,
  seen?: (line: string) => void,
): LineSplitter {
  return createLineSplitter((line) => {
    seen?.(line);
    write(`${tag}${line}\n`);
  });
}
