import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type Command } from '../src/command.js';
import { extractGlobalFlags, runCli, type CliIo } from '../src/run.js';
import { parseCommandArgs } from '../src/args.js';

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: '/work/ws', interactive: false };
}

const echo: Command = {
  name: 'echo',
  summary: 'prints its arguments',
  usage: 'Usage: schemabranch echo <words...> [--fail] [--loud]',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { fail: { type: 'boolean' }, loud: { type: 'boolean' } }, { min: 1 });
    if (values.fail) throw new Error('it failed; retrying is safe');
    ctx.json({ words: positionals, dir: ctx.dir });
    ctx.print(values.loud ? positionals.join(' ').toUpperCase() : positionals.join(' '));
    return EXIT_OK;
  },
};

test('global flags are taken from any position; everything after -- is left alone', () => {
  assert.deepEqual(extractGlobalFlags(['branch', '--json', 'list', '--dir', 'sub'], '/w'), { dir: '/w/sub', json: true, help: false, rest: ['branch', 'list'] });
  assert.deepEqual(extractGlobalFlags(['-C', '/abs', 'lint', '--dir=../x', '-h'], '/w'), { dir: '/x', json: false, help: true, rest: ['lint'] });
  assert.deepEqual(extractGlobalFlags(['echo', '--', '--json'], '/w').rest, ['echo', '--', '--json']);
  assert.throws(() => extractGlobalFlags(['lint', '--dir'], '/w'), UsageError);
});

test('dispatch: output, --json documents, usage errors (2) and failures (1)', async () => {
  let t = io();
  assert.equal(await runCli(['echo', 'a', 'b', '--loud'], t, [echo]), EXIT_OK);
  assert.deepEqual(t.out, ['A B\n']);

  t = io();
  assert.equal(await runCli(['echo', 'a', '--json', '--dir', 'sub'], t, [echo]), EXIT_OK);
  assert.deepEqual(JSON.parse(t.out.join('')), { words: ['a'], dir: '/work/ws/sub' });

  t = io();
  assert.equal(await runCli(['echo', '--nope'], t, [echo]), EXIT_USAGE);
  assert.match(t.err.join(''), /Unknown option '--nope'[\s\S]*Usage: schemabranch echo/);

  t = io();
  assert.equal(await runCli(['echo'], t, [echo]), EXIT_USAGE);
  assert.match(t.err.join(''), /Missing argument/);

  t = io();
  assert.equal(await runCli(['echo', 'x', '--fail', '--json'], t, [echo]), EXIT_FAILURE);
  assert.deepEqual(JSON.parse(t.out.join('')), { error: { message: 'it failed; retrying is safe', kind: 'Error' } });
  assert.match(t.err.join(''), /schemabranch echo: it failed/);

  t = io();
  assert.equal(await runCli(['help', 'echo'], t, [echo]), EXIT_OK);
  assert.match(t.out.join(''), /^Usage: schemabranch echo/);

  t = io();
  assert.equal(await runCli([], t, [echo]), EXIT_USAGE, 'no command is a usage error');
  assert.match(t.out.join(''), /^ {2}echo {2}prints its arguments$/m);
});
