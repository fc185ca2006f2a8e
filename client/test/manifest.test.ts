import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
interface Manifest {
  main: string;
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: {
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string; type: string }> };
    jsonValidation: { fileMatch: string; url: string }[];
    viewsWelcome: { view: string; when: string; contents: string }[];
    views: Record<string, { id: string }[]>;
  };
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

test('every setting has a description, and none of them can hold a password', () => {
  const props = Object.entries(pkg.contributes.configuration.properties);
  assert.ok(props.length >= 5);
  for (const [key, p] of props) {
    assert.ok((p.description ?? p.markdownDescription ?? '').length > 20, `${key} needs a description`);
    assert.doesNotMatch(key, /password|secret/i);
  }
  assert.match(pkg.contributes.configuration.properties['schemabranch.connection.url'].markdownDescription ?? '', /Never put a password here/);
});

test('schemabranch.json is validated against the schema shipped in docs/', () => {
  assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: 'schemabranch.json', url: './docs/schemabranch.schema.json' }]);
  assert.ok(existsSync(join(root, 'docs', 'schemabranch.schema.json')));
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^\*\*\/\*$/m, '.vscodeignore starts from "nothing"');
  for (const f of ['dist/client.js', 'dist/server.js', 'docs/schemabranch.schema.json', 'syntaxes/mysql-ddl.tmLanguage.json', 'LICENSE']) assert.match(ignore, new RegExp(`^!${f.replace(/\./g, '\\.')}$`, 'm'), f);
});

test('the welcome view belongs to the Branches view and offers initialise and pull', () => {
  const ids = pkg.contributes.views.schemabranch.map((v) => v.id);
  assert.deepEqual(ids, ['schemabranch.branches', 'schemabranch.deployRequests']);
  const w = pkg.contributes.viewsWelcome[0];
  assert.equal(w.view, 'schemabranch.branches');
  assert.equal(w.when, '!schemabranch.hasSchemaFolder');
  assert.match(w.contents, /command:schemabranch\.initialize/);
  assert.match(w.contents, /command:schemabranch\.pullSchema/);
  assert.equal(pkg.main, './dist/client.js');
});

test('Restricted Mode is declared: limited support, explained, and the settings a repository could abuse ignored there', () => {
  const trust = pkg.capabilities?.untrustedWorkspaces;
  assert.equal(trust?.supported, 'limited');
  assert.match(trust?.description ?? '', /Restricted Mode .* lints.* starts no database server, connects to no database and sends no password/);
  const restricted = trust?.restrictedConfigurations ?? [];
  for (const key of ['schemabranch.connection.url', 'schemabranch.schemaFolder']) assert.ok(restricted.includes(key), key);
  for (const key of restricted) assert.ok(pkg.contributes.configuration.properties[key], `${key} is a contributed setting`);
});

test('every file the README links is in the .vsix (vsce ls), so the links resolve in the installed extension', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const linked = [...new Set([...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l)))];
  assert.ok(linked.length > 5, 'the README links its docs');
  const listed = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  const packaged = new Set(listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
  assert.deepEqual(linked.filter((l) => !packaged.has(l.replace(/^\.\//, ''))), [], 'README links to files left out of the package');
});

test('the getting-started walkthrough goes from an empty folder to a revert, each step with its command and page', () => {
  const p = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; walkthroughs: { steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[] }[] };
  };
  const commands = new Set(p.contributes.commands.map((c) => c.command));
  const steps = p.contributes.walkthroughs[0]!.steps;
  assert.deepEqual(steps.map((s) => s.id), ['initialise', 'sandbox', 'push-main', 'branch', 'diff', 'open-request', 'deploy', 'revert']);
  for (const s of steps) {
    const linked = [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
    assert.equal(linked.length, 1, `${s.id} links one command`);
    assert.ok(commands.has(linked[0]!), `${s.id}: ${linked[0]} is contributed`);
    assert.deepEqual(s.completionEvents, [`onCommand:${linked[0]}`], `${s.id} completes when its command runs`);
    assert.ok(existsSync(join(root, s.media.markdown)), `${s.id}: ${s.media.markdown} exists (and media/** is packaged)`);
  }
});
