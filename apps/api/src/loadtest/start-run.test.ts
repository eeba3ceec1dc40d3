import { describe, expect, it } from 'vitest';
import { defaultRunnerCommand } from './start-run.ts';

describe('the load-test runner command', () => {
  it('runs the compiled runner of the container image on plain node, without tsx', () => {
    const cli = '/app/tools/loadtest/dist/cli.js';
    expect(defaultRunnerCommand(cli)).toEqual({ file: process.execPath, args: [cli] });
  });

  it('runs a TypeScript runner (the repository default) through tsx', () => {
    const { args } = defaultRunnerCommand();
    expect(args.slice(0, 2)).toEqual(['--import', 'tsx']);
    expect(args[2]).toMatch(/tools\/loadtest\/src\/cli\.ts$/);
  });
});
