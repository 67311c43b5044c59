/**
 * Checks a synthesized cloud assembly (an example under cdk.out/, an integration snapshot under test/) for
 * what synthesis does not catch but a deployment would:
 * - every Lambda asset holds the file its Handler names, in the runtime's language (JavaScript for Node.js),
 *   and no TypeScript source or declaration (Lambda runs JavaScript only); a Node.js handler file is also
 *   loaded in a child process, from a copy outside the repository (so it finds nothing but what the asset
 *   holds and Node.js built-ins; the AWS SDK v3, which the Lambda runtime provides, may be missing);
 * - every custom resource sets a ServiceTimeout of at most 900 seconds, above its function's timeout when the
 *   function is in the template (CloudFormation waits an hour otherwise, and another on rollback, for a
 *   function that cannot answer);
 * - every Redshift Serverless namespace is kept, or snapshotted, when deleted or replaced (its data survives).
 * Nested stack templates and nested cloud assemblies (stages) are checked too.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The longest ServiceTimeout the library allows its custom resources. */
export const MAX_SERVICE_TIMEOUT_SECONDS = 900;

interface StackArtifact {
  readonly id: string;
  readonly template: any;
  readonly assets: Record<string, { source: { path: string; packaging?: string } }>;
}

/** The stacks of an assembly, their nested stack templates, and those of its nested assemblies (stages). */
function stacksOf(assemblyDir: string): Array<StackArtifact & { dir: string }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  const artifacts = Object.entries<any>(manifest.artifacts ?? {});
  // Every asset of the assembly (nested stack templates are assets of their parent).
  const assets: StackArtifact['assets'] = {};
  for (const [, artifact] of artifacts.filter(([, a]) => a.type === 'cdk:asset-manifest')) {
    const file = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.file), 'utf8'));
    Object.assign(assets, file.files ?? {});
  }
  const stacks = artifacts.filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, artifact]) => ({
    id: artifact.displayName ?? id,
    template: JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8')),
    assets,
    dir: assemblyDir,
  }));
  const nestedTemplates = Object.values(assets)
    .filter((asset) => asset.source.path.endsWith('.nested.template.json'))
    .map((asset) => ({ id: asset.source.path, template: JSON.parse(fs.readFileSync(path.join(assemblyDir, asset.source.path), 'utf8')), assets, dir: assemblyDir }));
  const nestedAssemblies = artifacts.filter(([, a]) => a.type === 'cdk:cloud-assembly')
    .flatMap(([, a]) => stacksOf(path.join(assemblyDir, a.properties.directoryName)));
  return [...stacks, ...nestedTemplates, ...nestedAssemblies];
}

/**
 * Loads a Node.js handler file from a copy of its asset outside the repository: what it requires at load
 * time must be in the asset or a Node.js built-in (the AWS SDK v3 comes with the runtime and may be missing).
 */
function loadProblem(assetDir: string, file: string): string | undefined {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-asset-'));
  try {
    fs.cpSync(assetDir, copy, { recursive: true });
    const script = `try { require(${JSON.stringify(path.join(copy, file))}); } catch (e) {
      if (e && e.code === 'MODULE_NOT_FOUND' && /Cannot find module '@aws-sdk\\//.test(e.message)) process.exit(0);
      console.error(String(e && e.message).split('\\n')[0]); process.exit(1); }`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: copy, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
    return result.status === 0 ? undefined : (result.stderr || `exit ${result.status}`).trim();
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** Every file under a directory, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory()
    ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
    : [`${prefix}${entry.name}`]);
}

function lambdaProblems(stack: StackArtifact & { dir: string }, logicalId: string, properties: any): string[] {
  const key = properties?.Code?.S3Key;
  if (typeof key !== 'string') {
    return []; // inline code (ZipFile) or an image
  }
  const hash = key.replace(/\.zip$/, '');
  const asset = stack.assets[hash];
  if (asset === undefined) {
    return [`${stack.id}/${logicalId}: its code ${key} is not an asset of the stack`];
  }
  const dir = path.join(stack.dir, asset.source.path);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return []; // a prebuilt zip file: nothing to inspect
  }
  const files = filesUnder(dir);
  const problems: string[] = [];
  const typescript = files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f));
  if (typescript.length > 0) {
    problems.push(`${stack.id}/${logicalId}: its asset ${asset.source.path} ships TypeScript (${typescript.slice(0, 5).join(', ')}), which Lambda does not run`);
  }
  const handler: string = properties.Handler ?? '';
  const module = handler.slice(0, handler.lastIndexOf('.'));
  const runtime: string = properties.Runtime ?? '';
  const extensions = runtime.startsWith('nodejs') ? ['.js', '.mjs', '.cjs'] : runtime.startsWith('python') ? ['.py'] : [];
  const found = extensions.map((ext) => `${module}${ext}`).find((file) => files.includes(file));
  if (extensions.length > 0 && found === undefined) {
    problems.push(`${stack.id}/${logicalId}: its Handler ${handler} names ${module}${extensions[0]}, which its asset ${asset.source.path} lacks (it holds ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''})`);
  } else if (found !== undefined && runtime.startsWith('nodejs')) {
    const problem = loadProblem(dir, found);
    if (problem !== undefined) {
      problems.push(`${stack.id}/${logicalId}: its handler file ${found} does not load from its asset alone: ${problem}`);
    }
  }
  return problems;
}

/** The Timeout of the function a custom resource's ServiceToken names, when it is a function of the template. */
function functionTimeout(template: any, serviceToken: unknown): number | undefined {
  const getAtt = (serviceToken as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt'];
  const fn = getAtt ? template.Resources?.[getAtt[0]] : undefined;
  return fn?.Type === 'AWS::Lambda::Function' ? Number(fn.Properties?.Timeout ?? 3) : undefined;
}

/** What would keep the assembly from deploying, or lose data on `cdk destroy`; empty when nothing. */
export function deployabilityProblems(assemblyDir: string): string[] {
  const problems: string[] = [];
  for (const stack of stacksOf(assemblyDir)) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      const type: string = resource.Type;
      if (type === 'AWS::Lambda::Function') {
        problems.push(...lambdaProblems(stack, logicalId, resource.Properties));
      }
      if (type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::')) {
        const timeout = Number(resource.Properties?.ServiceTimeout);
        const fnTimeout = functionTimeout(stack.template, resource.Properties?.ServiceToken);
        if (!(timeout > 0 && timeout <= MAX_SERVICE_TIMEOUT_SECONDS)) {
          problems.push(`${stack.id}/${logicalId} (${type}): ServiceTimeout must be set to at most ${MAX_SERVICE_TIMEOUT_SECONDS} seconds, but it is ${resource.Properties?.ServiceTimeout ?? 'unset (CloudFormation waits an hour)'}`);
        } else if (fnTimeout !== undefined && timeout <= fnTimeout) {
          problems.push(`${stack.id}/${logicalId} (${type}): ServiceTimeout (${timeout} s) must exceed its function's timeout (${fnTimeout} s), or CloudFormation gives up while the function still runs`);
        }
      }
      if (type === 'AWS::RedshiftServerless::Namespace') {
        const retained = (policy: unknown) => policy === 'Retain' || policy === 'RetainExceptOnCreate';
        const snapshot = resource.Properties?.FinalSnapshotName !== undefined;
        if (!snapshot && !(retained(resource.DeletionPolicy) && retained(resource.UpdateReplacePolicy))) {
          problems.push(`${stack.id}/${logicalId}: the Redshift Serverless namespace is deleted (DeletionPolicy ${resource.DeletionPolicy ?? 'Delete'}, UpdateReplacePolicy ${resource.UpdateReplacePolicy ?? 'Delete'}) without a final snapshot`);
        }
      }
    }
  }
  return problems;
}
