/**
 * Our constructs next to AWS Solutions Constructs' equivalent patterns: the fixed monthly cost of each side's
 * default deployment, priced by the same estimate (scripts/cost-estimate.ts) at the same prices
 * (src/core/private/prices.ts), with what makes the difference. `npx projen cost -- --readme` writes the README
 * block between `<!-- cost:solutions-constructs:start ... -->` and `<!-- cost:solutions-constructs:end -->`;
 * test/cost.test.ts fails when the block and this file (or our synthesized templates) disagree.
 *
 * Ours are synthesized (scripts/cost-scenarios.ts). Theirs are typed resource lists, written from their source
 * (each comparison links the files read, 2026-11-28) and checked against a synthesis of their npm packages with
 * their defaults, rather than synthesized here, because:
 * - the npm registry this project installs from serves old releases of two of them: aws-sns-sqs 2.56.0, older
 *   than the 2.58.0 interface (a key for the topic and one per queue, where 2.56.0 shares one) that current
 *   releases (2.105.0) use, and aws-kinesisstreams-kinesisfirehose-s3 2.25.0 (2022), so their synthesized
 *   defaults would not be today's;
 * - every pattern pins @aws-solutions-constructs/core to its own exact version: the set installs (each pattern
 *   gets its core nested) but as ten copies of core at five versions, 80 MB of devDependencies.
 * A list holds every resource of their default deployment whose type the estimate prices or lists, with the
 * properties it reads, as their templates have them. IAM roles and policies, queue, topic and bucket policies,
 * subscriptions, event source mappings, API methods, deployments, usage plans and the API Gateway account
 * setting cost nothing by themselves and are left out.
 */
import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Estimate, estimateTemplate, FixedItem } from './cost-estimate';
import { api, CostScenario, ScenarioCost } from './cost-scenarios';
import { BufferedQueueWithDlq } from '../src';
import { cents, formatUsd, PRICE_REGION, PRICES_READ } from '../src/core/private/prices';

/** When their source was read and their packages synthesized. */
export const SOLUTIONS_CONSTRUCTS_READ = '2026-11-28';

type TemplateResource = { Type: string; Properties?: Record<string, unknown> };

/** One AWS Solutions Constructs pattern, deployed with its defaults. */
export interface SolutionsPattern {
  /** The package: `@aws-solutions-constructs/<name>`. */
  readonly name: string;
  /** Its resources that the estimate prices or lists, by logical ID. */
  readonly resources: Record<string, TemplateResource>;
}

/** Where one of our figures comes from: a cost scenario and, optionally, one of its choices (by label). */
interface OurFigure {
  readonly scenario: string;
  readonly choice?: string;
}

/** One of our constructs next to its Solutions Constructs equivalent, if there is one. */
export interface Comparison {
  /** Our construct. */
  readonly construct: string;
  /** Our deployment (markdown). */
  readonly ours: string;
  /** Our default figure. */
  readonly oursFrom: OurFigure;
  /** Their deployment (markdown); with no pattern, why none. */
  readonly theirs: string;
  /** The patterns deployed together; empty when there is no equivalent. */
  readonly patterns: SolutionsPattern[];
  /**
   * The part of ours that theirs has no counterpart for, shown apart and left out of the compared figure: the
   * construct IDs (the last segment of the path) of its resources, each of which must be found.
   */
  readonly apart?: { readonly label: string; readonly ids: string[] };
  /** Ours with the features theirs has (or the capacity), when that changes our figure. */
  readonly sameFeatures?: { readonly label: string; readonly from: OurFigure };
  /** What makes the difference (markdown). */
  readonly why: string[];
  /** What their figure was read in (markdown links). */
  readonly sources: string[];
}

const REPO = 'https://github.com/awslabs/aws-solutions-constructs/blob';
const PATTERNS = 'source/patterns/%40aws-solutions-constructs';
/** A link to a file of awslabs/aws-solutions-constructs at the commit read. */
const source = (label: string, commit: string, file: string) => `[${label}](${REPO}/${commit}/${PATTERNS}/${file})`;

const SNS_SQS_LIB = source('aws-sns-sqs/lib/index.ts', 'b35b9b86dcbda1d90dceac1cc539be816defe288', 'aws-sns-sqs/lib/index.ts');
const SNS_SQS_README = source('aws-sns-sqs/README.adoc ("New Interface as of v2.58.0")', '04571b3ca5f599ff71e83bab0953ce12dbd80ed9', 'aws-sns-sqs/README.adoc');
const SNS_SQS_TEMPLATE = source('its no-arguments integration template', '36d415eea79f29b6d2d4c52612d7addc7e3171f2',
  'aws-sns-sqs/test/cdk-integ.out.integ.snssqs-no-arguments-for-scan.js.snapshot/snssqs-no-arguments-for-scan.template.json');
const SQS_HELPER = source('core/lib/sqs-helper.ts', '0d6bf4278cdaa8bb09745e2a0b8d1faeb1877db1', 'core/lib/sqs-helper.ts');
const SQS_LAMBDA_LIB = source('aws-sqs-lambda/lib/index.ts', '9f933271467c3f051205f481ec5c6535637e219b', 'aws-sqs-lambda/lib/index.ts');
const KINESIS_DEFAULTS = source('core/lib/kinesis-streams-defaults.ts', '6f09087294880b1efdc32dae8c16939e610a8cf5', 'core/lib/kinesis-streams-defaults.ts');
const KINESIS_HELPER = source('core/lib/kinesis-streams-helper.ts (the alarms)', 'ff3b846711c40b6ef97d155bba22294ca758af4b', 'core/lib/kinesis-streams-helper.ts');
const KINESIS_TEMPLATE = source('its no-arguments integration template', '590a836e9b22649cb378ba9d31740078654eca49',
  'aws-kinesisstreams-kinesisfirehose-s3/test/integ.kinfhss3-no-arguments.js.snapshot/kinfhss3-no-arguments.template.json');

/** A key as their core's buildEncryptionKey makes it (`enableKeyRotation: true`). */
const KEY: TemplateResource = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
/** A queue or DLQ of their core's buildQueue without a key: the AWS managed key. */
const AWS_MANAGED_QUEUE: TemplateResource = { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } };
const keyed = (key: string): TemplateResource => ({ Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] }, RedrivePolicy: { maxReceiveCount: 15 } } });
const LOG_GROUP: TemplateResource = { Type: 'AWS::Logs::LogGroup' };
const BUCKET: TemplateResource = { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } };
/** An API of their core's REST API helpers: edge-optimized, one `prod` stage without a cache. */
const EDGE_API: Record<string, TemplateResource> = {
  RestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: ['EDGE'] } } },
  RestApiDeploymentStageprod: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: 'prod' } },
  ApiAccessLogGroup: LOG_GROUP,
};

/** Two SnsToSqs on one topic: `new SnsToSqs(this, 'Processing', {})`, `new SnsToSqs(this, 'Analytics', { existingTopicObj })`. */
export const SNS_SQS: SolutionsPattern = {
  name: 'aws-sns-sqs',
  resources: {
    // the first creates the topic, with a key of its own
    ProcessingtopicKey: KEY,
    ProcessingSnsTopic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['ProcessingtopicKey', 'Arn'] } } },
    // each creates its queue with a key of its own, and its DLQ on the AWS managed key
    ProcessingqueueKey: KEY,
    Processingqueue: keyed('ProcessingqueueKey'),
    Processingqueuedlq: AWS_MANAGED_QUEUE,
    AnalyticsqueueKey: KEY,
    Analyticsqueue: keyed('AnalyticsqueueKey'),
    Analyticsqueuedlq: AWS_MANAGED_QUEUE,
  },
};

/** The queue and DLQ of `new SqsToLambda(this, 'Jobs', { lambdaFunctionProps })`. */
export const SQS_LAMBDA: SolutionsPattern = {
  name: 'aws-sqs-lambda',
  resources: {
    queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs', RedrivePolicy: { maxReceiveCount: 15 } } },
    queuedlq: AWS_MANAGED_QUEUE,
  },
};

/** `new KinesisStreamsToKinesisFirehoseToS3(this, 'Clicks', {})`. */
export const KINESIS_FIREHOSE_S3: SolutionsPattern = {
  name: 'aws-kinesisstreams-kinesisfirehose-s3',
  resources: {
    // aws-cdk-lib's Stream defaults (provisioned, 1 shard, 24 h) with their StreamEncryption.MANAGED
    KinesisStream: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1, RetentionPeriodHours: 24, StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } } },
    KinesisStreamGetRecordsIteratorAgeAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds', Statistic: 'Maximum', Period: 300, Threshold: 43200000 },
    },
    KinesisStreamReadProvisionedThroughputExceededAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Namespace: 'AWS/Kinesis', MetricName: 'ReadProvisionedThroughputExceeded', Statistic: 'Average', Period: 300, Threshold: 0 },
    },
    KinesisFirehose: {
      Type: 'AWS::KinesisFirehose::DeliveryStream',
      Properties: { DeliveryStreamType: 'KinesisStreamAsSource', ExtendedS3DestinationConfiguration: { BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 5 }, CompressionFormat: 'GZIP' } },
    },
    S3Bucket: BUCKET,
    S3LoggingBucket: BUCKET,
    firehoseloggroup: LOG_GROUP,
  },
};

/** `new ApiGatewayToLambda(this, 'Api', { lambdaFunctionProps })`. */
export const APIGATEWAY_LAMBDA: SolutionsPattern = {
  name: 'aws-apigateway-lambda',
  resources: {
    ...EDGE_API,
    LambdaFunction: { Type: 'AWS::Lambda::Function' },
    LambdaFunctionLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 731 } },
  },
};

/** `new ApiGatewayToDynamoDB(this, 'Table', { allowReadOperation: true })`. */
export const APIGATEWAY_DYNAMODB: SolutionsPattern = {
  name: 'aws-apigateway-dynamodb',
  resources: {
    ...EDGE_API,
    DynamoTable: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, SSESpecification: { SSEEnabled: true } } },
  },
};

/** `new CloudFrontToS3(this, 'Site', {})`. */
export const CLOUDFRONT_S3: SolutionsPattern = {
  name: 'aws-cloudfront-s3',
  resources: {
    CloudFrontDistribution: { Type: 'AWS::CloudFront::Distribution' },
    S3Bucket: BUCKET,
    S3LoggingBucket: BUCKET,
    CloudfrontLoggingBucket: BUCKET,
    CloudfrontLoggingBucketAccessLog: BUCKET,
  },
};

/** Our constructs with Solutions Constructs' features, where none of scripts/cost-scenarios.ts's choices has them. */
export const LIKE_FOR_LIKE: CostScenario[] = [
  {
    construct: 'BufferedQueueWithDlq like aws-sqs-lambda',
    id: 'Jobs',
    call: "new BufferedQueueWithDlq(this, 'Jobs', { encryption: KMS_MANAGED, alarms: false })",
    build: (stack: Stack) => new BufferedQueueWithDlq(stack, 'Jobs', { encryption: sqs.QueueEncryption.KMS_MANAGED, alarms: false }),
    choices: [],
  },
  {
    construct: 'ServerlessApi like the three patterns',
    id: 'Orders',
    call: "new ServerlessApi(this, 'Orders', { table, website: true, alarms: false }) with one GET route",
    build: (stack: Stack) => api(stack, { website: true, alarms: false }),
    choices: [],
  },
];

/** The packages synthesized with their defaults to check the lists above (the newest this registry serves). */
const SYNTHESIZED = 'aws-sqs-lambda 2.104.0, aws-lambda-sqs 2.86.0, aws-sns-sqs 2.56.0, aws-kinesisstreams-kinesisfirehose-s3 2.25.0, '
  + 'aws-apigateway-lambda 2.104.0, aws-apigateway-dynamodb 2.101.0 and aws-cloudfront-s3 2.104.0';

export const COMPARISONS: Comparison[] = [
  {
    construct: 'BufferedQueueWithDlq',
    ours: "`new BufferedQueueWithDlq(this, 'Jobs')`",
    oursFrom: { scenario: 'BufferedQueueWithDlq' },
    theirs: '`aws-sqs-lambda`, its queue and DLQ (`aws-lambda-sqs` creates the same two)',
    patterns: [SQS_LAMBDA],
    sameFeatures: { label: 'ours with their features: `encryption: KMS_MANAGED, alarms: false`', from: { scenario: 'BufferedQueueWithDlq like aws-sqs-lambda' } },
    why: [
      'The key: ours encrypts both queues with one new customer managed key, theirs with the AWS managed key `alias/aws/sqs`, which has no monthly fee: `encryption: KMS_MANAGED` does the same here (`SQS_MANAGED`, SQS-owned keys, has none either).',
      'The alarms: ours alarms when the DLQ holds a message and when the oldest message is older than 1 h; theirs create none.',
      'Not billed by the hour, but different: ours sets the queue\'s receive wait time to 20 s (theirs leave it at 0 s, so a consumer that does not ask for a wait itself short-polls: more empty receives, each a billed request; their Lambda consumer\'s event source mapping does its own polling, so there the difference is small) and moves a message to the DLQ after 5 receives (theirs 15).',
      '`aws-lambda-sqs` creates the same queue and DLQ, also on `alias/aws/sqs` and without alarms: the same figure.',
    ],
    sources: [SQS_LAMBDA_LIB, `${SQS_HELPER} (\`alias/aws/sqs\` unless a key is asked for; DLQ \`maxReceiveCount\` 15)`, 'the templates of aws-sqs-lambda 2.104.0 and aws-lambda-sqs 2.86.0'],
  },
  {
    construct: 'FanOutTopic',
    ours: "`new FanOutTopic(this, 'Orders')` with two `addQueue`",
    oursFrom: { scenario: 'FanOutTopic' },
    theirs: "two `aws-sns-sqs` on one topic: `new SnsToSqs(this, 'Processing', {})`, then `new SnsToSqs(this, 'Analytics', { existingTopicObj })`",
    patterns: [SNS_SQS],
    sameFeatures: { label: 'ours with their features: `alarms: false` (topic and queues)', from: { scenario: 'FanOutTopic', choice: '`alarms: false` (topic and queues)' } },
    why: [
      'The keys: each `SnsToSqs` creates a key for its queue and, unless given a topic, one for its topic, while their DLQs use `alias/aws/sqs` (their interface since 2.58.0, chosen by the feature flag `@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption`, which new CDK apps turn on; in an app without it each `SnsToSqs` shares one key between its topic and queue: 2 keys here). Ours encrypts the topic and every queue, DLQs included, with one key.',
      'Each further queue: theirs adds a key, ours adds the queue\'s two alarms.',
      'Keys rotate yearly on both sides, and each of a key\'s first two rotations adds $1/month: the key row doubles in its second year and triples from its third.',
      'The alarms: ours alarms on lost notifications and, per queue, on a message in the DLQ and on the oldest message\'s age; theirs create none.',
    ],
    sources: [SNS_SQS_LIB, SNS_SQS_README, `${SNS_SQS_TEMPLATE} (a topic key, a queue key, the DLQ on \`alias/aws/sqs\`, no alarm)`],
  },
  {
    construct: 'StreamToRedshift',
    ours: "`new StreamToRedshift(this, 'Clicks', { table })`, its stream -> Firehose -> S3 part",
    oursFrom: { scenario: 'StreamToRedshift' },
    theirs: "`aws-kinesisstreams-kinesisfirehose-s3`: `new KinesisStreamsToKinesisFirehoseToS3(this, 'Clicks', {})`",
    patterns: [KINESIS_FIREHOSE_S3],
    apart: {
      label: 'the Redshift part, which no pattern has (workgroup compute, admin secret, COPY-failure and skipped-batch alarms)',
      ids: ['Workgroup', 'AdminSecret', 'DeliverySuccessAlarm', 'SkippedBatchAlarm'],
    },
    sameFeatures: { label: 'ours with their capacity: `shardCount: 1, retentionPeriod: Duration.hours(24)`', from: { scenario: 'StreamToRedshift', choice: '`shardCount: 1, retentionPeriod: Duration.hours(24)`' } },
    why: [
      'No Solutions Constructs pattern loads Redshift (one was requested in their [issue #143](https://github.com/awslabs/aws-solutions-constructs/issues/143), open since 2021): compared is the part both have, stream -> Firehose -> S3 (ours stages the batches in S3 for the COPY, theirs delivers them there).',
      'The stream: ours is on-demand (it scales by itself, keeps records 7 days, and bills writes and reads per GB), theirs one provisioned shard (1 MiB/s or 1,000 records/s in) keeping records 24 h. With the same shard and retention ours costs the same for the stream.',
      'The alarms: ours has 5 on this part (iterator age, write and read throttling, failed puts, Firehose data freshness), theirs 2 (iterator age, read throttling; in their template neither alarm\'s metric names the stream: no `StreamName` dimension).',
      'The buckets, Firehose and the log groups are billed by traffic on both sides.',
    ],
    sources: [KINESIS_DEFAULTS, KINESIS_HELPER, KINESIS_TEMPLATE],
  },
  {
    construct: 'HubTransitGateway',
    ours: "`new HubTransitGateway(this, 'Hub')` with two `attachVpc` spokes",
    oursFrom: { scenario: 'HubTransitGateway' },
    theirs: 'none: no pattern creates a Transit Gateway',
    patterns: [],
    why: [],
    sources: [],
  },
  {
    construct: 'HybridVpn',
    ours: "`new HybridVpn(this, 'Office', { customerGatewayIp, target: VpnTarget.vpc(vpc) })`",
    oursFrom: { scenario: 'HybridVpn' },
    theirs: 'none: no pattern creates a Site-to-Site VPN connection or a Direct Connect gateway',
    patterns: [],
    why: [],
    sources: [],
  },
  {
    construct: 'ServerlessApi',
    ours: "`new ServerlessApi(this, 'Orders', { table, website: true })` with one GET route",
    oursFrom: { scenario: 'ServerlessApi', choice: '`website: true` (CloudFront and S3: traffic-driven)' },
    theirs: '`aws-apigateway-lambda` + `aws-apigateway-dynamodb` + `aws-cloudfront-s3`, each with its defaults',
    patterns: [APIGATEWAY_LAMBDA, APIGATEWAY_DYNAMODB, CLOUDFRONT_S3],
    sameFeatures: { label: 'ours with their features: `alarms: false`', from: { scenario: 'ServerlessApi like the three patterns' } },
    why: [
      'The alarms: ours alarms on the 5XX rate, p99 latency, table read and write throttles (one alarm, two metrics) and the route function\'s errors and throttles: 6 alarm metrics with one route function, 2 more per further function. Theirs create none.',
      'Everything else is billed by traffic or storage on both sides: requests, DynamoDB on-demand and point-in-time recovery (on in both), CloudFront (theirs adds a CloudFront Function for security headers, billed per invocation; ours a response headers policy, free), S3, X-Ray traces (on in both) and logs (their execution logs at INFO on every method, ours at ERROR). Their edge-optimized APIs add no fixed charge, and neither side turns the stage cache on by default.',
      'Their three patterns make two REST APIs (one to the function, one straight to the table) and a separate site; ours is one REST API whose routes\' functions use the table, and the site with `website: true`.',
    ],
    sources: ['the templates of aws-apigateway-lambda 2.104.0, aws-apigateway-dynamodb 2.101.0 and aws-cloudfront-s3 2.104.0'],
  },
];

/** One row of a comparison's table: what is billed, ours and theirs. */
interface Row {
  readonly what: string;
  readonly ours?: { count: number; usd: number };
  readonly theirs?: { count: number; usd: number };
}

/** A comparison's figures. */
export interface ComparisonCost {
  readonly comparison: Comparison;
  /** Ours without the part apart. */
  readonly ours: FixedItem[];
  readonly oursMonthlyUsd: number;
  /** Our whole construct, when part of it is apart. */
  readonly wholeMonthlyUsd: number;
  readonly apartMonthlyUsd?: number;
  readonly sameFeaturesMonthlyUsd?: number;
  readonly theirs?: Estimate;
}

/** The estimate of a Solutions Constructs deployment: the patterns' resources in one template. */
export function estimatePatterns(patterns: SolutionsPattern[]): Estimate {
  const resources = Object.fromEntries(patterns.flatMap((pattern) =>
    Object.entries(pattern.resources).map(([id, resource]) => [`${pattern.name}/${id}`, resource])));
  return estimateTemplate({ Resources: resources });
}

const sum = (items: FixedItem[]) => cents(items.reduce((total, item) => total + item.monthlyUsd, 0));

/**
 * Prices every comparison. `costs` are the results of `costScenarios([...SCENARIOS, ...LIKE_FOR_LIKE])`
 * (scripts/cost-scenarios.ts).
 */
export function compareWithSolutionsConstructs(costs: ScenarioCost[]): ComparisonCost[] {
  const figure = (from: OurFigure): Estimate => {
    const cost = costs.find((c) => c.scenario.construct === from.scenario);
    if (cost === undefined) {
      throw new Error(`no cost scenario ${from.scenario}: give costScenarios([...SCENARIOS, ...LIKE_FOR_LIKE])`);
    }
    if (from.choice === undefined) {
      return cost.base;
    }
    const choice = cost.choices.find(([label]) => label === from.choice);
    if (choice === undefined) {
      throw new Error(`the ${from.scenario} cost scenario has no choice ${from.choice}`);
    }
    return choice[1];
  };
  // The part apart, by construct ID; each ID must be found, so a renamed resource is not silently compared.
  const split = (comparison: Comparison, estimate: Estimate) => {
    const ids = comparison.apart?.ids ?? [];
    const isApart = (item: FixedItem) => ids.some((id) => item.path.endsWith(`/${id}`));
    const missing = ids.filter((id) => !estimate.fixed.some((item) => item.path.endsWith(`/${id}`)));
    if (missing.length > 0) {
      throw new Error(`${comparison.construct}: no billed resource ${missing.join(', ')} to set apart; update COMPARISONS in scripts/cost-solutions-constructs.ts`);
    }
    return { compared: estimate.fixed.filter((item) => !isApart(item)), apart: estimate.fixed.filter(isApart) };
  };
  return COMPARISONS.map((comparison) => {
    const whole = figure(comparison.oursFrom);
    const { compared, apart } = split(comparison, whole);
    const same = comparison.sameFeatures ? split(comparison, figure(comparison.sameFeatures.from)).compared : undefined;
    return {
      comparison,
      ours: compared,
      oursMonthlyUsd: sum(compared),
      wholeMonthlyUsd: whole.fixedMonthlyUsd,
      apartMonthlyUsd: comparison.apart ? sum(apart) : undefined,
      sameFeaturesMonthlyUsd: same ? sum(same) : undefined,
      theirs: comparison.patterns.length > 0 ? estimatePatterns(comparison.patterns) : undefined,
    };
  });
}

/** Ours and theirs side by side, grouped by what is billed, the most expensive first. */
function rows(ours: FixedItem[], theirs: FixedItem[]): Row[] {
  const groups = new Map<string, { ours?: { count: number; usd: number }; theirs?: { count: number; usd: number } }>();
  const add = (item: FixedItem, side: 'ours' | 'theirs') => {
    const group = groups.get(item.what) ?? {};
    const current = group[side] ?? { count: 0, usd: 0 };
    group[side] = { count: current.count + item.count, usd: cents(current.usd + item.monthlyUsd) };
    groups.set(item.what, group);
  };
  ours.forEach((item) => add(item, 'ours'));
  theirs.forEach((item) => add(item, 'theirs'));
  const most = (row: Row) => Math.max(row.ours?.usd ?? 0, row.theirs?.usd ?? 0);
  return [...groups.entries()].map(([what, group]) => ({ what, ...group }))
    .sort((a, b) => most(b) - most(a) || a.what.localeCompare(b.what));
}

const cell = (side?: { count: number; usd: number }) => side === undefined ? 'none' : `${side.count}: ${formatUsd(side.usd)}`;

/** The price page, linked absolutely like the README's other documents (the README is also shown on npm). */
const PRICES_PAGE = 'https://github.com/cdk-reference-patterns/cdk-reference-patterns/blob/main/docs/PRICES.md';
const SCRIPT = 'https://github.com/cdk-reference-patterns/cdk-reference-patterns/blob/main/scripts/cost-solutions-constructs.ts';

export const SOLUTIONS_MARKER = (edge: 'start' | 'end') => edge === 'start'
  ? '<!-- cost:solutions-constructs:start (generated from synthesized templates and scripts/cost-solutions-constructs.ts by `npx projen cost -- --readme`; test/cost.test.ts checks it) -->'
  : '<!-- cost:solutions-constructs:end -->';

/** The README block, markers included. */
export function solutionsConstructsBlock(costs: ComparisonCost[]): string {
  const ourCell = (c: ComparisonCost) => c.apartMonthlyUsd === undefined ? formatUsd(c.oursMonthlyUsd) : `${formatUsd(c.oursMonthlyUsd)} (of ${formatUsd(c.wholeMonthlyUsd)})`;
  const lines = [
    SOLUTIONS_MARKER('start'),
    '## What the defaults cost, compared with AWS Solutions Constructs',
    '',
    '[AWS Solutions Constructs](https://docs.aws.amazon.com/solutions/latest/constructs/) has patterns for four of the six constructs (for StreamToRedshift, without Redshift). '
      + `Their default deployments, priced by the same estimate at the same on-demand prices (${PRICE_REGION}, read ${PRICES_READ}, [docs/PRICES.md](${PRICES_PAGE})), next to ours, before any traffic:`,
    '',
    '| Ours | Fixed monthly | AWS Solutions Constructs | Fixed monthly |',
    '| --- | --- | --- | --- |',
    ...costs.map((c) => `| ${c.comparison.ours} | ${ourCell(c)} | ${c.comparison.theirs} | ${c.theirs ? formatUsd(c.theirs.fixedMonthlyUsd) : '-'} |`),
    '',
    `Theirs are the resources their default deployments create, from their source read on ${SOLUTIONS_CONSTRUCTS_READ} (linked below), listed in [scripts/cost-solutions-constructs.ts](${SCRIPT}) `
      + `and checked against the templates of ${SYNTHESIZED} synthesized with their defaults, the newest releases the npm registry this project installs from serves. `
      + 'They are not devDependencies: each pins its own exact `@aws-solutions-constructs/core`, and aws-sns-sqs 2.56.0 predates its current keys (2 where its source makes 3, below). '
      + 'No pattern creates a Transit Gateway, a Site-to-Site VPN connection or a Direct Connect gateway, or loads Redshift: '
      + `none of the 81 patterns of release 2.105.0 does (checked ${SOLUTIONS_CONSTRUCTS_READ}). `
      + 'In the tables below a cell gives how many are billed and what they cost a month; traffic-driven prices are in each construct\'s own block.',
  ];
  for (const c of costs.filter((x) => x.theirs !== undefined)) {
    const { comparison } = c;
    const names = comparison.patterns.map((p) => `\`${p.name}\``).join(' + ');
    lines.push('', `### \`${comparison.construct}\` and ${names}`, '');
    lines.push(`| Billed by the hour or month | Ours | ${comparison.patterns.map((p) => p.name).join(' + ')} |`, '| --- | --- | --- |');
    for (const row of rows(c.ours, c.theirs!.fixed)) {
      lines.push(`| ${row.what} | ${cell(row.ours)} | ${cell(row.theirs)} |`);
    }
    if (c.ours.length === 0 && c.theirs!.fixed.length === 0) {
      lines.push('| nothing | none | none |');
    }
    lines.push(`| **fixed monthly** | **${formatUsd(c.oursMonthlyUsd)}** | **${formatUsd(c.theirs!.fixedMonthlyUsd)}** |`);
    if (comparison.sameFeatures) {
      lines.push(`| ${comparison.sameFeatures.label} | ${formatUsd(c.sameFeaturesMonthlyUsd!)} | ${formatUsd(c.theirs!.fixedMonthlyUsd)} |`);
    }
    if (comparison.apart) {
      lines.push(`| not compared: ${comparison.apart.label} | ${formatUsd(c.apartMonthlyUsd!)} | none |`);
    }
    lines.push('', ...comparison.why.map((line) => `- ${line}`));
    if (comparison.sources.length > 0) {
      lines.push(`- Read in: ${comparison.sources.join('; ')}.`);
    }
  }
  lines.push(SOLUTIONS_MARKER('end'));
  return lines.join('\n');
}

/** The text between (and including) the block's markers in `readme`, or undefined. */
export function findSolutionsBlock(readme: string): string | undefined {
  const start = readme.indexOf(SOLUTIONS_MARKER('start'));
  const end = readme.indexOf(SOLUTIONS_MARKER('end'), start);
  return start < 0 || end < 0 ? undefined : readme.slice(start, end + SOLUTIONS_MARKER('end').length);
}
