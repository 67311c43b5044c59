/**
 * The cost estimate (scripts/cost-estimate.ts): what it counts in a template, the README's "What the
 * defaults cost" blocks it generates (they must match the templates), and the price table's two copies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { estimateTemplate } from '../scripts/cost-estimate';
import { costScenarios, findBlock, readmeBlock, ScenarioCost, SCENARIOS } from '../scripts/cost-scenarios';
import {
  compareWithSolutionsConstructs, ComparisonCost, estimatePatterns, findSolutionsBlock, KINESIS_FIREHOSE_S3, LIKE_FOR_LIKE, SNS_SQS,
  solutionsConstructsBlock,
} from '../scripts/cost-solutions-constructs';
import { API_GATEWAY_CACHE_HOURLY, FIXED_PRICES, formatUnitPrice, USAGE_PRICES } from '../src/core/private/prices';

const ROOT = path.resolve(__dirname, '..');

/** A template of the given resources, each with path metadata `S/<id>`. */
function template(resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>) {
  return {
    Resources: Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, { ...r, Metadata: { 'aws:cdk:path': `S/${id}/Resource` } }])),
  };
}

const monthly = (resources: Parameters<typeof template>[0]) => estimateTemplate(template(resources)).fixedMonthlyUsd;

describe('the estimate of a template', () => {
  test('a KMS key $1, an alarm $0.10 per metric it evaluates (high resolution $0.30), a secret $0.40', () => {
    expect(monthly({ K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } })).toBe(1);
    expect(monthly({ A: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'x', Period: 300 } } })).toBe(0.1);
    expect(monthly({
      A: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [{ Id: 'a', MetricStat: { Period: 60 } }, { Id: 'b', MetricStat: { Period: 60 } }, { Id: 'e', Expression: 'a/b' }] } },
    })).toBe(0.2);
    expect(monthly({ A: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'x', Period: 10 } } })).toBe(0.3);
    expect(monthly({ S: { Type: 'AWS::SecretsManager::Secret' } })).toBe(0.4);
  });

  test('Kinesis: an on-demand stream by the hour; provisioned shards, with extended retention beyond 24 h', () => {
    expect(monthly({ K: { Type: 'AWS::Kinesis::Stream', Properties: { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, RetentionPeriodHours: 168 } } })).toBe(29.2);
    expect(monthly({ K: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2, RetentionPeriodHours: 24 } } })).toBe(21.9);
    expect(monthly({ K: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2, RetentionPeriodHours: 168 } } })).toBeCloseTo(21.9 + 29.2, 2);
    const token = estimateTemplate(template({ K: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: { Ref: 'Shards' } } } }));
    expect(token.fixedMonthlyUsd).toBe(0);
    expect(token.drivers.map((d) => d.text)).toEqual(expect.arrayContaining([expect.stringMatching(/Kinesis shards of S\/K \(a count known at deploy time\)/)]));
  });

  test('an enhanced fan-out consumer of a provisioned stream is billed per shard by the hour', () => {
    expect(monthly({
      K: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 3 } },
      C: { Type: 'AWS::Kinesis::StreamConsumer', Properties: { StreamARN: { 'Fn::GetAtt': ['K', 'Arn'] } } },
    })).toBeCloseTo(32.85 + 32.85, 2);
  });

  test('a Serverless workgroup loaded by Firehose is billed 60 s per COPY: around the clock at 60 s, a fifteenth at 900 s, nothing without Firehose', () => {
    const pipeline = (interval: number) => ({
      W: { Type: 'AWS::RedshiftServerless::Workgroup', Properties: { BaseCapacity: 8, MaxCapacity: 32 } },
      F: {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: {
          RedshiftDestinationConfiguration: {
            ClusterJDBCURL: { 'Fn::Join': ['', ['jdbc:redshift://', { 'Fn::GetAtt': ['W', 'Workgroup.Endpoint.Address'] }, ':5439/dev']] },
            S3Configuration: { BufferingHints: { IntervalInSeconds: interval, SizeInMBs: 128 } },
          },
        },
      },
    });
    expect(monthly(pipeline(60))).toBe(2190);
    expect(monthly(pipeline(0))).toBe(2190);
    expect(monthly(pipeline(900))).toBe(146);
    expect(monthly({ W: { Type: 'AWS::RedshiftServerless::Workgroup', Properties: { BaseCapacity: 8 } } })).toBe(0);
  });

  test('networking: attachments, VPN connections (with their Transit Gateway attachment and key secret), Direct Connect gateway attachments, NAT, addresses, endpoints', () => {
    expect(monthly({ A: { Type: 'AWS::EC2::TransitGatewayAttachment' } })).toBe(36.5);
    expect(monthly({ V: { Type: 'AWS::EC2::VPNConnection', Properties: { VpnGatewayId: 'vgw-1' } } })).toBe(36.5);
    expect(monthly({
      T: { Type: 'AWS::EC2::TransitGateway' },
      V: { Type: 'AWS::EC2::VPNConnection', Properties: { TransitGatewayId: { 'Fn::GetAtt': ['T', 'Id'] }, PreSharedKeyStorage: 'SecretsManager' } },
      D: { Type: 'AWS::DirectConnect::DirectConnectGatewayAssociation', Properties: { AssociatedGatewayId: { 'Fn::GetAtt': ['T', 'Id'] } } },
    })).toBeCloseTo(36.5 + 36.5 + 0.4 + 36.5, 2);
    expect(monthly({ D: { Type: 'AWS::DirectConnect::DirectConnectGatewayAssociation', Properties: { AssociatedGatewayId: 'vgw-1' } } })).toBe(0);
    expect(monthly({ N: { Type: 'AWS::EC2::NatGateway' }, E: { Type: 'AWS::EC2::EIP' } })).toBeCloseTo(32.85 + 3.65, 2);
    expect(monthly({ I: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b'] } } })).toBe(14.6);
    expect(monthly({ G: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway' } } })).toBe(0);
  });

  test('an API Gateway stage cache by its size, only when enabled; a WAF web ACL and its rules', () => {
    expect(monthly({ S: { Type: 'AWS::ApiGateway::Stage', Properties: { CacheClusterEnabled: true } } })).toBe(14.6);
    expect(monthly({ S: { Type: 'AWS::ApiGateway::Stage', Properties: { CacheClusterEnabled: true, CacheClusterSize: '237' } } })).toBe(2774);
    expect(monthly({ S: { Type: 'AWS::ApiGateway::Stage', Properties: { CacheClusterSize: '237' } } })).toBe(0);
    expect(monthly({ W: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{}, {}] } } })).toBe(7);
  });

  test('traffic-driven prices are listed, never added; a path prefix keeps only the resources under it', () => {
    const estimate = estimateTemplate(template({ Q: { Type: 'AWS::SQS::Queue' }, K: { Type: 'AWS::KMS::Key' } }), { pathPrefix: 'S/K' });
    expect(estimate.fixedMonthlyUsd).toBe(1);
    expect(estimate.drivers.map((d) => d.id)).toEqual(['kmsRequests']);
    expect(estimateTemplate(template({ Q: { Type: 'AWS::SQS::Queue' } })).drivers).toEqual([
      { id: 'sqsRequests', text: 'SQS standard queue requests (FIFO $0.50; 1 million free a month): $0.40 per million requests' },
    ]);
  });
});

describe('README "What the defaults cost"', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  let costs: ScenarioCost[];
  let comparisons: ComparisonCost[];
  beforeAll(() => {
    // one app for both: the constructs' scenarios and ours with AWS Solutions Constructs' features
    const all = costScenarios([...SCENARIOS, ...LIKE_FOR_LIKE]);
    costs = all.slice(0, SCENARIOS.length);
    comparisons = compareWithSolutionsConstructs(all);
  }, 120_000);

  test.each(SCENARIOS.map((s) => s.construct))('%s: the README block matches its synthesized templates (run `npx projen cost -- --readme` after changing a default)', (construct) => {
    const cost = costs.find((c) => c.scenario.construct === construct)!;
    expect(findBlock(readme, construct)).toBe(readmeBlock(cost));
  });

  test('the default StreamToRedshift bills its workgroup a fifteenth of the time, not around the clock', () => {
    const cost = costs.find((c) => c.scenario.construct === 'StreamToRedshift')!;
    const workgroup = cost.base.fixed.find((item) => item.price === 'redshiftServerlessRpu')!;
    expect(workgroup.monthlyUsd).toBe(146);
    const everyMinute = cost.choices.find(([label]) => label.includes('Duration.seconds(60)'))![1];
    expect(everyMinute.fixed.find((item) => item.price === 'redshiftServerlessRpu')!.monthlyUsd).toBe(2190);
  });

  test('the comparison with AWS Solutions Constructs matches our templates and their resource lists (run `npx projen cost -- --readme` after changing either)', () => {
    expect(findSolutionsBlock(readme)).toBe(solutionsConstructsBlock(comparisons));
  });

  test('with the features of their defaults, ours costs what theirs does, except for what the README says differs', () => {
    const by = (construct: string) => comparisons.find((c) => c.comparison.construct === construct)!;
    // no key, no alarm: nothing billed by the hour on either side
    expect(by('BufferedQueueWithDlq').sameFeaturesMonthlyUsd).toBe(0);
    expect(by('BufferedQueueWithDlq').theirs!.fixedMonthlyUsd).toBe(0);
    expect(by('ServerlessApi').sameFeaturesMonthlyUsd).toBe(0);
    expect(by('ServerlessApi').theirs!.fixedMonthlyUsd).toBe(0);
    // one key for the topic and both queues, against a key for the topic and one per queue
    expect(by('FanOutTopic').sameFeaturesMonthlyUsd).toBe(1);
    expect(by('FanOutTopic').theirs!.fixed.filter((item) => item.price === 'kmsKey')).toHaveLength(3);
    // one shard and 24 h: the same stream price; ours has 3 alarms more on that part, and Redshift apart
    const stream = by('StreamToRedshift');
    expect(stream.sameFeaturesMonthlyUsd).toBeCloseTo(stream.theirs!.fixedMonthlyUsd + 0.3, 2);
    expect(stream.apartMonthlyUsd).toBeCloseTo(146 + 0.4 + 0.2, 2);
    expect(by('HubTransitGateway').theirs).toBeUndefined();
    expect(by('HybridVpn').theirs).toBeUndefined();
  });
});

describe('AWS Solutions Constructs resource lists', () => {
  test('are priced by the same estimate: keys and alarms by the month, shards by the hour', () => {
    expect(estimatePatterns([SNS_SQS]).fixedMonthlyUsd).toBe(3);
    expect(estimatePatterns([KINESIS_FIREHOSE_S3]).fixedMonthlyUsd).toBeCloseTo(10.95 + 0.2, 2);
    expect(estimatePatterns([SNS_SQS]).drivers.map((d) => d.id)).toEqual(expect.arrayContaining(['kmsRequests', 'snsPublishes', 'sqsRequests']));
  });
});

describe('docs/PRICES.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'PRICES.md'), 'utf8');
  const row = (id: string) => doc.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));

  test.each([...Object.entries(FIXED_PRICES), ...Object.entries(USAGE_PRICES)])('lists %s with the price, unit and source of src/core/private/prices.ts', (id, price) => {
    expect(row(id)).toEqual(expect.stringContaining(`| ${formatUnitPrice(price.usd)} per ${price.unit} |`));
    expect(row(id)).toEqual(expect.stringContaining(price.source));
  });

  test('lists every API Gateway cache size with its hourly price', () => {
    for (const [size, usd] of Object.entries(API_GATEWAY_CACHE_HOURLY)) {
      expect(doc).toContain(`| ${size} GB | ${formatUnitPrice(usd)} |`);
    }
  });
});
