/**
 * "What the defaults cost" in the README, per construct: each construct is synthesized with its defaults and
 * with the choices that change its cost most, and each template is priced by scripts/cost-estimate.ts (only
 * the resources under the construct's path: fixtures such as the VPCs a hub attaches are not counted).
 * `npx projen cost -- --readme` writes the blocks between the README's `<!-- cost:... -->` markers;
 * test/cost.test.ts fails when a block and its templates disagree.
 */
import { Annotations, App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { Estimate, estimateTemplate, FixedItem } from './cost-estimate';
import {
  AccountCloudWatchRole, ApiCacheSize, BufferedQueueWithDlq, FanOutTopic, HubTransitGateway, HybridVpn, RedshiftIngestion, ServerlessApi,
  StreamToRedshift, StreamToRedshiftProps, VpnTarget,
} from '../src';
import { formatUsd, PRICE_REGION, PRICES_READ } from '../src/core/private/prices';

/** One construct's default and the choices that change its cost. */
export interface CostScenario {
  /** The README section (and marker) name. */
  readonly construct: string;
  /** The construct's id: its resources are those under `<stack>/<id>`. */
  readonly id: string;
  /** The call the default figure is for, as the README shows it. */
  readonly call: string;
  /** Builds the default. */
  readonly build: (stack: Stack) => void;
  /** Each choice: its label (markdown) and how to build it. */
  readonly choices: Array<[string, (stack: Stack) => void]>;
}

const TABLE = { name: 'clicks', columns: [{ name: 'id', dataType: 'VARCHAR(64)' }, { name: 'ts', dataType: 'TIMESTAMP' }] };

/** A VPC that costs nothing by itself: no NAT gateway, isolated subnets. */
function freeVpc(scope: Construct, id: string, cidr: string): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
}

function handler(scope: Construct): lambda.Function {
  return new lambda.Function(scope, 'GetOrder', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
}

function clicks(stack: Stack, props: Partial<StreamToRedshiftProps> = {}): void {
  const pipeline = new StreamToRedshift(stack, 'Clicks', { table: TABLE, ...props });
  Annotations.of(pipeline).acknowledgeWarning('cdk-reference-patterns:redshiftAlwaysOn', 'the README cost table shows what an always-on workgroup costs');
}

/** The ServerlessApi scenario: one table, one GET route (scripts/cost-solutions-constructs.ts builds it too). */
export function api(stack: Stack, props: { cache?: boolean; size?: ApiCacheSize; website?: boolean; alarms?: boolean } = {}): void {
  const orders = new ServerlessApi(stack, 'Orders', {
    table: { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } },
    // CREATE or EXISTING cost the same (an IAM role); EXISTING keeps the scenarios' stacks from all setting it.
    accountCloudWatchRole: AccountCloudWatchRole.EXISTING,
    cache: props.cache ? { ttl: Duration.minutes(5), size: props.size } : undefined,
    website: props.website,
    alarms: props.alarms,
  });
  orders.addRoute('GET', '/orders/{id}', handler(stack));
}

function hub(stack: Stack, vpcs: number): HubTransitGateway {
  const transit = new HubTransitGateway(stack, 'Hub');
  for (let i = 0; i < vpcs; i++) {
    transit.attachVpc(`Spoke${i}`, { vpc: freeVpc(stack, `Vpc${i}`, `10.${i}.0.0/16`), segment: 'default' });
  }
  return transit;
}

export const SCENARIOS: CostScenario[] = [
  {
    construct: 'BufferedQueueWithDlq',
    id: 'Jobs',
    call: "new BufferedQueueWithDlq(this, 'Jobs')",
    build: (stack) => new BufferedQueueWithDlq(stack, 'Jobs'),
    choices: [
      ['`encryption: SQS_MANAGED` (no key)', (stack) => new BufferedQueueWithDlq(stack, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED })],
      ['`alarms: false`', (stack) => new BufferedQueueWithDlq(stack, 'Jobs', { alarms: false })],
      ['`largePayloads: true` (adds the payload alarm)', (stack) => new BufferedQueueWithDlq(stack, 'Jobs', { largePayloads: true })],
    ],
  },
  {
    construct: 'FanOutTopic',
    id: 'Orders',
    call: "new FanOutTopic(this, 'Orders') with two addQueue subscribers",
    build: (stack) => {
      const orders = new FanOutTopic(stack, 'Orders');
      orders.addQueue('Processing');
      orders.addQueue('Analytics');
    },
    choices: [
      ['a third `addQueue`', (stack) => {
        const orders = new FanOutTopic(stack, 'Orders');
        orders.addQueue('Processing');
        orders.addQueue('Analytics');
        orders.addQueue('Billing');
      }],
      ['`alarms: false` (topic and queues)', (stack) => {
        const orders = new FanOutTopic(stack, 'Orders', { alarms: false });
        orders.addQueue('Processing', { queue: { alarms: false } });
        orders.addQueue('Analytics', { queue: { alarms: false } });
      }],
    ],
  },
  {
    construct: 'StreamToRedshift',
    id: 'Clicks',
    call: "new StreamToRedshift(this, 'Clicks', { table })",
    build: (stack) => clicks(stack),
    choices: [
      ['`bufferingInterval: Duration.seconds(60)` (records within a minute)', (stack) => clicks(stack, { bufferingInterval: Duration.seconds(60) })],
      ['`bufferingInterval: Duration.seconds(300)`', (stack) => clicks(stack, { bufferingInterval: Duration.seconds(300) })],
      ['`baseCapacity: 4` (where offered)', (stack) => clicks(stack, { baseCapacity: 4 })],
      ['`shardCount: 1` (provisioned, 7 days retention)', (stack) => clicks(stack, { shardCount: 1 })],
      ['`shardCount: 1, retentionPeriod: Duration.hours(24)`', (stack) => clicks(stack, { shardCount: 1, retentionPeriod: Duration.hours(24) })],
      ['`ingestion: RedshiftIngestion.STREAMING` (no Firehose; the view refreshes as records arrive: compute follows traffic)', (stack) => clicks(stack, { table: { name: 'clicks' }, ingestion: RedshiftIngestion.STREAMING })],
    ],
  },
  {
    construct: 'HubTransitGateway',
    id: 'Hub',
    call: "new HubTransitGateway(this, 'Hub') with two attachVpc spokes",
    build: (stack) => hub(stack, 2),
    choices: [
      ['a third `attachVpc`', (stack) => hub(stack, 3)],
      ['`flowLogs: true` (traffic-driven only)', (stack) => {
        const transit = new HubTransitGateway(stack, 'Hub', { flowLogs: true });
        transit.attachVpc('Spoke0', { vpc: freeVpc(stack, 'Vpc0', '10.0.0.0/16'), segment: 'default' });
        transit.attachVpc('Spoke1', { vpc: freeVpc(stack, 'Vpc1', '10.1.0.0/16'), segment: 'default' });
      }],
    ],
  },
  {
    construct: 'HybridVpn',
    id: 'Office',
    call: "new HybridVpn(this, 'Office', { customerGatewayIp, target: VpnTarget.vpc(vpc) })",
    build: (stack) => new HybridVpn(stack, 'Office', { customerGatewayIp: '203.0.113.10', target: VpnTarget.vpc(freeVpc(stack, 'Vpc', '10.0.0.0/16')) }),
    choices: [
      ['`target: VpnTarget.transitGateway(hub, segment)` (adds the VPN attachment)', (stack) => {
        new HybridVpn(stack, 'Office', { customerGatewayIp: '203.0.113.10', target: VpnTarget.transitGateway(new HubTransitGateway(stack, 'Hub'), 'default') });
      }],
      ['the same with `directConnect` (adds the Direct Connect gateway attachment)', (stack) => {
        new HybridVpn(stack, 'Office', {
          customerGatewayIp: '203.0.113.10',
          target: VpnTarget.transitGateway(new HubTransitGateway(stack, 'Hub'), 'default'),
          directConnect: { allowedPrefixes: ['10.0.0.0/8'] },
        });
      }],
    ],
  },
  {
    construct: 'ServerlessApi',
    id: 'Orders',
    call: "new ServerlessApi(this, 'Orders', { table }) with one GET route",
    build: (stack) => api(stack),
    choices: [
      ['`cache: { ttl }` (0.5 GB)', (stack) => api(stack, { cache: true })],
      ['`cache: { ttl, size: ApiCacheSize.GB_6_1 }`', (stack) => api(stack, { cache: true, size: ApiCacheSize.GB_6_1 })],
      ['`cache: { ttl, size: ApiCacheSize.GB_237 }`', (stack) => api(stack, { cache: true, size: ApiCacheSize.GB_237 })],
      ['`website: true` (CloudFront and S3: traffic-driven)', (stack) => api(stack, { website: true })],
    ],
  },
];

/** A scenario's estimates: the default and each choice. */
export interface ScenarioCost {
  readonly scenario: CostScenario;
  readonly base: Estimate;
  readonly choices: Array<[string, Estimate]>;
}

/**
 * Synthesizes every scenario in one App (path metadata on, as the CDK CLI sets it; aws-cdk-lib's schema
 * validation off, which only slows synth) and prices the resources under each construct.
 */
export function costScenarios(scenarios: CostScenario[] = SCENARIOS): ScenarioCost[] {
  const app = new App({
    context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, ...cxapi.NEW_PROJECT_DEFAULT_CONTEXT, [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true },
  });
  const env = { account: '123456789012', region: PRICE_REGION };
  const stacks = scenarios.map((scenario, i) => {
    const build = (suffix: string, fn: (stack: Stack) => void) => {
      const stack = new Stack(app, `Cost${i}${suffix}`, { env });
      fn(stack);
      return stack;
    };
    return { scenario, base: build('', scenario.build), choices: scenario.choices.map(([label, fn], j) => [label, build(`Choice${j}`, fn)] as const) };
  });
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  let assembly: cxapi.CloudAssembly;
  try {
    assembly = app.synth();
  } finally {
    if (previous === undefined) {
      delete process.env.CDK_VALIDATION;
    } else {
      process.env.CDK_VALIDATION = previous;
    }
  }
  const estimate = (stack: Stack, id: string) => estimateTemplate(assembly.getStackByName(stack.stackName).template, { pathPrefix: `${stack.stackName}/${id}` });
  return stacks.map(({ scenario, base, choices }) => ({
    scenario,
    base: estimate(base, scenario.id),
    choices: choices.map(([label, stack]) => [label, estimate(stack, scenario.id)]),
  }));
}

/** The README rows: fixed items of the same price and description added up, the most expensive first. */
function rows(items: FixedItem[]): Array<[string, number]> {
  const groups = new Map<string, { count: number; usd: number }>();
  for (const item of items) {
    const group = groups.get(item.what) ?? { count: 0, usd: 0 };
    groups.set(item.what, { count: group.count + item.count, usd: group.usd + item.monthlyUsd });
  }
  return [...groups.entries()].map(([what, { count, usd }]) => [count === 1 ? what : `${count} x ${what}`, usd] as [string, number])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The price page, linked absolutely like the README's other documents (the README is also shown on npm). */
const PRICES_PAGE = 'https://github.com/cdk-reference-patterns/cdk-reference-patterns/blob/main/docs/PRICES.md';

export const MARKER = (construct: string, edge: 'start' | 'end') => edge === 'start'
  ? `<!-- cost:${construct}:start (generated from synthesized templates by \`npx projen cost -- --readme\`; test/cost.test.ts checks it) -->`
  : `<!-- cost:${construct}:end -->`;

/** The README block of one construct, markers included. */
export function readmeBlock(cost: ScenarioCost): string {
  const { scenario, base, choices } = cost;
  const lines = [
    MARKER(scenario.construct, 'start'),
    `**What the defaults cost.** \`${scenario.call}\` costs **${formatUsd(base.fixedMonthlyUsd)} a month** in ${PRICE_REGION} before any traffic `
      + `(on-demand prices read ${PRICES_READ}, [docs/PRICES.md](${PRICES_PAGE}); \`npx projen cost -- <example>\` prices a whole app):`,
    '',
    '| Billed by the hour or month | Monthly |',
    '| --- | --- |',
    ...rows(base.fixed).map(([what, usd]) => `| ${what} | ${formatUsd(usd)} |`),
    ...base.fixed.length === 0 ? ['| nothing | $0.00 |'] : [],
    '',
    '| Choice | Fixed monthly |',
    '| --- | --- |',
    `| the defaults | ${formatUsd(base.fixedMonthlyUsd)} |`,
    ...choices.map(([label, estimate]) => `| ${label} | ${formatUsd(estimate.fixedMonthlyUsd)} |`),
    '',
    `Traffic adds: ${base.drivers.map((d) => d.text).join('; ')}.`,
    MARKER(scenario.construct, 'end'),
  ];
  return lines.join('\n');
}

/** The text between (and including) a construct's markers in `readme`, or undefined. */
export function findBlock(readme: string, construct: string): string | undefined {
  const start = readme.indexOf(MARKER(construct, 'start'));
  const endMarker = MARKER(construct, 'end');
  const end = readme.indexOf(endMarker, start);
  return start < 0 || end < 0 ? undefined : readme.slice(start, end + endMarker.length);
}
