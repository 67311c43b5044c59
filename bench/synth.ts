/**
 * Synth benchmark: each construct with defaults against an empty-stack baseline measured in the same run
 * (median of several repetitions, reported as a ratio, since these machines are noisy), and scaling curves
 * for FanOutTopic subscribers and HubTransitGateway spokes, to show that time grows with the resources
 * created and not faster (no quadratic work in route computation or validation).
 *
 * Usage: npm run bench [-- --repetitions N]
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AccountCloudWatchRole, BufferedQueueWithDlq, FanOutTopic, HubTransitGateway, HybridVpn, ServerlessApi, StreamToRedshift, TableAccess, VpnTarget,
} from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };
const arg = process.argv.indexOf('--repetitions');
const REPETITIONS = arg > 0 ? Number(process.argv[arg + 1]) : 5;

interface Measure {
  /** Building the constructs and synthesizing. */
  readonly ms: number;
  /** Building the constructs only (this library's own work happens here). */
  readonly buildMs: number;
  readonly resources: number;
}

/** Builds and synthesizes one stack; the resource limit is lifted so scaling steps past 500 still synthesize. */
function synthOnce(build: (stack: Stack) => void): Measure {
  const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench', { env: ENV });
  // The scaling steps pass 500 resources on purpose (the limit is lifted above).
  Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::F0007', reason: 'benchmark beyond the resource limit' },
    { id: 'CloudFormation-Validate::F0001', reason: 'the baseline is an empty stack' });
  const started = process.hrtime.bigint();
  build(stack);
  const built = process.hrtime.bigint();
  const assembly = app.synth();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const template = assembly.getStackByName(stack.stackName).template;
  return { ms, buildMs: Number(built - started) / 1e6, resources: Object.keys(template.Resources ?? {}).length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of REPETITIONS runs after one warm-up (module loading and the first synth are not measured). */
function measure(build: (stack: Stack) => void): Measure {
  synthOnce(build);
  const runs = Array.from({ length: REPETITIONS }, () => synthOnce(build));
  return { ms: median(runs.map((r) => r.ms)), buildMs: median(runs.map((r) => r.buildMs)), resources: runs[0].resources };
}

function spokeVpc(stack: Stack, i: number): ec2.Vpc {
  return new ec2.Vpc(stack, `Vpc${i}`, {
    ipAddresses: ec2.IpAddresses.cidr(`10.${Math.floor(i / 256)}.${i % 256}.0/24`),
    maxAzs: 1,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 26 }],
  });
}

const table = { name: 'clicks', columns: [{ name: 'id', dataType: 'VARCHAR(64)' }] };
const cases: Array<[string, (stack: Stack) => void]> = [
  ['BufferedQueueWithDlq', (s) => new BufferedQueueWithDlq(s, 'Jobs')],
  ['FanOutTopic (2 queues)', (s) => { const t = new FanOutTopic(s, 'Orders'); t.addQueue('A'); t.addQueue('B'); }],
  ['StreamToRedshift', (s) => new StreamToRedshift(s, 'Clicks', { table })],
  ['HubTransitGateway', (s) => new HubTransitGateway(s, 'Hub')],
  ['HybridVpn (VPC)', (s) => new HybridVpn(s, 'Office', { customerGatewayIp: '203.0.113.10', target: VpnTarget.vpc(spokeVpc(s, 0)) })],
  ['ServerlessApi (1 route)', (s) => {
    const api = new ServerlessApi(s, 'Orders', {
      table: { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }, accountCloudWatchRole: AccountCloudWatchRole.EXISTING,
    });
    api.addRoute('GET', '/orders/{id}', new lambda.Function(s, 'GetOrder', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    }), { access: TableAccess.READ });
  }],
];

function main(): void {
  console.log(`Synth benchmark: median of ${REPETITIONS} runs after a warm-up, Node ${process.version}\n`);
  // Warm every code path first, so that the baseline is not measured on a cold process.
  for (const [, build] of cases) {
    synthOnce(build);
  }
  const baseline = measure(() => undefined);
  console.log('| Case | Resources | Median ms | x baseline |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| empty stack (baseline) | ${baseline.resources} | ${baseline.ms.toFixed(1)} | 1.0 |`);
  for (const [name, build] of cases) {
    const m = measure(build);
    console.log(`| ${name} | ${m.resources} | ${m.ms.toFixed(1)} | ${(m.ms / baseline.ms).toFixed(1)} |`);
  }

  const curve = (title: string, steps: number[], build: (n: number) => (stack: Stack) => void) => {
    console.log(`\n${title}\n`);
    console.log('| Step | Resources | Median ms | of which construct ms | ms per resource | x first step (time) | x first step (construct) | x first step (resources) |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    let first: Measure | undefined;
    for (const n of steps) {
      const m = measure(build(n));
      first = first ?? m;
      console.log(`| ${n} | ${m.resources} | ${m.ms.toFixed(1)} | ${m.buildMs.toFixed(1)} | ${(m.ms / m.resources).toFixed(2)} | ${(m.ms / first.ms).toFixed(1)} | `
        + `${(m.buildMs / first.buildMs).toFixed(1)} | ${(m.resources / first.resources).toFixed(1)} |`);
    }
  };
  curve('FanOutTopic: subscriber queues', [5, 25, 50, 100], (n) => (s) => {
    const topic = new FanOutTopic(s, 'Orders');
    for (let i = 0; i < n; i++) {
      topic.addQueue(`Q${i}`);
    }
  });
  curve('Control: the same spoke VPCs without a hub (aws-cdk-lib alone)', [10, 50, 100, 200], (n) => (s) => {
    for (let i = 0; i < n; i++) {
      spokeVpc(s, i);
    }
  });
  curve('HubTransitGateway: spokes in one segment with a summary route (vpcRoutes 10.0.0.0/8)', [10, 50, 100, 200], (n) => (s) => {
    const hub = new HubTransitGateway(s, 'Hub');
    for (let i = 0; i < n; i++) {
      hub.attachVpc(`Spoke${i}`, { vpc: spokeVpc(s, i), segment: 'default', vpcRoutes: ['10.0.0.0/8'] });
    }
  });
}

main();
