/**
 * docs/ci/schema-checks.yml cannot rot: its `run:` steps run here, in order, in
 * a copy of examples/shop with two schema branches, with the CLI bundled as the
 * workflow expects it (tools/schemabranch.js) and the test server standing in
 * for the workflow's MariaDB service. docs/ci.md must show the file verbatim.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { bundle } from '../../scripts/bundle.js';
import { parse } from 'yaml';
import { testWorkspace, urlOf } from '../../engine/test/branch/workspace.js';
import { repo } from './run-cli.js';
import { validLog } from './sarif-schema.js';

const workflowText = readFileSync(join(repo, 'docs/ci/schema-checks.yml'), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: { schema: { env: Record<string, string>; services: { mariadb: { ports: string[] } }; steps: Step[] } };
}

test('docs/ci.md shows the workflow file verbatim', () => {
  const doc = readFileSync(join(repo, 'docs/ci.md'), 'utf8');
  assert.ok(doc.includes(`\`\`\`yaml\n${workflowText}\`\`\`\n`), 'docs/ci.md must include docs/ci/schema-checks.yml unchanged in a ```yaml block');
});

const run = promisify(execFile);

/** One `run:` step as the runner does it: bash -eo pipefail, in the checkout, with the job's and the step's env. */
async function runStep(step: Step, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd, env: { ...env, ...step.env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test("the workflow's run steps pass on a safe branch and fail, annotated, on a destructive one", async () => {
  const workflow = parse(workflowText) as Workflow;
  const job = workflow.jobs.schema;
  assert.deepEqual(job.services.mariadb.ports, ['3306:3306']);
  assert.equal(job.env.SCHEMABRANCH_URL, 'mysql://root@127.0.0.1:3306', "the CLI talks to the job's service");
  const runSteps = job.steps.filter((s) => s.run !== undefined);
  // Only the step that talks to GitHub is left out here; any other skipped step would hide a broken one.
  assert.deepEqual(runSteps.filter((s) => s.if !== undefined).map((s) => s.name), ['Comment on the pull request']);

  const ws = await testWorkspace({}, 'ci');
  try {
    const root = ws.root;
    cpSync(join(repo, 'examples/shop'), root, { recursive: true });
    mkdirSync(join(root, '.git'));
    const config = JSON.parse(readFileSync(join(root, 'schemabranch.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(root, 'schemabranch.json'), JSON.stringify({ ...config, database: ws.config.database }, null, 2));
    const main = join(root, 'schema/main');
    cpSync(main, join(root, 'schema/add-order-notes'), { recursive: true });
    const orders = readFileSync(join(main, 'orders.sql'), 'utf8');
    writeFileSync(join(root, 'schema/add-order-notes/orders.sql'), orders.replace('  PRIMARY KEY (id),', '  notes TEXT DEFAULT NULL,\n  PRIMARY KEY (id),'));
    cpSync(main, join(root, 'schema/drop-max-uses'), { recursive: true });
    const coupons = readFileSync(join(main, 'coupons.sql'), 'utf8');
    writeFileSync(join(root, 'schema/drop-max-uses/coupons.sql'), coupons.replace('  max_uses INT UNSIGNED DEFAULT NULL,\n', ''));
    await bundle({ entry: join(repo, 'cli/src/main.ts'), outfile: join(root, 'tools/schemabranch.js'), logLevel: 'error' });

    const summary = join(root, '..', `${ws.config.database}-summary.md`);
    writeFileSync(summary, '');
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCHEMABRANCH_') || k === 'SCHEMABRANCH_TEST_SERVER'));
    const env = { ...inherited, ...job.env, SCHEMABRANCH_URL: urlOf(ws.target), GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: root };
    const results = [];
    for (const step of runSteps.filter((s) => s.if === undefined)) results.push({ name: step.name, ...(await runStep(step, root, env)) });

    assert.deepEqual(
      results.map((r) => [r.name, r.code]),
      [
        ['Load main into the throwaway server', 0],
        ['Diff every branch against main (job summary and comment)', 0],
        ['Lint main for code scanning', 0],
        ['Lint every branch with its deploy-time rules (fails on errors)', 1],
      ],
      results.map((r) => `${r.name}: ${r.stderr}`).join('\n'),
    );
    const comment = readFileSync(summary, 'utf8');
    assert.equal(readFileSync(join(root, 'schema-checks.md'), 'utf8'), comment);
    const sections = comment.split('### schemabranch: ').slice(1);
    assert.equal(sections.length, 2);
    assert.match(sections[0], /^`add-order-notes` vs main/);
    assert.match(sections[0], /-- safe\nALTER TABLE `orders` ADD COLUMN `notes` text/i);
    assert.match(sections[0], /\*\*Lint verdict: deployable\*\*/);
    assert.match(sections[1], /^`drop-max-uses` vs main/);
    assert.match(sections[1], /\*\*Lint verdict: not deployable\*\* \(1 error/);

    const sarif = validLog(readFileSync(join(root, 'schemabranch.sarif'), 'utf8'));
    assert.ok(sarif.runs[0].results.some((r) => r.ruleId === 'float-double' && r.locations?.[0].physicalLocation.artifactLocation.uri === 'schema/main/coupons.sql'));

    const gate = results[3].stdout;
    assert.match(gate, /^::error file=schema\/drop-max-uses\/coupons\.sql,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=destructive-change::Deploying drops column `coupons`\.`max_uses`/m);
    assert.match(gate, /^::warning file=schema\/main\/coupons\.sql,line=7,col=\d+,endLine=7,endColumn=\d+,title=float-double::/m);
    assert.doesNotMatch(gate, /file=schema\/add-order-notes\/\S+title=destructive-change/);
  } finally {
    await ws.cleanup();
  }
});
