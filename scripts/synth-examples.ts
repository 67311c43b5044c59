/**
 * The main job: synthesizes every reference architecture under examples/ into cdk.out/<example>/ and
 * prints, per stack, its resource count, what it costs a month before traffic (scripts/cost-estimate.ts),
 * its compliance findings (cdk-nag AwsSolutions, registered by each example app as a validation plugin) and
 * where its template was written.
 *
 * Usage: npm run examples [-- example-name ...]
 * Exits non-zero when an example fails to synthesize or has a compliance finding.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { estimateTemplate } from './cost-estimate';
import { deployabilityProblems } from './deployability';
import { formatUsd } from '../src/core/private/prices';

const ROOT = path.resolve(__dirname, '..');
export const EXAMPLES = path.join(ROOT, 'examples');
const OUT = path.join(ROOT, 'cdk.out');

export interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
  readonly message: string;
}

export interface StackResult {
  readonly name: string;
  readonly resources: number;
  readonly template: string;
  readonly findings: Finding[];
  /** Synth warnings (Annotations) on the stack's constructs: `path: message`. */
  readonly warnings: string[];
  /** What the stack costs a month before traffic, in us-east-1 (scripts/cost-estimate.ts; details: npx projen cost). */
  readonly fixedMonthlyUsd: number;
}

export function listExamples(filter: string[] = []): string[] {
  const all = fs.readdirSync(EXAMPLES)
    .filter((name) => fs.existsSync(path.join(EXAMPLES, name, 'app.ts')))
    .sort();
  const unknown = filter.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown example(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  }
  return filter.length > 0 ? filter : all;
}

/** The context an example's cdk.json gives the app, passed as the CDK CLI does. */
function exampleContext(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'cdk.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).context ?? {} : {};
}

function readFindings(outdir: string): Finding[] {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const findings: Finding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      for (const construct of violation.violatingConstructs ?? []) {
        findings.push({
          rule: violation.ruleName,
          severity: violation.severity ?? 'error',
          path: construct.constructPath ?? '(unknown)',
          message: violation.description,
        });
      }
    }
  }
  return findings;
}

function readStacks(outdir: string, findings: Finding[]): StackResult[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const stacks: StackResult[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const templatePath = path.join(outdir, artifact.properties.templateFile);
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
    const displayName: string = artifact.displayName ?? artifactId;
    // Metadata is inline in the manifest, or (aws-cdk-lib 2.2xx and later) in <stack>.metadata.json.
    const metadata: Record<string, any[]> = { ...artifact.metadata ?? {} };
    if (artifact.additionalMetadataFile) {
      Object.assign(metadata, JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf8')));
    }
    const warnings = Object.entries<any[]>(metadata).flatMap(([constructPath, entries]) => entries
      .filter((entry) => entry.type === 'aws:cdk:warning')
      .map((entry) => `${constructPath}: ${String(entry.data)}`));
    stacks.push({
      name: displayName,
      resources: Object.keys(template.Resources ?? {}).length,
      template: path.relative(ROOT, templatePath),
      findings: findings.filter((f) => f.path === displayName || f.path.startsWith(`${displayName}/`)),
      warnings,
      fixedMonthlyUsd: estimateTemplate(template).fixedMonthlyUsd,
    });
  }
  return stacks;
}

export interface ExampleResult {
  readonly ok: boolean;
  readonly stacks: StackResult[];
  readonly findings: Finding[];
  /** What would not deploy or would lose data (scripts/deployability.ts). */
  readonly problems: string[];
  readonly output: string;
}

/** How an example app is run: as the CDK CLI runs it, with ts-node. */
function appCommand(name: string, outdir: string): { args: string[]; options: { cwd: string; env: NodeJS.ProcessEnv } } {
  const dir = path.join(EXAMPLES, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  return {
    args: ['-r', 'ts-node/register/transpile-only', path.join(dir, 'app.ts')],
    options: {
      cwd: dir,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        // As the CDK CLI does: the app's context, with construct paths in the template metadata.
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:enable-path-metadata': true, ...exampleContext(dir) }),
        TS_NODE_PROJECT: path.join(EXAMPLES, 'tsconfig.json'),
      },
    },
  };
}

/** Synthesizes one example into `outdir` and reads what it produced. */
export function synthExample(name: string, outdir = path.join(OUT, name)): ExampleResult {
  const { args, options } = appCommand(name, outdir);
  const result = spawnSync(process.execPath, args, { ...options, encoding: 'utf8' });
  return readResult(outdir, result.status, `${result.stdout ?? ''}${result.stderr ?? ''}`);
}

/** Synthesizes one example in a child process without blocking (several can run at once). */
export function synthExampleAsync(name: string, outdir = path.join(OUT, name)): Promise<ExampleResult> {
  const { args, options } = appCommand(name, outdir);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, options);
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (status) => resolve(readResult(outdir, status, output)));
  });
}

/**
 * Synthesizes the examples `concurrency` at a time (each is a child process that is mostly CPU: the default
 * is the machine's cores), returning the results in the order of `names`.
 */
export async function synthExamples(names: string[], outdirOf: (name: string) => string = (name) => path.join(OUT, name),
  concurrency = Math.max(1, os.cpus().length)): Promise<Array<{ name: string; result: ExampleResult; seconds: number }>> {
  const results: Array<{ name: string; result: ExampleResult; seconds: number }> = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const index = next++;
      const started = Date.now();
      const result = await synthExampleAsync(names[index], outdirOf(names[index]));
      results[index] = { name: names[index], result, seconds: (Date.now() - started) / 1000 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return results;
}

function readResult(outdir: string, status: number | null, output: string): ExampleResult {
  const findings = readFindings(outdir);
  const hasManifest = fs.existsSync(path.join(outdir, 'manifest.json'));
  const stacks = hasManifest ? readStacks(outdir, findings) : [];
  const problems = hasManifest ? deployabilityProblems(outdir) : [];
  const warnings = stacks.reduce((n, stack) => n + stack.warnings.length, 0);
  return { ok: status === 0 && findings.length === 0 && problems.length === 0 && warnings === 0, stacks, findings, problems, output };
}

async function main(): Promise<void> {
  const started = Date.now();
  const filter = process.argv.slice(2);
  const names = listExamples(filter);
  let failed = 0;
  let totalStacks = 0;
  const results = await synthExamples(names);
  for (const { name, result, seconds } of results) {
    const { ok, stacks, findings, problems, output } = result;
    console.log(`\n== ${name} (${seconds.toFixed(1)} s) ${ok ? 'ok' : 'FAILED'}`);
    for (const stack of stacks) {
      totalStacks++;
      console.log(`   ${stack.name}: ${stack.resources} resources, ${formatUsd(stack.fixedMonthlyUsd)}/month before traffic, ${stack.findings.length} compliance findings, ${stack.warnings.length} warnings -> ${stack.template}`);
      for (const warning of stack.warnings) {
        console.log(`   warning ${warning}`);
      }
    }
    for (const finding of findings) {
      console.log(`   ${finding.severity} ${finding.rule} ${finding.path}: ${finding.message}`);
    }
    for (const problem of problems) {
      console.log(`   would not deploy: ${problem}`);
    }
    if (!ok) {
      failed++;
      if (findings.length === 0 && problems.length === 0) {
        console.log(output.split('\n').map((line) => `   | ${line}`).join('\n'));
      }
    }
  }
  console.log(`\nexamples: ${names.length - failed} synthesized cleanly, ${failed} failed (${totalStacks} stacks, templates under ${path.relative(ROOT, OUT)}/) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // With every example synthesized, the README's diagrams must match them (loaded here: diagrams.ts uses this module).
  if (filter.length === 0 && failed === 0) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readmeBlock, renderBlock } = require('./diagrams') as typeof import('./diagrams');
    if (readmeBlock() !== renderBlock(results.map(({ name }) => [name, path.join(OUT, name)]))) {
      console.log('README diagrams: stale, run `npx projen diagrams` (and commit README.md)');
      failed++;
    } else {
      console.log('README diagrams: up to date');
    }
  }
  if (failed > 0) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void main();
}
