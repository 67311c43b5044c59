/**
 * Checks a synthesized cloud assembly (an example under cdk.out/, an integration snapshot under test/) for
 * what synthesis does not catch but a deployment would:
 * - every Lambda asset holds the file its Handler names, in the runtime's language (JavaScript for Node.js),
 *   and no TypeScript source or declaration (Lambda runs JavaScript only);
 * - every custom resource sets a ServiceTimeout of at most 900 seconds (CloudFormation waits an hour
 *   otherwise, and another on rollback, for a function that cannot answer);
 * - every Redshift Serverless namespace is kept, or snapshotted, when deleted (its data survives `cdk destroy`).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The longest ServiceTimeout the library allows its custom resources. */
export const MAX_SERVICE_TIMEOUT_SECONDS = 900;

interface StackArtifact {
  readonly id: string;
  readonly template: any;
  readonly assets: Record<string, { source: { path: string; packaging?: string } }>;
}

function stacksOf(assemblyDir: string): StackArtifact[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  const artifacts = Object.entries<any>(manifest.artifacts ?? {});
  return artifacts.filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, artifact]) => {
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8'));
    const assets: StackArtifact['assets'] = {};
    for (const dependency of artifact.dependencies ?? []) {
      const assetArtifact = manifest.artifacts[dependency];
      if (assetArtifact?.type === 'cdk:asset-manifest') {
        const file = JSON.parse(fs.readFileSync(path.join(assemblyDir, assetArtifact.properties.file), 'utf8'));
        Object.assign(assets, file.files ?? {});
      }
    }
    return { id: artifact.displayName ?? id, template, assets };
  });
}

/** Every file under a directory, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory()
    ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
    : [`${prefix}${entry.name}`]);
}

function lambdaProblems(assemblyDir: string, stack: StackArtifact, logicalId: string, properties: any): string[] {
  const key = properties?.Code?.S3Key;
  if (typeof key !== 'string') {
    return []; // inline code (ZipFile) or an image
  }
  const hash = key.replace(/\.zip$/, '');
  const asset = stack.assets[hash];
  if (asset === undefined) {
    return [`${stack.id}/${logicalId}: its code ${key} is not an asset of the stack`];
  }
  const dir = path.join(assemblyDir, asset.source.path);
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
  if (extensions.length > 0 && !extensions.some((ext) => files.includes(`${module}${ext}`))) {
    problems.push(`${stack.id}/${logicalId}: its Handler ${handler} names ${module}${extensions[0]}, which its asset ${asset.source.path} lacks (it holds ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''})`);
  }
  return problems;
}

/** What would keep the assembly from deploying, or lose data on `cdk destroy`; empty when nothing. */
export function deployabilityProblems(assemblyDir: string): string[] {
  const problems: string[] = [];
  for (const stack of stacksOf(assemblyDir)) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      const type: string = resource.Type;
      if (type === 'AWS::Lambda::Function') {
        problems.push(...lambdaProblems(assemblyDir, stack, logicalId, resource.Properties));
      }
      if (type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::')) {
        const timeout = Number(resource.Properties?.ServiceTimeout);
        if (!(timeout > 0 && timeout <= MAX_SERVICE_TIMEOUT_SECONDS)) {
          problems.push(`${stack.id}/${logicalId} (${type}): ServiceTimeout must be set to at most ${MAX_SERVICE_TIMEOUT_SECONDS} seconds, but it is ${resource.Properties?.ServiceTimeout ?? 'unset (CloudFormation waits an hour)'}`);
        }
      }
      if (type === 'AWS::RedshiftServerless::Namespace') {
        const kept = ['Retain', 'RetainExceptOnCreate'].includes(resource.DeletionPolicy) || resource.Properties?.FinalSnapshotName !== undefined;
        if (!kept) {
          problems.push(`${stack.id}/${logicalId}: the Redshift Serverless namespace is deleted with the stack without a final snapshot (DeletionPolicy ${resource.DeletionPolicy ?? 'Delete'})`);
        }
      }
    }
  }
  return problems;
}
