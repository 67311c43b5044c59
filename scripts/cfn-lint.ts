/**
 * Lints CloudFormation templates with cfn-lint (the resource schemas and AWS's rules), for what aws-cdk-lib's
 * own validation does not check, and for the integration snapshots, which are synthesized with the peer
 * floor and not schema-validated there. Ignored warnings and their reasons: .cfnlintrc.yaml.
 *
 * Usage: npx projen lint:cfn   (synthesizes the examples into cdk.out/ first, then lints them and every
 * test/*.snapshot/ template; exits non-zero on any finding or when cfn-lint is missing).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
export const CFN_LINT_INSTALL_HINT = 'cfn-lint is missing: install it with `pip install cfn-lint \'moto[server]\'` (the machine image\'s Python has it)';

export interface LintFinding {
  readonly rule: string;
  readonly level: string;
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/**
 * The stack templates of a cloud assembly directory, but for stacks without resources (the integration
 * tests' empty assertion stacks), which the CDK CLI and integ-runner do not deploy.
 */
export function templatesOf(assemblyDir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  return Object.values<any>(manifest.artifacts ?? {})
    .filter((artifact) => artifact.type === 'aws:cloudformation:stack')
    .map((artifact) => path.join(assemblyDir, artifact.properties.templateFile))
    .filter((file) => Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {}).length > 0);
}

/** Runs cfn-lint over the templates; throws with the install hint when it is not installed. */
export function cfnLint(templates: string[]): LintFinding[] {
  if (templates.length === 0) {
    return [];
  }
  const result = spawnSync('cfn-lint', ['--config-file', path.join(ROOT, '.cfnlintrc.yaml'), '--format', 'json', ...templates], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || /command not found|No module named/.test(result.stderr ?? '')) {
    throw new Error(`${CFN_LINT_INSTALL_HINT}\n${result.error?.message ?? result.stderr}`);
  }
  // cfn-lint exits 0 when clean and with a bit mask (2 errors, 4 warnings, 8 informational) otherwise.
  if (result.status !== 0 && (result.stdout ?? '').trim() === '') {
    throw new Error(`cfn-lint failed (exit ${result.status}): ${result.stderr}`);
  }
  const findings: any[] = JSON.parse(result.stdout || '[]');
  return findings.map((f) => ({
    rule: f.Rule?.Id ?? '?',
    level: f.Level,
    file: path.relative(ROOT, f.Filename),
    path: (f.Location?.Path ?? []).join('/'),
    message: f.Message,
  }));
}

function main(): void {
  const assemblies = [
    ...(fs.existsSync(path.join(ROOT, 'cdk.out')) ? fs.readdirSync(path.join(ROOT, 'cdk.out')).map((d) => path.join(ROOT, 'cdk.out', d)) : []),
    ...fs.readdirSync(path.join(ROOT, 'test')).filter((d) => d.endsWith('.snapshot')).map((d) => path.join(ROOT, 'test', d)),
  ].filter((dir) => fs.existsSync(path.join(dir, 'manifest.json')));
  const templates = assemblies.flatMap(templatesOf);
  let findings: LintFinding[];
  try {
    findings = cfnLint(templates);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
    return;
  }
  for (const f of findings) {
    console.log(`${f.level} ${f.rule} ${f.file} ${f.path}: ${f.message}`);
  }
  console.log(`cfn-lint: ${templates.length} templates, ${findings.length} findings (ignored with reasons: .cfnlintrc.yaml)`);
  if (findings.length > 0) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main();
}
