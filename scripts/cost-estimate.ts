/**
 * What a synthesized template costs before anyone uses it: the fixed monthly price of each resource that is
 * billed by the hour or the month, priced with src/core/private/prices.ts (us-east-1), and the usage-driven
 * prices its resources bring (per request, per GB), listed beside the total and never added to it.
 *
 * It reads the template, not the props, so it stays true when a default changes. What it does not know
 * (traffic, data stored, the free tier, taxes, savings plans) is not in the figure.
 */
import {
  API_GATEWAY_CACHE_HOURLY, cents, FIXED_PRICES, formatUnitPrice, formatUsd, HOURS_PER_MONTH, Price, serverlessBilledShare, USAGE_PRICES,
} from '../src/core/private/prices';

/** One resource's fixed monthly price. */
export interface FixedItem {
  /** The construct path (without `/Resource`), or the logical ID when the template has no path metadata. */
  readonly path: string;
  /** The price it is billed at (a key of FIXED_PRICES, or `apiGatewayCache`). */
  readonly price: string;
  /** What is billed, in words. */
  readonly what: string;
  /** How many of it: resources, alarm metrics, shards. */
  readonly count: number;
  /** How many units a month. */
  readonly quantity: number;
  /** The unit, e.g. `key-month`, `attachment-hour`. */
  readonly unit: string;
  /** USD per unit. */
  readonly unitUsd: number;
  /** USD a month. */
  readonly monthlyUsd: number;
  /** An assumption behind the figure, when there is one. */
  readonly note?: string;
}

/** A price that grows with traffic or data. */
export interface UsageDriver {
  /** A key of USAGE_PRICES, or a free-text driver without a price in the table. */
  readonly id: string;
  /** `SQS $0.40 per million requests` */
  readonly text: string;
}

/** The estimate of one template (or of the resources under one construct path). */
export interface Estimate {
  readonly fixed: FixedItem[];
  readonly fixedMonthlyUsd: number;
  readonly drivers: UsageDriver[];
}

type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> };
type Template = { Resources?: Record<string, Resource> };

/** Options of `estimateTemplate`. */
export interface EstimateOptions {
  /** Only resources whose `aws:cdk:path` is this path or under it (the template needs path metadata). */
  readonly pathPrefix?: string;
}

/** `$0.40 per million requests` */
export function priceText(price: Price): string {
  return `${formatUnitPrice(price.usd)} per ${price.unit}`;
}

/** `SQS standard queue requests (...): $0.40 per million requests` */
function usage(id: keyof typeof USAGE_PRICES): UsageDriver {
  const price = USAGE_PRICES[id];
  return { id, text: `${price.what}: ${priceText(price)}` };
}

/** Whether `value` (a literal, or an intrinsic function) refers to the resource `logicalId`. */
function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? null).includes(`"${logicalId}"`);
}

function pathOf(id: string, resource: Resource): string {
  const path: string | undefined = resource.Metadata?.['aws:cdk:path'];
  return path ? path.replace(/\/(Resource|Default)$/, '') : id;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The fixed monthly cost and the usage-driven prices of a template. */
export function estimateTemplate(template: Template, options: EstimateOptions = {}): Estimate {
  const all = Object.entries(template.Resources ?? {});
  const prefix = options.pathPrefix;
  const resources = prefix === undefined ? all : all.filter(([, r]) => {
    const path: string | undefined = r.Metadata?.['aws:cdk:path'];
    return path !== undefined && (path === prefix || path.startsWith(`${prefix}/`));
  });
  const fixed: FixedItem[] = [];
  const drivers = new Map<string, UsageDriver>();
  const drive = (driver: UsageDriver) => drivers.set(driver.id, driver);
  const hourly = (path: string, key: keyof typeof FIXED_PRICES, count: number, note?: string, what?: string) => {
    const price: Price = FIXED_PRICES[key];
    const perHour = price.unit.endsWith('-hour');
    const quantity = perHour ? count * HOURS_PER_MONTH : count;
    const monthlyUsd = cents(quantity * price.usd);
    fixed.push({ path, price: key, what: what ?? price.what, count, quantity, unit: price.unit, unitUsd: price.usd, monthlyUsd, note });
  };
  const transitGateways = new Set(all.filter(([, r]) => r.Type === 'AWS::EC2::TransitGateway').map(([id]) => id));
  const isTransitGateway = (value: unknown) => (typeof value === 'string' && value.startsWith('tgw-'))
    || [...transitGateways].some((id) => refersTo(value, id));

  for (const [id, resource] of resources) {
    const p = resource.Properties ?? {};
    const path = pathOf(id, resource);
    switch (resource.Type) {
      case 'AWS::KMS::Key':
        hourly(path, 'kmsKey', 1, p.EnableKeyRotation ? 'rotation on: +$1/month after each of the first two yearly rotations' : undefined);
        drive(usage('kmsRequests'));
        break;
      case 'AWS::CloudWatch::Alarm': {
        // Each metric an alarm evaluates is an alarm metric; a period under 60 s makes it high resolution.
        const metrics: any[] = Array.isArray(p.Metrics) ? p.Metrics.filter((m: any) => m.MetricStat !== undefined) : [p];
        const highResolution = metrics.some((m) => (m.MetricStat?.Period ?? m.Period ?? 60) < 60);
        hourly(path, highResolution ? 'cloudWatchAlarmHighResolution' : 'cloudWatchAlarm', Math.max(1, metrics.length));
        break;
      }
      case 'AWS::SecretsManager::Secret':
        hourly(path, 'secret', 1);
        drive(usage('secretsApiCalls'));
        break;
      case 'AWS::Kinesis::Stream': {
        const onDemand = p.StreamModeDetails?.StreamMode === 'ON_DEMAND';
        const retention = isNumber(p.RetentionPeriodHours) ? p.RetentionPeriodHours : 24;
        if (onDemand) {
          hourly(path, 'kinesisOnDemandStream', 1);
          drive(usage('kinesisOnDemandIngest'));
          drive(usage('kinesisOnDemandRetrieval'));
          if (retention > 24) {
            drive({ id: 'kinesisOnDemandRetention', text: `Kinesis on-demand retention beyond 24 h (${retention} h): per GB-month stored (see the Kinesis pricing page; not in this table)` });
          }
        } else {
          const shards = p.ShardCount ?? 1;
          if (isNumber(shards)) {
            hourly(path, 'kinesisShard', shards);
            if (retention > 24) {
              hourly(path, 'kinesisExtendedRetentionShard', shards, retention > 168 ? 'beyond 7 days Kinesis bills long-term retention per GB-month instead' : undefined,
                `extended retention (${retention} h) of ${shards} shard${shards === 1 ? '' : 's'}`);
            }
          } else {
            drive({ id: `kinesisShards:${path}`, text: `Kinesis shards of ${path} (a count known at deploy time): ${priceText(FIXED_PRICES.kinesisShard)}` });
          }
          drive(usage('kinesisPutPayloadUnits'));
        }
        break;
      }
      case 'AWS::Kinesis::StreamConsumer': {
        // An enhanced fan-out consumer bills each shard of its stream by the hour.
        const [streamId, stream] = all.find(([sid, r]) => r.Type === 'AWS::Kinesis::Stream' && refersTo(p.StreamARN, sid)) ?? [];
        const shards = stream?.Properties?.ShardCount;
        if (stream !== undefined && stream.Properties?.StreamModeDetails?.StreamMode !== 'ON_DEMAND' && isNumber(shards)) {
          hourly(path, 'kinesisEnhancedFanOutShard', shards, undefined, `enhanced fan-out consumer of ${shards} shard${shards === 1 ? '' : 's'} (${streamId})`);
        } else {
          drive({ id: `kinesisEnhancedFanOut:${path}`, text: `Kinesis enhanced fan-out consumer ${path}: per consumer-shard-hour and per GB read (see the Kinesis pricing page)` });
        }
        break;
      }
      case 'AWS::KinesisFirehose::DeliveryStream':
        drive(usage('firehoseIngest'));
        break;
      case 'AWS::RedshiftServerless::Workgroup': {
        // 128 RPUs when unset (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html).
        const base = p.BaseCapacity ?? 128;
        const ceiling = isNumber(p.MaxCapacity) ? `, scaling to ${p.MaxCapacity} at most` : ', no scaling ceiling (MaxCapacity)';
        // Firehose runs a COPY at each flush: the shortest buffering interval of the delivery streams that load
        // this workgroup says how often it wakes (each wake-up billed for at least 60 seconds).
        const intervals = all.filter(([, r]) => r.Type === 'AWS::KinesisFirehose::DeliveryStream'
          && refersTo(r.Properties?.RedshiftDestinationConfiguration?.ClusterJDBCURL, id))
          .map(([, r]) => r.Properties!.RedshiftDestinationConfiguration.S3Configuration?.BufferingHints?.IntervalInSeconds ?? 300);
        if (intervals.length > 0 && isNumber(base) && intervals.every(isNumber)) {
          const interval = Math.min(...intervals);
          const share = serverlessBilledShare(interval);
          const rpuHours = base * HOURS_PER_MONTH * share;
          fixed.push({
            path,
            price: 'redshiftServerlessRpu',
            count: 1,
            what: `Redshift Serverless base capacity ${base} RPUs${ceiling}, woken by a Firehose COPY every ${interval} s: billed ${Math.round(share * 100)}% of the time`,
            quantity: cents(rpuHours),
            unit: FIXED_PRICES.redshiftServerlessRpu.unit,
            unitUsd: FIXED_PRICES.redshiftServerlessRpu.usd,
            monthlyUsd: cents(rpuHours * FIXED_PRICES.redshiftServerlessRpu.usd),
            note: 'while records arrive at least every interval (no records, no COPY); queries add to it',
          });
        } else if (intervals.length > 0) {
          drive({ id: `redshiftWake:${path}`, text: `Redshift Serverless ${path}: each Firehose COPY wakes it for at least 60 s at its base capacity (capacity or interval known at deploy time)` });
        }
        drive({ id: 'redshiftCompute', text: `${USAGE_PRICES.redshiftCompute.what}: ${priceText(USAGE_PRICES.redshiftCompute)} (base ${base} RPUs${ceiling})` });
        drive({ id: 'redshiftStorage', text: 'Redshift managed storage: per GB-month (see the Redshift pricing page; not in this table)' });
        break;
      }
      case 'AWS::EC2::TransitGatewayAttachment':
      case 'AWS::EC2::TransitGatewayVpcAttachment':
      case 'AWS::EC2::TransitGatewayPeeringAttachment':
      case 'AWS::EC2::TransitGatewayConnect':
        hourly(path, 'transitGatewayAttachment', 1, resource.Type === 'AWS::EC2::TransitGatewayPeeringAttachment' ? 'the peer side bills its own attachment too' : undefined);
        drive(usage('transitGatewayData'));
        break;
      case 'AWS::EC2::VPNConnection':
        hourly(path, 'vpnConnection', 1, p.EnableAcceleration ? 'acceleration adds Global Accelerator charges, not in this table' : undefined);
        if (p.TransitGatewayId !== undefined) {
          hourly(path, 'transitGatewayAttachment', 1, undefined, 'its Transit Gateway (VPN) attachment');
          drive(usage('transitGatewayData'));
        }
        if (p.PreSharedKeyStorage === 'SecretsManager') {
          hourly(path, 'secret', 1, 'counted like any secret: the secret Site-to-Site VPN keeps the pre-shared keys in', 'its pre-shared key secret (PreSharedKeyStorage)');
        }
        break;
      case 'AWS::DirectConnect::DirectConnectGatewayAssociation':
        if (isTransitGateway(p.AssociatedGatewayId)) {
          hourly(path, 'transitGatewayAttachment', 1, undefined, 'Transit Gateway (Direct Connect gateway) attachment');
        }
        break;
      case 'AWS::EC2::NatGateway':
        hourly(path, 'natGateway', 1);
        drive(usage('natGatewayData'));
        break;
      case 'AWS::EC2::EIP':
        hourly(path, 'publicIpv4', 1);
        break;
      case 'AWS::EC2::VPCEndpoint':
        if (p.VpcEndpointType === 'Interface') {
          const azs = Array.isArray(p.SubnetIds) ? p.SubnetIds.length : 1;
          hourly(path, 'interfaceEndpoint', azs, undefined, `interface VPC endpoint in ${azs} AZ${azs === 1 ? '' : 's'}`);
          drive(usage('interfaceEndpointData'));
        }
        break;
      case 'AWS::ApiGateway::Stage':
        if (p.CacheClusterEnabled === true) {
          const size = String(p.CacheClusterSize ?? '0.5');
          const perHour = API_GATEWAY_CACHE_HOURLY[size];
          if (perHour !== undefined) {
            const quantity = HOURS_PER_MONTH;
            fixed.push({
              path, price: 'apiGatewayCache', what: `API Gateway stage cache, ${size} GB`, count: 1, quantity, unit: 'cache-hour', unitUsd: perHour, monthlyUsd: cents(quantity * perHour),
            });
          } else {
            drive({ id: `apiGatewayCache:${path}`, text: `API Gateway stage cache of ${path} (a size known at deploy time): billed by the hour` });
          }
        }
        break;
      case 'AWS::CloudFront::Distribution':
        drive({ id: 'cloudFront', text: 'CloudFront data out and HTTPS requests: per GB and per 10,000 requests (see the CloudFront pricing page; not in this table)' });
        break;
      case 'AWS::ApiGateway::RestApi':
        drive(usage('apiGatewayRestRequests'));
        break;
      case 'AWS::WAFv2::WebACL': {
        hourly(path, 'wafWebAcl', 1);
        const rules = Array.isArray(p.Rules) ? p.Rules.length : 0;
        if (rules > 0) {
          hourly(path, 'wafRule', rules, undefined, `${rules} WAF rule${rules === 1 ? '' : 's'} or rule groups`);
        }
        drive(usage('wafRequests'));
        break;
      }
      case 'AWS::Logs::LogGroup':
        drive(usage('logsIngestion'));
        drive(usage('logsStorage'));
        break;
      case 'AWS::SQS::Queue':
        drive(usage('sqsRequests'));
        break;
      case 'AWS::SNS::Topic':
        drive(usage('snsPublishes'));
        break;
      case 'AWS::Lambda::Function':
        drive(usage('lambdaRequests'));
        drive(usage('lambdaArmCompute'));
        break;
      case 'AWS::S3::Bucket':
        drive(usage('s3Storage'));
        break;
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        drive(usage('dynamodbWrites'));
        drive(usage('dynamodbReads'));
        break;
      default:
        break;
    }
  }
  return {
    fixed,
    fixedMonthlyUsd: cents(fixed.reduce((sum, item) => sum + item.monthlyUsd, 0)),
    drivers: [...drivers.values()].sort((a, b) => a.text.localeCompare(b.text)),
  };
}

/** The lines the cost script prints for one stack. */
export function formatEstimate(name: string, estimate: Estimate): string[] {
  const lines = [`${name}: ${formatUsd(estimate.fixedMonthlyUsd)} a month before traffic (us-east-1)`];
  for (const item of estimate.fixed) {
    const quantity = Number.isInteger(item.quantity) ? String(item.quantity) : item.quantity.toFixed(2);
    lines.push(`   ${formatUsd(item.monthlyUsd).padStart(10)}  ${item.path}: ${item.what} (${quantity} ${item.unit} x $${item.unitUsd})${item.note ? `; ${item.note}` : ''}`);
  }
  if (estimate.drivers.length > 0) {
    lines.push('   traffic adds:');
    for (const driver of estimate.drivers) {
      lines.push(`     ${driver.text}`);
    }
  }
  return lines;
}
