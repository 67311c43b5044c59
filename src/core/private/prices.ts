/**
 * The prices behind the cost figures this library states (README "What the defaults cost", scripts/cost.ts,
 * the StreamToRedshift always-on warning): on-demand list prices in us-east-1, in USD, read on PRICES_READ.
 * docs/PRICES.md is the same table for readers (test/cost.test.ts checks that both agree).
 *
 * Why a TypeScript module in src/ and not a JSON file in scripts/: the constructs quote figures from it at
 * synth (scripts/ is not in the npm package), and the cost script and the tests import it typed.
 *
 * `seenIn` says where the figure was read. AWS's pricing pages render their tables from scripts, so the
 * stored copies read for this table often hold only the page's prose and examples: a figure marked
 * "secondary" was read in a third-party page quoting the AWS page, not on the AWS page itself. Check those
 * against the AWS page (or the AWS Price List API) before relying on them for a budget.
 */

/** When the prices were read. */
export const PRICES_READ = '2026-11-28';

/** The region the prices are for. */
export const PRICE_REGION = 'us-east-1';

/** Hours in a billing month, as AWS's pricing examples count them. */
export const HOURS_PER_MONTH = 730;

/** One price. */
export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  /** What one unit is. */
  readonly unit: string;
  /** What is charged. */
  readonly what: string;
  /** The AWS page that states the price. */
  readonly source: string;
  /** Where the figure was read: the AWS page or documentation itself, or a third-party page quoting it. */
  readonly seenIn: string;
}

const KMS = 'https://aws.amazon.com/kms/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/';
const KINESIS = 'https://aws.amazon.com/kinesis/data-streams/pricing/';
const FIREHOSE = 'https://aws.amazon.com/firehose/pricing/';
const REDSHIFT = 'https://aws.amazon.com/redshift/pricing/';
const TGW = 'https://aws.amazon.com/transit-gateway/pricing/';
const VPN = 'https://aws.amazon.com/vpn/pricing/';
const VPC = 'https://aws.amazon.com/vpc/pricing/';
const PRIVATELINK = 'https://aws.amazon.com/privatelink/pricing/';
const APIGATEWAY = 'https://aws.amazon.com/api-gateway/pricing/';
const WAF = 'https://aws.amazon.com/waf/pricing/';
const SQS = 'https://aws.amazon.com/sqs/pricing/';
const SNS = 'https://aws.amazon.com/sns/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';

/**
 * Prices of what a resource costs by existing (per month or per hour), whatever its traffic: what a
 * template costs before anyone uses it.
 */
export const FIXED_PRICES = {
  kmsKey: {
    usd: 1,
    unit: 'key-month',
    what: 'customer managed KMS key (each automatic rotation adds $1/month, for the first two rotations)',
    source: KMS,
    seenIn: 'AWS page text: "Each AWS KMS key that you create in KMS costs $1/month", "each newly generated backing key costs an additional $1/month"',
  },
  cloudWatchAlarm: {
    usd: 0.10,
    unit: 'alarm metric-month',
    what: 'CloudWatch alarm metric (standard resolution; each metric of a metric-math alarm counts; 10 free per account)',
    source: CLOUDWATCH,
    seenIn: 'AWS page text (free tier: "10 Alarm metrics"); $0.10 secondary (infracost output, vreutova/infracost-idem-support#2)',
  },
  cloudWatchAlarmHighResolution: {
    usd: 0.30,
    unit: 'alarm metric-month',
    what: 'CloudWatch alarm metric (high resolution: a period under 60 s)',
    source: CLOUDWATCH,
    seenIn: 'secondary (infracost output, vreutova/infracost-idem-support#2)',
  },
  secret: {
    usd: 0.40,
    unit: 'secret-month',
    what: 'Secrets Manager secret (a replica counts as another)',
    source: SECRETS,
    seenIn: 'AWS page pricing examples, as transcribed by api-evangelist/amazon-secrets-manager (read 2026-09-20)',
  },
  kinesisOnDemandStream: {
    usd: 0.04,
    unit: 'stream-hour',
    what: 'Kinesis Data Streams on-demand (standard) stream',
    source: KINESIS,
    seenIn: 'AWS page text states the hourly per-stream charge; $0.04 secondary',
  },
  kinesisShard: {
    usd: 0.015,
    unit: 'shard-hour',
    what: 'Kinesis Data Streams provisioned shard',
    source: KINESIS,
    seenIn: 'secondary (several cost guides quoting the AWS page)',
  },
  kinesisEnhancedFanOutShard: {
    usd: 0.015,
    unit: 'consumer-shard-hour',
    what: 'Kinesis enhanced fan-out consumer, per shard of a provisioned stream (data read: $0.013 per GB)',
    source: KINESIS,
    seenIn: 'AWS page text (consumer-shard hours); $0.015 secondary',
  },
  kinesisExtendedRetentionShard: {
    usd: 0.02,
    unit: 'shard-hour',
    what: 'extended retention (24 h to 7 days) of a provisioned shard',
    source: KINESIS,
    seenIn: 'secondary; one other secondary page gives $0.021: check the AWS page',
  },
  redshiftServerlessRpu: {
    usd: 0.375,
    unit: 'RPU-hour',
    what: 'Redshift Serverless compute, billed per second with a 60-second minimum each time the workgroup starts work',
    source: REDSHIFT,
    seenIn: 'AWS docs: https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing.html ("$0.375 per RPU-hour" in its US East example; "minimum charge of 60 seconds") and the AWS Big Data blog "Amazon Redshift Serverless at 4 RPUs" ("beginning at $1.50 per hour")',
  },
  transitGatewayAttachment: {
    usd: 0.05,
    unit: 'attachment-hour',
    what: 'Transit Gateway attachment (VPC, VPN, Direct Connect gateway, peering)',
    source: TGW,
    seenIn: 'AWS page text (hourly per attachment); $0.05 secondary',
  },
  vpnConnection: {
    usd: 0.05,
    unit: 'connection-hour',
    what: 'Site-to-Site VPN connection',
    source: VPN,
    seenIn: 'secondary',
  },
  natGateway: {
    usd: 0.045,
    unit: 'gateway-hour',
    what: 'NAT gateway',
    source: VPC,
    seenIn: 'secondary (several cost guides quoting the AWS page)',
  },
  publicIpv4: {
    usd: 0.005,
    unit: 'address-hour',
    what: 'public IPv4 address (Elastic IP, NAT gateway address)',
    source: VPC,
    seenIn: 'secondary',
  },
  interfaceEndpoint: {
    usd: 0.01,
    unit: 'endpoint-AZ-hour',
    what: 'interface VPC endpoint, per Availability Zone',
    source: PRIVATELINK,
    seenIn: 'AWS page text (billed per hour per AZ); $0.01 secondary',
  },
  wafWebAcl: {
    usd: 5,
    unit: 'web ACL-month',
    what: 'AWS WAF web ACL',
    source: WAF,
    seenIn: 'secondary',
  },
  wafRule: {
    usd: 1,
    unit: 'rule-month',
    what: 'AWS WAF rule or rule group in a web ACL',
    source: WAF,
    seenIn: 'secondary',
  },
} satisfies Record<string, Price>;

/**
 * API Gateway REST API stage cache, USD per hour by `CacheClusterSize` (GB), billed while the cache exists
 * whether requests hit it or not. Source: https://aws.amazon.com/api-gateway/pricing/; the hourly table was
 * read in secondary copies of it (consistent across three).
 */
export const API_GATEWAY_CACHE_HOURLY: Readonly<Record<string, number>> = {
  0.5: 0.02,
  1.6: 0.038,
  6.1: 0.2,
  13.5: 0.25,
  28.4: 0.5,
  58.2: 1,
  118: 1.9,
  237: 3.8,
};

/** Prices of what traffic costs: listed beside a fixed estimate, never added to it. */
export const USAGE_PRICES = {
  kmsRequests: { usd: 0.03, unit: '10,000 requests', what: 'KMS requests (20,000 free a month)', source: KMS, seenIn: 'secondary' },
  secretsApiCalls: { usd: 0.05, unit: '10,000 API calls', what: 'Secrets Manager API calls', source: SECRETS, seenIn: 'AWS page pricing examples (as above)' },
  logsIngestion: { usd: 0.50, unit: 'GB', what: 'CloudWatch Logs ingestion (vended logs such as flow logs: tiered, from this rate down)', source: CLOUDWATCH, seenIn: 'secondary (infracost output)' },
  logsStorage: { usd: 0.03, unit: 'GB-month', what: 'CloudWatch Logs storage, for the log group\'s retention', source: CLOUDWATCH, seenIn: 'secondary (infracost output)' },
  kinesisOnDemandIngest: { usd: 0.08, unit: 'GB', what: 'Kinesis on-demand data written (records rounded up to 1 KB)', source: KINESIS, seenIn: 'AWS page text (per GB written, 1 KB rounding); $0.08 secondary' },
  kinesisOnDemandRetrieval: { usd: 0.04, unit: 'GB', what: 'Kinesis on-demand data read, per standard consumer', source: KINESIS, seenIn: 'secondary' },
  kinesisPutPayloadUnits: { usd: 0.014, unit: 'million PUT payload units (25 KB)', what: 'Kinesis provisioned writes', source: KINESIS, seenIn: 'secondary' },
  firehoseIngest: { usd: 0.029, unit: 'GB', what: 'Firehose ingestion (records rounded up to 5 KB)', source: FIREHOSE, seenIn: 'secondary' },
  sqsRequests: { usd: 0.40, unit: 'million requests', what: 'SQS standard queue requests (FIFO $0.50; 1 million free a month)', source: SQS, seenIn: 'secondary' },
  snsPublishes: { usd: 0.50, unit: 'million publishes', what: 'SNS standard topic publishes (deliveries to SQS and Lambda are not charged; HTTPS $0.60 per million)', source: SNS, seenIn: 'secondary' },
  lambdaRequests: { usd: 0.20, unit: 'million requests', what: 'Lambda requests', source: LAMBDA, seenIn: 'secondary' },
  lambdaArmCompute: { usd: 0.0000133334, unit: 'GB-second', what: 'Lambda compute on arm64 (x86_64: $0.0000166667)', source: LAMBDA, seenIn: 'secondary' },
  s3Storage: { usd: 0.023, unit: 'GB-month', what: 'S3 Standard storage (first 50 TB)', source: S3, seenIn: 'secondary' },
  redshiftCompute: { usd: 0.375, unit: 'RPU-hour', what: 'Redshift Serverless compute for queries and loads (per second, 60-second minimum)', source: REDSHIFT, seenIn: 'AWS docs (as above)' },
  transitGatewayData: { usd: 0.02, unit: 'GB', what: 'Transit Gateway data processed', source: TGW, seenIn: 'secondary' },
  natGatewayData: { usd: 0.045, unit: 'GB', what: 'NAT gateway data processed', source: VPC, seenIn: 'secondary' },
  interfaceEndpointData: { usd: 0.01, unit: 'GB', what: 'interface VPC endpoint data processed (first PB)', source: PRIVATELINK, seenIn: 'AWS page text' },
  apiGatewayRestRequests: { usd: 3.50, unit: 'million requests', what: 'API Gateway REST API requests (first 333 million)', source: APIGATEWAY, seenIn: 'secondary' },
  dynamodbWrites: { usd: 0.625, unit: 'million write request units', what: 'DynamoDB on-demand writes', source: DYNAMODB, seenIn: 'secondary (after the November 2024 price reduction)' },
  dynamodbReads: { usd: 0.125, unit: 'million read request units', what: 'DynamoDB on-demand reads', source: DYNAMODB, seenIn: 'secondary (after the November 2024 price reduction)' },
  wafRequests: { usd: 0.60, unit: 'million requests', what: 'AWS WAF requests inspected', source: WAF, seenIn: 'secondary' },
} satisfies Record<string, Price>;

/** Rounds to cents. */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** `$1,234.50` */
export function formatUsd(usd: number): string {
  return `$${cents(usd).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A unit price as the pricing pages write it: `$0.40`, `$0.029`, `$0.0000133334`. */
export function formatUnitPrice(usd: number): string {
  return cents(usd) === usd ? formatUsd(usd) : `$${usd}`;
}

/**
 * The share of the time a Redshift Serverless workgroup is billed when something wakes it every
 * `intervalSeconds` for a short load: each wake-up is billed for at least 60 seconds
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing.html), so a load every minute or more
 * often bills it all the time.
 */
export function serverlessBilledShare(intervalSeconds: number): number {
  return intervalSeconds <= 60 ? 1 : 60 / intervalSeconds;
}

/** The monthly compute of a workgroup of `rpus` base capacity woken every `intervalSeconds`. */
export function serverlessMonthlyCompute(rpus: number, intervalSeconds: number): number {
  return rpus * FIXED_PRICES.redshiftServerlessRpu.usd * HOURS_PER_MONTH * serverlessBilledShare(intervalSeconds);
}
