/**
 * The committed integration snapshots would deploy (Lambda assets in JavaScript, bounded custom resources,
 * data kept on delete), and the check itself finds what it should. The examples get the same check, with
 * their compliance, warnings, cfn-lint and README diagrams, from the main job (`npm run examples`, which CI
 * runs through `npx projen lint:cfn`): scripts/synth-examples.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deployabilityProblems } from '../scripts/deployability';

const ROOT = path.resolve(__dirname, '..');

describe('integration snapshots', () => {
  // integ-runner's own work folders (test/cdk-integ.out.*) are left out: only the committed snapshots count.
  const snapshots = fs.readdirSync(path.join(ROOT, 'test')).filter((name) => /^integ\..*\.ts\.snapshot$/.test(name));

  test('there is one per integration test', () => {
    const tests = fs.readdirSync(path.join(ROOT, 'test')).filter((name) => /^integ\..*\.ts$/.test(name));
    expect(snapshots.sort()).toEqual(tests.map((name) => `${name}.snapshot`).sort());
  });

  test.each(snapshots)('%s would deploy: JavaScript Lambda assets, bounded custom resources, data kept', (snapshot) => {
    expect(deployabilityProblems(path.join(ROOT, 'test', snapshot))).toEqual([]);
  });
});

describe('the deployability check', () => {
  /** A one-stack assembly with the given resources and a Lambda asset folder holding `files`. */
  function assembly(resources: Record<string, unknown>, files: Record<string, string> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-'));
    fs.mkdirSync(path.join(dir, 'asset.abc'));
    for (const [file, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, 'asset.abc', file), text);
    }
    fs.writeFileSync(path.join(dir, 'S.template.json'), JSON.stringify({ Resources: resources }));
    fs.writeFileSync(path.join(dir, 'S.assets.json'), JSON.stringify({ files: { abc: { source: { path: 'asset.abc', packaging: 'zip' } } } }));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      artifacts: {
        'S.assets': { type: 'cdk:asset-manifest', properties: { file: 'S.assets.json' } },
        'S': { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' }, dependencies: ['S.assets'] },
      },
    }));
    return dir;
  }
  const fn = (handler = 'index.handler') => ({ Type: 'AWS::Lambda::Function', Properties: { Handler: handler, Runtime: 'nodejs24.x', Code: { S3Bucket: 'b', S3Key: 'abc.zip' } } });

  test('finds TypeScript handlers, a missing handler file, an unbounded custom resource and a namespace deleted with the stack', () => {
    expect(deployabilityProblems(assembly({ F: fn('table.handler') }, { 'table.ts': '', 'sql.d.ts': '' }))).toEqual([
      expect.stringMatching(/S\/F: its asset asset.abc ships TypeScript \(sql.d.ts, table.ts\)/),
      expect.stringMatching(/S\/F: its Handler table.handler names table.js, which its asset asset.abc lacks/),
    ]);
    expect(deployabilityProblems(assembly({ C: { Type: 'Custom::Thing', Properties: { ServiceToken: 'x' } } }))).toEqual([
      expect.stringMatching(/S\/C \(Custom::Thing\): ServiceTimeout must be set to at most 900 seconds, but it is unset/),
    ]);
    expect(deployabilityProblems(assembly({ C: { Type: 'AWS::CloudFormation::CustomResource', Properties: { ServiceTimeout: '3600' } } }))).toHaveLength(1);
    expect(deployabilityProblems(assembly({ N: { Type: 'AWS::RedshiftServerless::Namespace', Properties: {} } }))).toEqual([
      expect.stringMatching(/S\/N: the Redshift Serverless namespace is deleted \(DeletionPolicy Delete, UpdateReplacePolicy Delete\) without a final snapshot/),
    ]);
    // Kept on delete but not on replacement.
    expect(deployabilityProblems(assembly({ N: { Type: 'AWS::RedshiftServerless::Namespace', DeletionPolicy: 'Retain', Properties: {} } }))).toHaveLength(1);
  });

  test('finds a handler file that does not load from its asset alone, and a ServiceTimeout not above its function\'s timeout', () => {
    expect(deployabilityProblems(assembly({ F: fn() }, { 'index.js': 'const x: number = 1; exports.handler = async () => x;' }))).toEqual([
      expect.stringMatching(/S\/F: its handler file index.js does not load from its asset alone: Missing initializer in const declaration/),
    ]);
    expect(deployabilityProblems(assembly({ F: fn() }, { 'index.js': 'require("./sql"); exports.handler = async () => 1;' }))).toEqual([
      expect.stringMatching(/S\/F: its handler file index.js does not load from its asset alone: Cannot find module '.\/sql'/),
    ]);
    // The AWS SDK v3 comes with the Lambda runtime: a bundle may leave it out.
    expect(deployabilityProblems(assembly({ F: fn() }, { 'index.js': 'require("@aws-sdk/client-ec2"); exports.handler = async () => 1;' }))).toEqual([]);
    const withTimeout = { ...fn(), Properties: { ...fn().Properties, Timeout: 900 } };
    expect(deployabilityProblems(assembly({ F: withTimeout, C: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['F', 'Arn'] }, ServiceTimeout: 900 } } }, { 'index.js': '' })))
      .toEqual([expect.stringMatching(/S\/C \(Custom::Thing\): ServiceTimeout \(900 s\) must exceed its function's timeout \(900 s\)/)]);
  });

  test('accepts a bundled JavaScript handler, a bounded custom resource and a kept or snapshotted namespace', () => {
    expect(deployabilityProblems(assembly({
      F: fn(),
      C: { Type: 'Custom::Thing', Properties: { ServiceTimeout: '900' } },
      N: { Type: 'AWS::RedshiftServerless::Namespace', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: {} },
      M: { Type: 'AWS::RedshiftServerless::Namespace', DeletionPolicy: 'Delete', Properties: { FinalSnapshotName: 'x-final' } },
    }, { 'index.js': '' }))).toEqual([]);
  });
});
