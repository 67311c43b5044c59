import { Annotations, ArnFormat, CustomResource, Duration, Fn, Lazy, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FactName } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../core/managed-policy-role';
import { IMonitoredPattern } from '../core/monitoring';
import { acknowledgeRules, CONFIG_PACKS, inPacks } from '../core/private/acknowledge';
import { wireAlarmActions } from '../core/private/alarms';
import { accessLogsBucket, privateBucket, validateAccessLogsBucket } from '../core/private/buckets';
import { boundDefaultSecurityGroupRestriction } from '../core/private/default-security-group';
import { Flow, flowName, flowRef } from '../core/private/flow';
import { cloudWatchFlowLog } from '../core/private/flow-logs';
import { handlerFunction, handlerResource, policyResource } from '../core/private/handler-function';
import { logGroup } from '../core/private/log-groups';
import { formatUsd, PRICE_REGION, PRICES_READ, serverlessBilledShare, serverlessMonthlyCompute } from '../core/private/prices';
import { watchResourceBudget } from '../core/private/resource-budget';
import { fail, secondsOf, templateSeconds, validateInteger, validateSeconds } from '../core/private/validation';
import { tableProblems } from '../handlers/sql';

// Kinesis Data Streams per-shard limits (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html).
const SHARD_INGRESS_MIB = 1;
const SHARD_INGRESS_RECORDS = 1000;
const SHARD_EGRESS_MIB = 2;
const MIN_RETENTION_HOURS = 24;
const MAX_RETENTION_HOURS = 8760;
/**
 * Each shard serves 5 GetRecords calls a second, shared by every standard consumer; Firehose and each Lambda
 * event source poll every shard once a second, so a sixth shared consumer is throttled whatever the shard
 * count (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html). More consumers need
 * enhanced fan-out, which gives each its own 2 MiB/s per shard.
 */
const SHARD_READS_PER_SECOND = 5;
/**
 * The default shard quota of an account in a region: 1,000 to 20,000 depending on the region (adjustable),
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html.
 */
const SHARD_QUOTA_WARNING = 1_000;
/**
 * COPY options by default: JSON 'auto' maps top-level keys to columns; TIMEFORMAT and DATEFORMAT 'auto' read
 * ISO-8601 and the other common formats; TRUNCATECOLUMNS and ACCEPTINVCHARS load over-long strings and invalid
 * UTF-8 instead of failing the whole batch; MAXERROR 100 lets a batch load with up to 100 bad records (listed in
 * SYS_LOAD_ERROR_DETAIL) while a systematic error still fails it and raises the delivery alarm.
 * https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html
 */
const COPY_DEFAULTS = "TIMEFORMAT 'auto' DATEFORMAT 'auto' TRUNCATECOLUMNS ACCEPTINVCHARS MAXERROR 100";
const REDSHIFT_PORT = 5439;
/**
 * Firehose flushes a batch (and runs a COPY) when its buffer reaches the interval or the size, whichever comes
 * first. The longest interval and the largest size Firehose accepts (0-900 s, 1-128 MiB:
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html) wake a Serverless
 * workgroup least often: each wake-up is billed for at least 60 seconds at its base capacity
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing.html), so a COPY every minute bills
 * it around the clock, and one every 15 minutes a fifteenth of the time.
 */
const DEFAULT_BUFFERING_SECONDS = 900;
const DEFAULT_BUFFERING_MIB = 128;
/** 8 RPUs, offered in every region with Redshift Serverless (4 RPUs is cheaper where offered: baseCapacity). */
const DEFAULT_BASE_CAPACITY = 8;
/** The default ceiling on scaling: this many times the base capacity. */
const DEFAULT_MAX_CAPACITY_FACTOR = 4;
/** "The top Max capacity setting is 5632 RPUs" (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing-on-demand.html). */
const MAX_CAPACITY_LIMIT = 5632;
/** The synth warning fires when COPYs keep the workgroup billed at least this share of the time. */
const ALWAYS_ON_SHARE = 0.5;
/** Enhanced fan-out consumers a stream may register (50 with On-demand Advantage). */
const MAX_ENHANCED_FAN_OUT_CONSUMERS = 20;

/** Where the data lands in Redshift. */
export enum RedshiftIngestion {
  /** Firehose stages batches in S3 and runs a Redshift COPY (reaches the Redshift endpoint publicly). */
  FIREHOSE_COPY = 'FIREHOSE_COPY',
  /**
   * Redshift streaming ingestion: a materialized view over the stream with auto refresh, read by Redshift
   * itself (no Firehose, no public endpoint, no staging bucket).
   */
  STREAMING = 'STREAMING',
}

/** Compression of the objects Firehose stages in S3 (Redshift COPY reads GZIP or none). */
export enum StagingCompression {
  /** GZIP, matching the default COPY options. */
  GZIP = 'GZIP',
  /** No compression (remove GZIP from the COPY options). */
  UNCOMPRESSED = 'UNCOMPRESSED',
  /** Refused: Redshift COPY from Firehose cannot read it. */
  SNAPPY = 'Snappy',
  /** Refused: Redshift COPY from Firehose cannot read it. */
  ZIP = 'ZIP',
}

/**
 * Throughput the stream must carry, from which the shard count is computed with the per-shard limits.
 */
export interface ExpectedThroughput {
  /** Data written per second, in MiB (1 MiB/s per shard). @default 0 */
  readonly ingressMiBPerSecond?: number;
  /** Records written per second (1,000 per shard). @default 0 */
  readonly recordsPerSecond?: number;
  /** Data each standard consumer reads per second, in MiB. @default - the ingress */
  readonly egressMiBPerSecond?: number;
  /** Standard (shared-throughput) consumers, Firehose included: they share 2 MiB/s per shard. @default 1 */
  readonly consumers?: number;
}

/** A column of the Redshift table. */
export interface RedshiftColumn {
  /** A lower-case identifier. */
  readonly name: string;
  /** A Redshift type: VARCHAR(64), BIGINT, DECIMAL(18,2), TIMESTAMP, SUPER, ... */
  readonly dataType: string;
}

/** The Redshift table the records land in. */
export interface RedshiftTableOptions {
  /** A lower-case identifier. */
  readonly name: string;

  /**
   * The schema.
   *
   * @default - the database's default search path (public)
   */
  readonly schema?: string;

  /**
   * The columns, in the order of the COPY column list. Required with FIREHOSE_COPY; with STREAMING the
   * view's columns are fixed (arrival time, partition key, shard, sequence number, payload as SUPER).
   *
   * @default - none (STREAMING only)
   */
  readonly columns?: RedshiftColumn[];

  /**
   * The sort key columns.
   *
   * @default - none
   */
  readonly sortKey?: string[];

  /**
   * The distribution key column.
   *
   * @default - AUTO distribution
   */
  readonly distKey?: string;

  /**
   * Whether to create the table (CREATE TABLE IF NOT EXISTS through the Redshift Data API).
   *
   * @default true
   */
  readonly create?: boolean;

  /**
   * What happens to the table when the construct leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Connection details of an existing Redshift target. */
export interface ExistingRedshiftOptions {
  /** The endpoint host name. */
  readonly endpoint: string;
  /** The port. @default 5439 */
  readonly port?: number;
  /** The database. */
  readonly database: string;
  /** A Secrets Manager secret with `username` and `password` keys, used by Firehose and the table resource. */
  readonly credentials: secretsmanager.ISecret;
}

/** Options of a provisioned cluster target. */
export interface ExistingClusterOptions extends ExistingRedshiftOptions {
  /** The cluster identifier (for the Data API). */
  readonly clusterIdentifier: string;
}

/** Options of a Serverless workgroup target. */
export interface ExistingWorkgroupOptions extends ExistingRedshiftOptions {
  /** The workgroup name (for the Data API). */
  readonly workgroupName: string;

  /**
   * The workgroup ID (the last part of its ARN), which narrows the table handler's Data API permission to
   * this workgroup.
   *
   * @default - any workgroup of this account and region (a workgroup's ARN holds its ID, not its name)
   */
  readonly workgroupId?: string;
}

/**
 * An existing Redshift target. Firehose reaches it over its public endpoint from the region's Firehose
 * CIDR: the cluster or workgroup must be publicly accessible and admit that CIDR on its port.
 */
export abstract class RedshiftTarget {
  /** A provisioned cluster. */
  public static cluster(options: ExistingClusterOptions): RedshiftTarget {
    return new class extends RedshiftTarget {
      public readonly options = options;
      public readonly clusterIdentifier = options.clusterIdentifier;
    }();
  }

  /** A Serverless workgroup. */
  public static serverlessWorkgroup(options: ExistingWorkgroupOptions): RedshiftTarget {
    return new class extends RedshiftTarget {
      public readonly options = options;
      public readonly workgroupName = options.workgroupName;
      public readonly workgroupId = options.workgroupId;
    }();
  }

  /** The connection details. */
  public abstract readonly options: ExistingRedshiftOptions;
  /** The cluster identifier, for a cluster. */
  public readonly clusterIdentifier?: string;
  /** The workgroup name, for a workgroup. */
  public readonly workgroupName?: string;
  /** The workgroup ID, for a workgroup when given. */
  public readonly workgroupId?: string;
}

/**
 * Properties for a StreamToRedshift.
 */
export interface StreamToRedshiftProps {
  /** The Redshift table. */
  readonly table: RedshiftTableOptions;

  /**
   * An existing stream.
   *
   * @default - a new stream (on-demand unless `shardCount` or `expectedThroughput` is given)
   */
  readonly stream?: kinesis.IStream;

  /**
   * Shards of a new provisioned stream.
   *
   * @default - on-demand capacity
   */
  readonly shardCount?: number;

  /**
   * Throughput of a new provisioned stream; the shard count is computed from it.
   *
   * @default - on-demand capacity
   */
  readonly expectedThroughput?: ExpectedThroughput;

  /**
   * How long a new stream keeps records: 24-8760 hours. The retention is the longest time a reader of the
   * stream (Firehose, a Lambda consumer, Redshift streaming ingestion) can fall behind and still catch up:
   * records older than it are gone. (While Redshift is unreachable, Firehose keeps reading and retries each
   * COPY for `retryDuration`, then skips the batch: see `skippedBatchQueue`.) Seven days cover a long weekend;
   * beyond 24 hours Kinesis bills extended retention.
   *
   * @default Duration.days(7)
   */
  readonly retentionPeriod?: Duration;

  /**
   * A customer-managed key for a new stream.
   *
   * @default - `encryptionKey` when given, else the AWS-managed key aws/kinesis
   */
  readonly streamEncryptionKey?: kms.IKey;

  /**
   * A customer managed KMS key for what the construct stores at rest besides the stream: the staging and
   * backup buckets (SSE-KMS with a bucket key), the admin secret, and the log groups (Firehose errors, the
   * table handler, the VPC's flow logs). A key defined in this app gets a key policy statement letting
   * CloudWatch Logs in this region use it for this account's log groups; an imported key must allow that
   * already (a warning says so). Costs one key a month plus requests (bucket keys keep S3's requests few).
   *
   * @default - AWS-owned and AWS-managed keys: SSE-S3 buckets, the aws/secretsmanager key, CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * An existing Redshift target.
   *
   * @default - a new Redshift Serverless namespace and workgroup
   */
  readonly redshift?: RedshiftTarget;

  /**
   * The VPC of a new workgroup (public subnets in three AZs: Firehose reaches the workgroup publicly).
   *
   * @default - a new VPC with three public /24 subnets, in `availabilityZones`
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The Availability Zones (names in the stack's Region) of the new VPC's workgroup subnets, one subnet each.
   *
   * A workgroup needs subnets in at least three AZs (in us-west-1: three subnets over its two AZs, so name one
   * twice) whose AZ IDs Redshift Serverless supports. AZ names map to different AZ IDs in each account: when
   * the workgroup's creation reports an unsupported Availability Zone, name three supported ones here.
   * https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html
   *
   * @default - the stack's first three AZs (in us-west-1 its two, the first one twice). In an
   * environment-agnostic stack, the first three that `Fn::GetAZs` returns at deploy time; that function
   * returns only the AZs that have a default subnet (when any has one), so an account whose default VPC has
   * default subnets in fewer than three AZs needs this prop or a stack `env`
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getavailabilityzones.html).
   */
  readonly availabilityZones?: string[];

  /**
   * Base capacity of a new workgroup, in Redshift Processing Units: 4, a multiple of 8 from 8 to 512, or (in the
   * regions that offer it) a multiple of 32 up to 1024. Every wake-up (a COPY, a query) is billed at least this
   * capacity for 60 seconds: 4 RPUs halves the cost of the default where offered (warehouses under 32 TB).
   *
   * @default 8
   */
  readonly baseCapacity?: number;

  /**
   * The most RPUs a new workgroup scales up to, a ceiling on what one busy hour can cost
   * (`MaxCapacity`: up to 5632 RPUs, at least `baseCapacity`). Redshift Serverless usage limits (RPU-hours
   * a day, week or month) cannot be set through CloudFormation: add one with
   * `aws redshift-serverless create-usage-limit` if you want queries turned off past a budget.
   *
   * @default - 4 x baseCapacity (32 RPUs by default); none when baseCapacity is a Token
   */
  readonly maxCapacity?: number;

  /**
   * What happens to a new Redshift Serverless namespace (the database and everything loaded into it) and its
   * admin secret when they leave the stack (`cdk destroy`, or the construct removed): RETAIN keeps both;
   * SNAPSHOT deletes the namespace after Redshift took a final snapshot named `<namespace>-final` (keep or
   * delete that snapshot yourself; a second destroy of a namespace with the same name needs it gone first)
   * and keeps the secret; DESTROY deletes both. A retained namespace keeps its name: deploying the stack again
   * needs it deleted, or restored from, first.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How records reach Redshift.
   *
   * @default RedshiftIngestion.FIREHOSE_COPY
   */
  readonly ingestion?: RedshiftIngestion;

  /**
   * COPY options. The default loads the good records of a batch and counts the bad ones: see the README's
   * producer contract.
   *
   * @default "JSON 'auto' GZIP TIMEFORMAT 'auto' DATEFORMAT 'auto' TRUNCATECOLUMNS ACCEPTINVCHARS MAXERROR 100" (without GZIP when stagingCompression is UNCOMPRESSED)
   */
  readonly copyOptions?: string;

  /**
   * How long a new staging bucket keeps the staged batches and the manifests of batches Firehose skipped
   * (under `errors/`): the time you have to load a skipped batch again after the skipped-batch alarm
   * (whole days, at least 1).
   *
   * @default Duration.days(7)
   */
  readonly stagingRetention?: Duration;

  /**
   * Compression of the staged objects.
   *
   * @default StagingCompression.GZIP
   */
  readonly stagingCompression?: StagingCompression;

  /**
   * How long Firehose buffers before a batch: 0-900 seconds. Each batch is a COPY, and each COPY wakes a
   * Serverless workgroup, billed for at least 60 seconds at its base capacity: 900 s keeps the records up to
   * 15 minutes from Redshift and bills an idle-but-fed workgroup a fifteenth of the time; 60 s brings them
   * within a minute and bills it around the clock (8 RPUs: about $2,190 a month in us-east-1). A synth
   * warning says what an interval of 120 s or less costs.
   *
   * @default Duration.seconds(900)
   */
  readonly bufferingInterval?: Duration;

  /**
   * How much Firehose buffers before a batch: 1-128 MiB. A batch leaves when it is full or when the interval
   * passed, whichever comes first: a smaller size means more COPYs (and wake-ups) under steady traffic.
   *
   * @default 128
   */
  readonly bufferingSizeMiB?: number;

  /**
   * How long Firehose retries a failed COPY: 0-7200 seconds.
   *
   * @default Duration.hours(1)
   */
  readonly retryDuration?: Duration;

  /**
   * Whether Firehose also keeps every record in a backup bucket.
   *
   * @default false
   */
  readonly s3Backup?: boolean;

  /**
   * The bucket for the backup of every source record; giving it turns `s3Backup` on. Bring one when your
   * policy asks for cross-region replication or object lock.
   *
   * @default - a new bucket like the staging bucket (without expiry) when `s3Backup` is true
   */
  readonly backupBucket?: s3.IBucket;

  /**
   * The staging bucket.
   *
   * @default - a new bucket: encrypted, versioned, private, TLS only, access-logged, objects expire after 7 days
   */
  readonly stagingBucket?: s3.IBucket;

  /**
   * Where the server access logs of the buckets the construct creates (staging, backup) go, under
   * `staging/` and `backup/`: e.g. the account's log bucket in this Region, replicated to its central archive.
   * It must be in this stack's account and Region (S3 server access logging delivers nowhere else), and its
   * bucket policy (or ACL) must let S3 log delivery write to it.
   *
   * @default - a new bucket: SSE-S3, versioned, private, TLS only, logs expire after 90 days
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long Firehose error logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Whether to create the alarms.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Actions (an SNS topic, an incident tool) for every alarm, for the ALARM and OK states. More can be
   * added with `addAlarmAction`.
   *
   * @default - none: the alarms change state and show in the console only
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** Options for `StreamToRedshift.addLambdaConsumer`. */
export interface StreamConsumerOptions {
  /**
   * Whether the function reads through an enhanced fan-out consumer (its own 2 MiB/s per shard).
   *
   * @default false
   */
  readonly enhancedFanOut?: boolean;

  /** Records per invocation (1-10,000). @default 100 */
  readonly batchSize?: number;

  /** Where a new consumer starts reading. @default lambda.StartingPosition.LATEST */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * Where the metadata of a batch goes once its retries are exhausted (an SQS queue or SNS topic, e.g.
   * `new SqsDlq(queue)`). With it, a failing batch is split in two on each error and retried at most 3
   * times, so that one bad record cannot hold its shard back until the records expire.
   *
   * @default - none: a failing batch is retried until its records expire from the stream
   */
  readonly onFailure?: lambda.IEventSourceDlq;
}

/**
 * Kinesis Data Streams -> Firehose -> S3 staging -> Redshift COPY, with the table created for you, a new
 * Redshift Serverless workgroup by default, and alarms on the stream and the delivery.
 *
 * Firehose reaches Redshift over its public endpoint: a new workgroup is publicly accessible, and its
 * security group admits only the region's Firehose CIDR on the Redshift port. `RedshiftIngestion.STREAMING`
 * avoids the public endpoint altogether.
 */
export class StreamToRedshift extends Construct implements IMonitoredPattern {
  /** The stream producers write to. */
  public readonly stream: kinesis.IStream;

  /** The Firehose delivery stream (FIREHOSE_COPY). */
  public readonly deliveryStream?: firehose.CfnDeliveryStream;

  /** The staging bucket (FIREHOSE_COPY). */
  public readonly stagingBucket?: s3.IBucket;

  /** The new Serverless namespace, when one was created. */
  public readonly namespace?: redshiftserverless.CfnNamespace;

  /** The new Serverless workgroup, when one was created. */
  public readonly workgroup?: redshiftserverless.CfnWorkgroup;

  /** The security group of a new workgroup. */
  public readonly securityGroup?: ec2.SecurityGroup;

  /** The secret with the Redshift credentials. */
  public readonly credentials: secretsmanager.ISecret;

  /** The table custom resource, when `table.create` is on. */
  public readonly tableResource?: CustomResource;

  /**
   * The queue that records every batch Firehose skipped (FIREHOSE_COPY): one message per manifest written
   * under `errors/` in the staging bucket (the S3 event, with the manifest's key). The skipped-batch alarm
   * fires while it holds messages: delete each once its batch is loaded again.
   */
  public readonly skippedBatchQueue?: sqs.IQueue;

  /**
   * A role the new namespace may assume to read the staging bucket: name it in the COPY that loads a skipped
   * batch again (FIREHOSE_COPY with a new workgroup).
   */
  public readonly backfillRole?: iam.IRole;

  /** The shard count of a new provisioned stream (undefined for on-demand or existing streams). */
  public readonly shardCount?: number;

  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  private readonly encryptionKey?: kms.IKey;
  private readonly accessLogsBucketProp?: s3.IBucket;
  private enhancedFanOutConsumers = 0;
  private readonly namespaceRoles: iam.IRole[] = [];
  /** Readers sharing each shard's 5 GetRecords calls a second: Firehose or Redshift, and shared Lambda consumers. */
  private sharedConsumers = 1;

  constructor(scope: Construct, id: string, props: StreamToRedshiftProps) {
    super(scope, id);
    const ingestion = props.ingestion ?? RedshiftIngestion.FIREHOSE_COPY;
    watchResourceBudget(this);
    this.shardCount = this.validateProps(props, ingestion);
    this.warnWhenAlwaysOn(props, ingestion);
    this.encryptionKey = props.encryptionKey;
    validateAccessLogsBucket(this, 'accessLogsBucket', props.accessLogsBucket);
    this.accessLogsBucketProp = props.accessLogsBucket;
    const streamKey = props.streamEncryptionKey ?? props.encryptionKey;

    this.stream = props.stream ?? new kinesis.Stream(this, 'Stream', {
      // Streaming ingestion names the stream in SQL, where Redshift folds names to lower case: a new stream
      // gets a lower-case name, unique to this construct (CloudFormation's generated names are mixed case).
      streamName: ingestion === RedshiftIngestion.STREAMING
        ? Names.uniqueResourceName(this, { maxLength: 127, separator: '-' }).toLowerCase()
        : undefined,
      streamMode: this.shardCount === undefined ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
      shardCount: this.shardCount,
      retentionPeriod: props.retentionPeriod ?? Duration.days(7),
      encryption: streamKey ? kinesis.StreamEncryption.KMS : kinesis.StreamEncryption.MANAGED,
      encryptionKey: streamKey,
    });
    if (streamKey && !props.stream) {
      acknowledgeRules(this.stream.node.defaultChild as kinesis.CfnStream, {
        id: 'AwsSolutions-KDS3', reason: 'A customer-managed key was asked for through streamEncryptionKey or encryptionKey',
      });
    }
    // The data flow of the README diagrams (src/core/private/flow.ts).
    Flow.of(this).node(this.stream, 'stream', props.stream ? flowName(this.stream) : id,
      { detail: props.stream ? undefined : this.shardCount === undefined ? 'on-demand' : `${this.shardCount} shards` });

    // Redshift: existing, or a new Serverless namespace and workgroup.
    let target: { workgroupName?: string; clusterIdentifier?: string; endpoint: string; port: string; database: string; arn: string };
    if (props.redshift !== undefined) {
      const o = props.redshift.options;
      this.credentials = o.credentials;
      const stack = Stack.of(this);
      target = {
        workgroupName: props.redshift.workgroupName,
        clusterIdentifier: props.redshift.clusterIdentifier,
        endpoint: o.endpoint,
        port: String(o.port ?? REDSHIFT_PORT),
        database: o.database,
        // A workgroup's ARN holds its ID, which its name does not give: without workgroupId, this account's
        // workgroups in the region (the table handler acknowledges that wildcard).
        arn: props.redshift.workgroupName !== undefined
          ? stack.formatArn({ service: 'redshift-serverless', resource: 'workgroup', resourceName: props.redshift.workgroupId ?? '*' })
          : stack.formatArn({ service: 'redshift', resource: 'cluster', resourceName: props.redshift.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      };
    } else {
      const created = this.createServerless(props, ingestion);
      this.credentials = created.secret;
      this.namespace = created.namespace;
      this.workgroup = created.workgroup;
      this.securityGroup = created.securityGroup;
      target = created.target;
    }
    const redshiftNode = this.workgroup ?? Flow.of(this).node(flowRef(this, 'Redshift', true),
      props.redshift?.workgroupName !== undefined ? 'redshiftWorkgroup' : 'redshiftCluster',
      props.redshift?.workgroupName ?? props.redshift?.clusterIdentifier ?? 'Redshift', { detail: 'existing' });

    const streamingRole = ingestion === RedshiftIngestion.STREAMING ? this.streamingRole() : undefined;
    if (streamingRole !== undefined) {
      Flow.of(this).edge(this.stream, redshiftNode, { label: `streaming ingestion into ${props.table.name}` });
    }

    if (ingestion === RedshiftIngestion.FIREHOSE_COPY) {
      this.stagingBucket = props.stagingBucket ?? this.createStagingBucket(props);
      this.deliveryStream = this.createDeliveryStream(props, target);
      this.skippedBatchQueue = this.recordSkippedBatches(this.stagingBucket);
      if (this.namespace) {
        this.backfillRole = this.createBackfillRole(this.stagingBucket);
      }
      const interval = `${secondsOf(props.bufferingInterval ?? Duration.seconds(DEFAULT_BUFFERING_SECONDS)) ?? '(deploy-time value)'} s or ${props.bufferingSizeMiB ?? DEFAULT_BUFFERING_MIB} MiB`;
      Flow.of(this).node(this.deliveryStream, 'deliveryStream', id);
      Flow.of(this).node(this.stagingBucket, 'bucket', props.stagingBucket ? flowName(this.stagingBucket) : `${id} staging`);
      Flow.of(this).edge(this.stream, this.deliveryStream, { label: 'read' });
      Flow.of(this).edge(this.deliveryStream, this.stagingBucket, { label: 'stage batches' });
      Flow.of(this).edge(this.stagingBucket, redshiftNode, { label: `COPY into ${props.table.name} every ${interval}` });
      Flow.of(this).node(this.skippedBatchQueue, 'queue', `${id} skipped batches`);
      Flow.of(this).edge(this.stagingBucket, this.skippedBatchQueue, { label: 'manifest of a skipped batch (EventBridge)', style: 'failure' });
    }

    if (props.table.create ?? true) {
      this.tableResource = this.createTable(props, target, ingestion, streamingRole);
      if (this.deliveryStream) {
        // Firehose would COPY into a table that does not exist yet.
        this.deliveryStream.node.addDependency(this.tableResource);
      }
    }

    if (props.alarms ?? true) {
      this.createAlarms(props);
    }
    this.addAlarmAction(...props.alarmActions ?? []);
  }

  /**
   * Grants the principal the right to write records to the stream: kinesis:PutRecord, PutRecords and
   * ListShards, and with a customer managed key kms:GenerateDataKey on it, which is all a producer needs
   * (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html). aws-cdk-lib's
   * grantWrite would add the wildcard actions kms:ReEncrypt* and kms:GenerateDataKey*.
   */
  public grantWrite(producer: iam.IGrantable): iam.Grant {
    const grant = this.stream.grant(producer, 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords');
    this.stream.encryptionKey?.grant(producer, 'kms:GenerateDataKey');
    return grant;
  }

  /**
   * Adds another application reading the stream: a Lambda event source, through an enhanced fan-out
   * consumer of its own when asked (so it does not share the 2 MiB/s per shard with Firehose).
   */
  public addLambdaConsumer(fn: lambda.IFunction, options: StreamConsumerOptions = {}): void {
    validateInteger(this, 'batchSize', options.batchSize, 1, 10_000);
    const common = {
      batchSize: options.batchSize ?? 100,
      startingPosition: options.startingPosition ?? lambda.StartingPosition.LATEST,
      ...options.onFailure ? { onFailure: options.onFailure, bisectBatchOnError: true, retryAttempts: 3 } : {},
    };
    if (options.enhancedFanOut) {
      this.enhancedFanOutConsumers++;
      if (this.enhancedFanOutConsumers === MAX_ENHANCED_FAN_OUT_CONSUMERS + 1) {
        Annotations.of(this).addWarningV2('cdk-reference-patterns:enhancedFanOutQuota',
          `${this.enhancedFanOutConsumers} enhanced fan-out consumers on one stream: Kinesis registers at most ${MAX_ENHANCED_FAN_OUT_CONSUMERS} per stream (50 with On-demand Advantage), so the deployment fails past that; share a consumer or fan out further downstream (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html)`);
      }
      const consumer = new kinesis.StreamConsumer(this, `Consumer${Names.nodeUniqueId(fn.node)}`, {
        stream: this.stream,
        streamConsumerName: Names.uniqueResourceName(fn, { maxLength: 128, separator: '-' }),
      });
      fn.addEventSource(new lambdaEventSources.KinesisConsumerEventSource(consumer, common));
    } else {
      this.sharedConsumers++;
      if (this.sharedConsumers === SHARD_READS_PER_SECOND) {
        Annotations.of(this).addWarningV2('cdk-reference-patterns:sharedConsumers',
          `${this.sharedConsumers} or more standard consumers read each shard (Firehose or Redshift, and the Lambda event sources), each polling once a second: a shard serves ${SHARD_READS_PER_SECOND} GetRecords calls a second, so reads are throttled at the first retry, whatever the shard count; give the extra consumers enhancedFanOut (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html)`);
      }
      fn.addEventSource(new lambdaEventSources.KinesisEventSource(this.stream, common));
    }
    Flow.of(this).node(fn, 'function', flowName(fn));
    Flow.of(this).edge(this.stream, fn, { label: options.enhancedFanOut ? 'enhanced fan-out' : 'poll' });
  }

  /** Adds the given actions to every alarm of this construct, for the ALARM and OK states. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    wireAlarmActions(this.alarms, actions);
  }

  private createServerless(props: StreamToRedshiftProps, ingestion: RedshiftIngestion) {
    const stack = Stack.of(this);
    const base = Names.uniqueResourceName(this, { maxLength: 60, separator: '-' }).toLowerCase().replace(/[^a-z0-9-]/g, '');
    const name = /^[a-z]/.test(base) ? base : `r${base}`.slice(0, 60);
    const vpc = props.vpc ?? this.createVpc(props);
    const securityGroup = new ec2.SecurityGroup(this, 'WorkgroupSecurityGroup', {
      vpc,
      description: securityGroupDescription(`Redshift Serverless workgroup of ${this.node.path}`),
      allowAllOutbound: false,
    });
    if (ingestion === RedshiftIngestion.FIREHOSE_COPY) {
      // Firehose reaches Redshift over its public endpoint, from the region's Firehose CIDR only
      // (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-rs).
      // regionalFact gives a literal for a known region and a CloudFormation mapping otherwise.
      const firehoseCidr = stack.regionalFact(FactName.FIREHOSE_CIDR_BLOCK);
      securityGroup.addIngressRule(ec2.Peer.ipv4(firehoseCidr), ec2.Port.tcp(REDSHIFT_PORT), 'Amazon Data Firehose in this region');
      if (Token.isUnresolved(firehoseCidr)) {
        // In a region-agnostic stack the CIDR comes from a CloudFormation mapping, which the rules below cannot
        // evaluate ("Rule threw an error during validation"): the one ingress rule is the region's Firehose
        // CIDR (a /27) on the Redshift port, never 0.0.0.0/0, SSH or another common port.
        const reason = 'The only ingress is the region\'s Firehose CIDR (a /27 from the FirehoseCidr mapping, resolved at deploy time) on the Redshift port: not open to the world, no SSH or other common port';
        acknowledgeRules(securityGroup.node.defaultChild as ec2.CfnSecurityGroup, { id: 'AwsSolutions-EC23', reason },
          ...inPacks('EC2RestrictedCommonPorts', CONFIG_PACKS, reason), ...inPacks('EC2RestrictedSSH', CONFIG_PACKS, reason));
      }
    }
    // The admin credentials live in a generated secret: the template holds only a dynamic reference to the
    // password. (Redshift's managed admin password is not exposed to CloudFormation, and Firehose needs the
    // secret's ARN.) Redshift passwords: 8-64 characters, upper, lower and digit, none of ' " \ / @ or space.
    // The database and its credentials are kept unless the user chose otherwise (DESIGN: stateful data
    // survives cdk destroy). RedshiftServerless::Namespace takes no Snapshot deletion policy: SNAPSHOT asks
    // Redshift for a final snapshot on DeleteNamespace instead.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshiftserverless-namespace.html
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const secret = new secretsmanager.Secret(this, 'AdminSecret', {
      removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      encryptionKey: this.encryptionKey,
      description: `Redshift admin credentials of ${this.node.path} (used by Firehose and the table resource)`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'firehose_admin' }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludeCharacters: '\'"\\/@ ',
        requireEachIncludedType: true,
      },
    });
    const rotation = 'Rotating the admin password of a Serverless namespace needs a rotation function with network access to the workgroup; change it with Redshift Serverless UpdateNamespace (a new adminUserPassword) and store it in the secret, as documented';
    acknowledgeRules(secret.node.defaultChild as secretsmanager.CfnSecret, ...inPacks('SMG4', ['AwsSolutions'], rotation),
      ...inPacks('SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security'], rotation));
    const namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
      namespaceName: name,
      dbName: 'dev',
      adminUsername: 'firehose_admin',
      adminUserPassword: secret.secretValueFromJson('password').unsafeUnwrap(), // a dynamic reference, not the password
      logExports: ['userlog', 'connectionlog', 'useractivitylog'],
      kmsKeyId: this.encryptionKey?.keyArn,
      ...removalPolicy === RemovalPolicy.SNAPSHOT ? { finalSnapshotName: `${name}-final` } : {},
      // The roles Redshift may assume (the backfill role, the streaming role), added as they are created.
      iamRoles: Lazy.list({ produce: () => this.namespaceRoles.map((role) => role.roleArn) }, { omitEmpty: true }),
    });
    const kept = removalPolicy === RemovalPolicy.RETAIN || removalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    namespace.applyRemovalPolicy(kept ? removalPolicy : RemovalPolicy.DESTROY);
    this.createAuditLogGroups(props, name, namespace, removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
    const workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
      workgroupName: name,
      namespaceName: namespace.namespaceName,
      baseCapacity: props.baseCapacity ?? DEFAULT_BASE_CAPACITY,
      maxCapacity: maxCapacityOf(props),
      port: REDSHIFT_PORT,
      publiclyAccessible: ingestion === RedshiftIngestion.FIREHOSE_COPY,
      subnetIds: this.workgroupSubnets(vpc, props.vpc === undefined || ingestion === RedshiftIngestion.FIREHOSE_COPY),
      securityGroupIds: [securityGroup.securityGroupId],
      configParameters: [
        { parameterKey: 'require_ssl', parameterValue: 'true' },
        { parameterKey: 'enable_user_activity_logging', parameterValue: 'true' },
      ],
    });
    workgroup.node.addDependency(namespace);
    Flow.of(this).group(vpc, 'vpc', `VPC ${flowName(vpc)}`);
    Flow.of(this).node(workgroup, 'redshiftWorkgroup', this.node.id, { detail: `Serverless, ${props.baseCapacity ?? DEFAULT_BASE_CAPACITY} RPU`, group: vpc });
    return {
      secret,
      namespace,
      workgroup,
      securityGroup,
      target: {
        workgroupName: name,
        endpoint: workgroup.attrWorkgroupEndpointAddress,
        port: String(REDSHIFT_PORT),
        database: 'dev',
        arn: stack.formatArn({ service: 'redshift-serverless', resource: 'workgroup', resourceName: workgroup.attrWorkgroupWorkgroupId }),
      },
    };
  }

  /**
   * The log groups the namespace exports its audit logs to, `/aws/redshift/<namespace>/<log type>`
   * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-audit-logging.html): created before the
   * namespace with the construct's retention and key (Redshift would otherwise create them on first export,
   * kept forever and without the key), and kept with the namespace's data unless the removal policy is DESTROY.
   */
  private createAuditLogGroups(props: StreamToRedshiftProps, namespaceName: string, namespace: redshiftserverless.CfnNamespace,
    removalPolicy: RemovalPolicy): void {
    for (const type of ['connectionlog', 'userlog', 'useractivitylog']) {
      const group = logGroup(this, `AuditLogs${type}`, {
        retention: props.logRetention,
        encryptionKey: this.encryptionKey,
        removalPolicy,
        logGroupName: `/aws/redshift/${namespaceName}/${type}`,
      });
      // Redshift must find the group with its key and retention, not create its own on first export.
      namespace.node.addDependency(group);
    }
  }

  /** Public subnets when Firehose must reach the workgroup, else private or isolated ones; three AZs at least. */
  private workgroupSubnets(vpc: ec2.IVpc, publicSubnets: boolean): string[] {
    const subnets = publicSubnets ? vpc.publicSubnets
      : vpc.privateSubnets.length > 0 ? vpc.privateSubnets : vpc.isolatedSubnets;
    // Vpc.fromLookup hands the first synthesis a placeholder VPC (two dummy AZs) and looks the real one up
    // only if that synthesis succeeds: nothing can be decided on it.
    if (vpc.selectSubnets({ subnets }).isPendingLookup) {
      return subnets.map((s) => s.subnetId);
    }
    // A workgroup needs at least three subnets in three AZs; in us-west-1 (two AZs) three subnets over two AZs.
    // https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html
    const region = Stack.of(this).region;
    const azs = new Set(subnets.map((s) => s.availabilityZone));
    const minAzs = region === 'us-west-1' || (azs.size > 0 && [...azs].every((az) => az.startsWith('us-west-1'))) ? 2 : 3;
    if (subnets.length < 3 || (![...azs].some((az) => Token.isUnresolved(az)) && azs.size < minAzs)) {
      fail(this, `vpc must have at least 3 ${publicSubnets ? 'public' : 'private or isolated'} subnets in ${minAzs} Availability Zones for a Redshift Serverless workgroup, but ${vpc.node.path} has ${subnets.length} in ${azs.size}`);
    }
    return subnets.map((s) => s.subnetId);
  }

  private createVpc(props: StreamToRedshiftProps): ec2.Vpc {
    // A workgroup needs three subnets in three Availability Zones (in us-west-1, three over its two AZs).
    // https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html
    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: props.availabilityZones ?? this.defaultAvailabilityZones(),
      natGateways: 0,
      subnetConfiguration: [{ name: 'redshift', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false }],
      // Whatever the app's feature flags: the default security group admits nothing (VPCDefaultSecurityGroupClosed).
      restrictDefaultSecurityGroup: true,
    });
    boundDefaultSecurityGroupRestriction(vpc);
    cloudWatchFlowLog(this, 'VpcFlowLog', {
      resourceType: 'VPC',
      resourceId: vpc.vpcId,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      maxAggregationInterval: 600,
    });
    for (const subnet of vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute') as ec2.CfnRoute | undefined;
      if (route) {
        acknowledgeRules(route, ...inPacks('VPCNoUnrestrictedRouteToIGW', CONFIG_PACKS,
          'Firehose delivers to Redshift only through its public endpoint: the workgroup subnets route to the internet gateway, and its security group admits only the region\'s Firehose CIDR on the Redshift port (nothing else in this VPC)'));
      }
    }
    return vpc;
  }

  /** One AZ per subnet: the stack's first three, its two in us-west-1 (the first twice), or Fn::GetAZs' first three. */
  private defaultAvailabilityZones(): string[] {
    const known = Stack.of(this).availabilityZones;
    if (known.some((az) => Token.isUnresolved(az))) {
      // An environment-agnostic stack knows two AZs, as tokens: name three from the Region's list instead.
      return [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs()));
    }
    return known.length === 2 && Stack.of(this).region === 'us-west-1' ? [known[0], known[1], known[0]] : known.slice(0, 3);
  }

  /** The bucket of the staging and backup buckets' access logs, created on first use. */
  private accessLogs(): s3.IBucket {
    return this.accessLogsBucketProp
      ?? this.node.tryFindChild('StagingAccessLogs') as s3.Bucket | undefined
      ?? accessLogsBucket(this, 'StagingAccessLogs');
  }

  private createStagingBucket(props: StreamToRedshiftProps): s3.Bucket {
    const retention = props.stagingRetention;
    // A Token retention reaches the lifecycle rule as is (validated to be given in days).
    const expiration = retention === undefined ? Duration.days(7)
      : retention.isUnresolved() ? retention : Duration.days(Math.max(1, Math.ceil(retention.toSeconds() / 86_400)));
    const bucket = privateBucket(this, 'StagingBucket', {
      encryptionKey: this.encryptionKey,
      accessLogs: this.accessLogs(),
      accessLogsPrefix: 'staging/',
      // Staged batches are loaded within minutes; the retention is the time to load a skipped batch again
      // (its manifest under errors/ and the objects it names expire together).
      lifecycleRules: [{ id: 'ExpireStagedBatches', expiration, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    // Object events go to EventBridge (no notification custom resource): the skipped-batch alarm counts the
    // manifests Firehose writes under errors/.
    (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    acknowledgeRules(bucket.node.defaultChild as s3.CfnBucket, ...inPacks('S3BucketReplicationEnabled', CONFIG_PACKS,
      'Staged batches are a transient step between the stream and Redshift (they expire after 7 days); the records\' durable copies are the stream\'s retention and the Redshift table. Keep a replicated copy with backupBucket'));
    return bucket;
  }

  private createDeliveryStream(
    props: StreamToRedshiftProps, target: { endpoint: string; port: string; database: string },
  ): firehose.CfnDeliveryStream {
    const role = new ManagedPolicyRole(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Lets Firehose of ${this.node.path} read the stream, stage in S3 and COPY into Redshift`,
    });
    this.stream.grantRead(role);
    this.stagingBucket!.grantReadWrite(role);
    this.credentials.grantRead(role);
    const deliveryLogs = logGroup(this, 'DeliveryLogs', { retention: props.logRetention, encryptionKey: this.encryptionKey });
    const redshiftLogs = deliveryLogs.addStream('RedshiftDelivery');
    const s3Logs = deliveryLogs.addStream('S3Delivery');
    deliveryLogs.grantWrite(role);
    const logging = (stream: logs.LogStream) => ({ enabled: true, logGroupName: deliveryLogs.logGroupName, logStreamName: stream.logStreamName });

    const backupBucket: s3.IBucket | undefined = props.backupBucket ?? (props.s3Backup
      ? privateBucket(this, 'BackupBucket', { encryptionKey: this.encryptionKey, accessLogs: this.accessLogs(), accessLogsPrefix: 'backup/' })
      : undefined);
    backupBucket?.grantReadWrite(role);

    const columns = (props.table.columns ?? []).map((c) => c.name).join(',');
    const tableName = props.table.schema ? `${props.table.schema}.${props.table.name}` : props.table.name;
    const stream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: this.stream.streamArn, roleArn: role.roleArn },
      redshiftDestinationConfiguration: {
        clusterJdbcurl: `jdbc:redshift://${target.endpoint}:${target.port}/${target.database}`,
        roleArn: role.roleArn,
        // Credentials come from Secrets Manager: no user name or password in the template.
        secretsManagerConfiguration: { enabled: true, secretArn: this.credentials.secretArn, roleArn: role.roleArn },
        copyCommand: {
          dataTableName: tableName,
          dataTableColumns: columns,
          copyOptions: props.copyOptions
          ?? (props.stagingCompression === StagingCompression.UNCOMPRESSED ? `JSON 'auto' ${COPY_DEFAULTS}` : `JSON 'auto' GZIP ${COPY_DEFAULTS}`),
        },
        retryOptions: { durationInSeconds: templateSeconds(this, 'retryDuration', props.retryDuration) ?? 3600 },
        s3Configuration: {
          bucketArn: this.stagingBucket!.bucketArn,
          roleArn: role.roleArn,
          // A fixed prefix only: a Redshift destination takes no prefix expressions and no ErrorOutputPrefix
          // (Firehose refuses the delivery stream). Manifests of batches it skips after retryDuration go to
          // errors/ in this bucket (https://docs.aws.amazon.com/firehose/latest/dev/retry.html).
          prefix: 'staging/',
          compressionFormat: props.stagingCompression ?? StagingCompression.GZIP,
          bufferingHints: {
            intervalInSeconds: templateSeconds(this, 'bufferingInterval', props.bufferingInterval) ?? DEFAULT_BUFFERING_SECONDS,
            sizeInMBs: props.bufferingSizeMiB ?? DEFAULT_BUFFERING_MIB,
          },
          cloudWatchLoggingOptions: logging(s3Logs),
        },
        s3BackupMode: backupBucket ? 'Enabled' : 'Disabled',
        s3BackupConfiguration: backupBucket ? {
          bucketArn: backupBucket.bucketArn,
          roleArn: role.roleArn,
          prefix: 'backup/',
          compressionFormat: 'GZIP',
        } : undefined,
        cloudWatchLoggingOptions: logging(redshiftLogs),
      },
    });
    // The role's policy must be attached before Firehose starts reading the stream.
    stream.node.addDependency(role);
    if (backupBucket !== undefined) {
      Flow.of(this).node(backupBucket, 'bucket', props.backupBucket ? flowName(backupBucket) : `${this.node.id} backup`);
      Flow.of(this).edge(stream, backupBucket, { label: 'copy of every record' });
    }
    acknowledgeRules(stream, {
      id: 'AwsSolutions-KDF1',
      reason: 'A delivery stream whose source is a Kinesis stream cannot take server-side encryption: records are encrypted in the source stream (KMS) and in the staging bucket (SSE-S3 or SSE-KMS)',
    });
    const policy = policyResource(role);
    acknowledgeRules(policy, {
      id: 'AwsSolutions-IAM5[Action::s3:Abort*]', reason: 'aws-cdk-lib bucket grant on the staging bucket only; Firehose aborts multipart uploads',
    }, {
      id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]', reason: 'aws-cdk-lib bucket grant on the staging bucket only; Firehose replaces failed objects',
    }, {
      id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: 'aws-cdk-lib bucket grant on the staging bucket only',
    }, {
      id: 'AwsSolutions-IAM5[Action::s3:GetObject*]', reason: 'aws-cdk-lib bucket grant on the staging bucket only',
    }, {
      id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: 'aws-cdk-lib bucket grant on the staging bucket only',
    }, ...[this.stagingBucket!, backupBucket].filter((b): b is s3.IBucket => b !== undefined).map((b) => ({
      id: `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(this), b.arnForObjects('*'))}]`,
      reason: 'Objects of the staging or backup bucket, which this delivery stream writes',
    })), ...this.encryptionKey ? ['kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: 'aws-cdk-lib bucket grant on the encryptionKey of the staging and backup buckets: Firehose encrypts the objects it writes, on this key only',
    })) : []);
    return stream;
  }

  private streamingRole(): iam.Role {
    const role = new ManagedPolicyRole(this, 'StreamingIngestionRole', {
      assumedBy: redshiftPrincipal(),
      description: `Lets Redshift read the stream of ${this.node.path} for streaming ingestion`,
    });
    this.stream.grantRead(role);
    this.namespaceRoles.push(role);
    this.namespace?.node.addDependency(role);
    return role;
  }

  /**
   * The role the namespace assumes in a COPY that loads a skipped batch again: it reads the staging bucket
   * (exact actions: the manifest and the objects it names, and the bucket's key), nothing else.
   * https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service.html
   */
  private createBackfillRole(bucket: s3.IBucket): iam.IRole {
    const role = new ManagedPolicyRole(this, 'BackfillRole', {
      assumedBy: redshiftPrincipal(),
      description: `Lets the Redshift namespace of ${this.node.path} load skipped batches again from the staging bucket`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    bucket.encryptionKey?.grant(role, 'kms:Decrypt');
    acknowledgeRules(policyResource(role), {
      id: `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(this), bucket.arnForObjects('*'))}]`,
      reason: 'Objects of the staging bucket, whose keys Firehose chooses: read-only (s3:GetObject) for the COPY that loads a skipped batch again',
    });
    this.namespaceRoles.push(role);
    this.namespace?.node.addDependency(role);
    return role;
  }

  /**
   * Records each batch Firehose skips: an EventBridge rule matches the manifests it writes under `errors/` in
   * the staging bucket (whose object events go to EventBridge) and sends each event to a queue that keeps it
   * 14 days; the skipped-batch alarm watches the queue's depth.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html,
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html
   */
  private recordSkippedBatches(bucket: s3.IBucket): sqs.IQueue {
    const queue = new sqs.Queue(this, 'SkippedBatches', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason = 'A record of skipped batches read by operators, not a work queue: nothing consumes it, so nothing can fail into a dead-letter queue';
    acknowledgeRules(queue.node.defaultChild as sqs.CfnQueue, { id: 'AwsSolutions-SQS3', reason }, { id: 'Serverless-SQSRedrivePolicy', reason });
    const rule = new events.Rule(this, 'SkippedBatchRule', {
      description: `Batches Firehose of ${this.node.path} skipped after its retries (manifests under errors/)`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucket.bucketName] }, object: { key: [{ wildcard: '*errors/*' }] } },
      },
      targets: [new eventsTargets.SqsQueue(queue)],
    });
    acknowledgeRules(rule.node.defaultChild as events.CfnRule, {
      id: 'Serverless-EventBusDLQ',
      reason: 'The target is a queue of this stack whose policy admits exactly this rule; a second queue for failed deliveries into it would itself need watching',
    });
    return queue;
  }

  private createTable(props: StreamToRedshiftProps, target: { workgroupName?: string; clusterIdentifier?: string; database: string; arn: string },
    ingestion: RedshiftIngestion, streamingRole?: iam.Role): CustomResource {
    const handler = handlerFunction(this, 'TableHandler', {
      bundle: 'table',
      description: `Creates the table of ${this.node.path} through the Redshift Data API`,
      logEncryptionKey: this.encryptionKey,
    });
    // Exactly the calls the handler makes (src/handlers/table.ts): one statement at a time, its status, and
    // the stack's status (to tell a rollback from an update).
    const role = handler.role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['redshift-data:ExecuteStatement'],
      resources: [target.arn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['redshift-data:DescribeStatement'],
      // DescribeStatement takes no resource; the Data API limits it to the caller's own statements.
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudformation:DescribeStacks'],
      resources: [Stack.of(this).stackId],
    }));
    this.credentials.grantRead(role);
    const policy = policyResource(role);
    acknowledgeRules(policy, {
      id: 'AwsSolutions-IAM5[Resource::*]', reason: 'redshift-data:DescribeStatement does not support resource-level permissions; it is the only action on "*"',
    });
    if (target.arn.endsWith(':workgroup/*')) {
      acknowledgeRules(policy, {
        id: `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(this), target.arn)}]`,
        reason: 'The workgroup was given by name and its ARN holds its ID: the Data API statements may target this account\'s workgroups in the region (give workgroupId to narrow it)',
      });
    }

    const table = props.table;
    const resource = handlerResource(this, 'Table', {
      handler: handler.function,
      resourceType: 'Custom::RedshiftTable',
      properties: {
        WorkgroupName: target.workgroupName ?? '',
        ClusterIdentifier: target.clusterIdentifier ?? '',
        Database: target.database,
        SecretArn: this.credentials.secretArn,
        Table: { schema: table.schema, name: table.name, columns: table.columns ?? [], sortKey: table.sortKey, distKey: table.distKey },
        RemovalPolicy: table.removalPolicy === RemovalPolicy.DESTROY ? 'destroy' : 'retain',
        Ingestion: ingestion === RedshiftIngestion.STREAMING ? 'streaming' : 'copy',
        StreamName: streamingRole ? this.stream.streamName : undefined,
        StreamingRoleArn: streamingRole?.roleArn,
      },
    });
    if (this.workgroup) {
      resource.node.addDependency(this.workgroup);
    }
    return resource;
  }

  private createAlarms(props: StreamToRedshiftProps): void {
    const stream = this.stream;
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number, op: cloudwatch.ComparisonOperator) => {
      this.alarms.push(new cloudwatch.Alarm(this, id, {
        alarmDescription: `${this.node.path}: ${description}`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: op,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    };
    const five = { period: Duration.minutes(5) };
    alarm('IteratorAgeAlarm', 'consumers lag more than 15 minutes behind the stream',
      stream.metricGetRecordsIteratorAgeMilliseconds({ ...five, statistic: cloudwatch.Stats.MAXIMUM }), 900_000,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD);
    alarm('WriteThrottledAlarm', 'writes were throttled (the stream needs more capacity)',
      stream.metricWriteProvisionedThroughputExceeded({ ...five, statistic: cloudwatch.Stats.SUM }), 1,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    alarm('FailedPutsAlarm', 'PutRecords calls failed for some records',
      stream.metricPutRecordsFailedRecords({ ...five, statistic: cloudwatch.Stats.SUM }), 1,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    alarm('ReadThrottledAlarm', 'reads were throttled: too many standard consumers share the shards (move some to enhanced fan-out)',
      stream.metricReadProvisionedThroughputExceeded({ ...five, statistic: cloudwatch.Stats.SUM }), 1,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    if (this.skippedBatchQueue) {
      // Firehose skips a batch it could not COPY within retryDuration and writes its manifest under errors/:
      // those records are in Redshift only after a manual COPY (README, "When a batch is skipped").
      alarm('SkippedBatchAlarm', 'Firehose skipped a batch it could not load into Redshift: load it from its manifest under errors/ (the key is in the skipped-batch queue) before the staging bucket expires it, then delete the message',
        this.skippedBatchQueue.metricApproximateNumberOfMessagesVisible({ ...five, statistic: cloudwatch.Stats.MAXIMUM }),
        1, cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    }
    if (this.deliveryStream) {
      const dimensionsMap = { DeliveryStreamName: this.deliveryStream.ref };
      alarm('DeliverySuccessAlarm', 'COPY into Redshift failed',
        new cloudwatch.Metric({ namespace: 'AWS/Firehose', metricName: 'DeliveryToRedshift.Success', dimensionsMap, ...five, statistic: cloudwatch.Stats.MINIMUM }),
        1, cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD);
      const freshness = Math.max(900, 3 * (secondsOf(props.bufferingInterval) ?? DEFAULT_BUFFERING_SECONDS));
      alarm('DataFreshnessAlarm', `the oldest record in Firehose is older than ${freshness} seconds`,
        new cloudwatch.Metric({ namespace: 'AWS/Firehose', metricName: 'DeliveryToS3.DataFreshness', dimensionsMap, ...five, statistic: cloudwatch.Stats.MAXIMUM }),
        freshness, cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD);
    }
  }

  /** Validates props; returns the shard count of a new provisioned stream. */
  private validateProps(props: StreamToRedshiftProps, ingestion: RedshiftIngestion): number | undefined {
    const table = props.table;
    const streaming = ingestion === RedshiftIngestion.STREAMING;
    if (!streaming && (table.columns === undefined || table.columns.length === 0)) {
      fail(this, 'table.columns must list the columns of the COPY with FIREHOSE_COPY ingestion, but none were provided');
    }
    if (streaming && table.columns !== undefined) {
      fail(this, 'table.columns cannot be set with STREAMING ingestion: the materialized view has fixed columns (approximate_arrival_timestamp, partition_key, shard_id, sequence_number, payload)');
    }
    // Values that are Tokens reach the table handler, which checks the resolved definition at deploy time:
    // a problem that quotes a Token is left to it.
    const problems = tableProblems({ ...table, columns: table.columns ?? [{ name: 'payload', dataType: 'SUPER' }] }, { streaming })
      .filter((problem) => !Token.isUnresolved(problem));
    if (problems.length > 0) {
      fail(this, problems[0]);
    }
    const streamName = props.stream?.streamName;
    if (streaming && streamName !== undefined && !Token.isUnresolved(streamName) && /[A-Z]/.test(streamName)) {
      fail(this, `stream must have a lower-case name with STREAMING ingestion (Redshift folds the stream name in its SQL to lower case; Kinesis names are case sensitive), but '${streamName}' was provided`);
    }

    if (props.stream !== undefined) {
      for (const [prop, value] of [['shardCount', props.shardCount], ['expectedThroughput', props.expectedThroughput],
        ['retentionPeriod', props.retentionPeriod], ['streamEncryptionKey', props.streamEncryptionKey]] as const) {
        if (value !== undefined) {
          fail(this, `${prop} applies only to a new stream, but an existing stream was provided`);
        }
      }
    }
    if (props.shardCount !== undefined && props.expectedThroughput !== undefined) {
      fail(this, 'shardCount and expectedThroughput are exclusive (the shard count is computed from the throughput), but both were provided');
    }
    const shardCount = props.shardCount;
    if (shardCount !== undefined && !Token.isUnresolved(shardCount) && !(Number.isInteger(shardCount) && shardCount >= 1)) {
      fail(this, `shardCount must be a whole number, at least 1, but ${shardCount} was provided`);
    }
    const retention = secondsOf(props.retentionPeriod);
    if (retention !== undefined && (retention < MIN_RETENTION_HOURS * 3600 || retention > MAX_RETENTION_HOURS * 3600 || retention % 3600 !== 0)) {
      fail(this, `retentionPeriod must be a whole number of hours from ${MIN_RETENTION_HOURS} to ${MAX_RETENTION_HOURS}, but ${retention / 3600} hours was provided`);
    }
    let shards = props.shardCount;
    const t = props.expectedThroughput;
    if (t !== undefined) {
      for (const [prop, value] of Object.entries(t)) {
        if (value !== undefined && Token.isUnresolved(value)) {
          fail(this, `expectedThroughput.${prop} must be a number known at synth (the shard count is computed from it), but a Token was provided: give shardCount instead, which may be a Token`);
        }
        if (value !== undefined && !(value >= 0 && Number.isFinite(value))) {
          fail(this, `expectedThroughput.${prop} must be a finite number, 0 or more, but ${value} was provided`);
        }
      }
      if (t.consumers !== undefined && (!Number.isInteger(t.consumers) || t.consumers < 1 || t.consumers > SHARD_READS_PER_SECOND)) {
        fail(this, `expectedThroughput.consumers must be a whole number from 1 to ${SHARD_READS_PER_SECOND} (a shard serves ${SHARD_READS_PER_SECOND} GetRecords calls a second shared by every standard consumer, each polling once a second; read through addLambdaConsumer's enhancedFanOut beyond that), but ${t.consumers} was provided`);
      }
      const ingress = t.ingressMiBPerSecond ?? 0;
      const egress = (t.egressMiBPerSecond ?? ingress) * (t.consumers ?? 1);
      shards = Math.max(1,
        Math.ceil(ingress / SHARD_INGRESS_MIB),
        Math.ceil((t.recordsPerSecond ?? 0) / SHARD_INGRESS_RECORDS),
        Math.ceil(egress / SHARD_EGRESS_MIB));
    }
    if (shards !== undefined && !Token.isUnresolved(shards) && shards > SHARD_QUOTA_WARNING) {
      Annotations.of(this).addWarningV2('cdk-reference-patterns:shardQuota',
        `${shards} shards: an account's default shard quota is 1,000 to 20,000 per region depending on the region; request an increase before deploying (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html)`);
    }

    if (props.s3Backup === false && props.backupBucket !== undefined) {
      fail(this, 'backupBucket turns the backup on, but s3Backup false was provided: leave s3Backup unset or true');
    }
    if (streaming) {
      for (const [prop, value] of [['copyOptions', props.copyOptions], ['bufferingInterval', props.bufferingInterval], ['bufferingSizeMiB', props.bufferingSizeMiB],
        ['retryDuration', props.retryDuration], ['s3Backup', props.s3Backup], ['backupBucket', props.backupBucket], ['stagingBucket', props.stagingBucket],
        ['accessLogsBucket', props.accessLogsBucket], ['stagingCompression', props.stagingCompression], ['stagingRetention', props.stagingRetention]] as const) {
        if (value !== undefined) {
          fail(this, `${prop} applies only to FIREHOSE_COPY ingestion, but STREAMING was chosen`);
        }
      }
      if (props.redshift !== undefined) {
        fail(this, 'STREAMING ingestion needs the namespace to assume a role that reads the stream; it is available with the new Serverless workgroup only, but an existing redshift target was provided');
      }
    }
    validateSeconds(this, 'bufferingInterval', props.bufferingInterval, 0, 900);
    if (props.stagingRetention?.isUnresolved()) {
      try {
        props.stagingRetention.toDays();
      } catch {
        fail(this, `stagingRetention must be given with Duration.days() when its value is a Token (a Token cannot be converted at synth), but ${props.stagingRetention.toString()} was provided`);
      }
    }
    const stagingRetention = secondsOf(props.stagingRetention);
    if (stagingRetention !== undefined && (stagingRetention < 86_400 || stagingRetention % 86_400 !== 0)) {
      fail(this, `stagingRetention must be a whole number of days, at least 1 (an S3 lifecycle expiration), but ${stagingRetention} seconds was provided`);
    }
    if (props.stagingRetention !== undefined && props.stagingBucket !== undefined) {
      fail(this, 'stagingRetention applies only to a new staging bucket (set the lifecycle of your own bucket), but stagingBucket was provided');
    }
    validateInteger(this, 'bufferingSizeMiB', props.bufferingSizeMiB, 1, 128);
    validateSeconds(this, 'retryDuration', props.retryDuration, 0, 7200);
    const compression = props.stagingCompression;
    if (compression === StagingCompression.SNAPPY || compression === StagingCompression.ZIP) {
      fail(this, `stagingCompression must be GZIP or UNCOMPRESSED (Redshift COPY from Firehose reads no other), but ${compression} was provided`);
    }
    const copy = props.copyOptions;
    if (copy !== undefined && !Token.isUnresolved(copy)) {
      if (/;|--|\/\*/.test(copy)) {
        fail(this, `copyOptions must be COPY options only (no ';' or comments), but '${copy}' was provided`);
      }
      const gzip = /\bGZIP\b/i.test(copy);
      if (gzip && compression === StagingCompression.UNCOMPRESSED) {
        fail(this, `copyOptions name GZIP but stagingCompression is UNCOMPRESSED: COPY would fail on the staged objects ('${copy}')`);
      }
      if (!gzip && (compression ?? StagingCompression.GZIP) === StagingCompression.GZIP) {
        fail(this, `copyOptions must include GZIP when stagingCompression is GZIP (the default), but '${copy}' was provided`);
      }
    }
    // https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html (read 2026-11-28): 4 RPUs, 8-512
    // in steps of 8, and 512-1024 in steps of 32 where the region offers it.
    const base = props.baseCapacity;
    if (base !== undefined && !Token.isUnresolved(base)) {
      const valid = base === 4 || (Number.isInteger(base) && base >= 8 && base <= 512 && base % 8 === 0)
        || (Number.isInteger(base) && base > 512 && base <= 1024 && base % 32 === 0);
      if (!valid) {
        fail(this, `baseCapacity must be 4, a multiple of 8 from 8 to 512, or a multiple of 32 from 544 to 1024 RPUs, but ${base} was provided`);
      }
      if (base > 512) {
        Annotations.of(this).addWarningV2('cdk-reference-patterns:baseCapacityRegion',
          `baseCapacity ${base} RPUs: capacities over 512 RPUs are offered in some regions only; the deployment fails where they are not`);
      }
    }
    // A ceiling on scaling, never below the base capacity; 5632 RPUs at most
    // (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing-on-demand.html, read 2026-11-28).
    const max = props.maxCapacity;
    if (max !== undefined && !Token.isUnresolved(max)) {
      const floor = base === undefined ? DEFAULT_BASE_CAPACITY : Token.isUnresolved(base) ? 4 : base;
      if (!Number.isInteger(max) || max < floor || max > MAX_CAPACITY_LIMIT) {
        fail(this, `maxCapacity must be a whole number of RPUs from the base capacity (${floor}) to ${MAX_CAPACITY_LIMIT}, but ${max} was provided`);
      }
    }
    this.validateAvailabilityZones(props);
    if (props.redshift !== undefined) {
      for (const [prop, value] of [['vpc', props.vpc], ['availabilityZones', props.availabilityZones], ['baseCapacity', props.baseCapacity], ['maxCapacity', props.maxCapacity]] as const) {
        if (value !== undefined) {
          fail(this, `${prop} applies only to a new Serverless workgroup, but an existing redshift target was provided`);
        }
      }
      const port = props.redshift.options.port;
      if (props.redshift.workgroupName !== undefined) {
        // Serverless workgroups (like RA3 clusters) listen on 5431-5455 or 8191-8215; DC2 clusters on 1150-65535.
        // https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-connecting.html
        if (port !== undefined && !Token.isUnresolved(port) && !((port >= 5431 && port <= 5455) || (port >= 8191 && port <= 8215))) {
          fail(this, `redshift port of a Serverless workgroup must be within 5431-5455 or 8191-8215, but ${port} was provided`);
        }
      } else {
        validateInteger(this, 'redshift port', port, 1150, 65535);
      }
    }
    return props.stream === undefined ? shards : undefined;
  }

  /** The AZs of a new VPC: in the stack's Region, at least three subnets in three AZs (two in us-west-1). */
  private validateAvailabilityZones(props: StreamToRedshiftProps): void {
    const azs = props.availabilityZones;
    if (azs === undefined) {
      return;
    }
    if (props.vpc !== undefined) {
      fail(this, 'availabilityZones applies only to the VPC the construct creates, but vpc was provided');
    }
    const region = Stack.of(this).region;
    const names = azs.filter((az) => !Token.isUnresolved(az));
    for (const az of names) {
      if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$/.test(az) || (!Token.isUnresolved(region) && !az.startsWith(region))) {
        fail(this, `availabilityZones must name Availability Zones of ${Token.isUnresolved(region) ? 'the stack\'s Region' : `the stack's Region ${region}`} (such as ${Token.isUnresolved(region) ? 'us-east-1a' : `${region}a`}), but '${az}' was provided`);
      }
    }
    const twoAzRegion = region === 'us-west-1' || (names.length > 0 && names.every((az) => az.startsWith('us-west-1')));
    const distinct = new Set(names).size;
    if (azs.length < 3 || (names.length === azs.length && distinct < (twoAzRegion ? 2 : 3))) {
      fail(this, `availabilityZones must give at least 3 subnets in ${twoAzRegion ? '2' : '3'} distinct Availability Zones for a Redshift Serverless workgroup${twoAzRegion ? ' (us-west-1: name one of its two AZs twice)' : ''}, but [${azs.join(', ')}] was provided`);
    }
  }

  /**
   * Warns when Firehose's COPYs keep a Serverless workgroup billed at least half of the time: every batch is a
   * COPY, and Redshift Serverless bills each wake-up for at least 60 seconds at its base capacity
   * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing.html). A provisioned cluster bills by
   * the hour whatever loads it, and a Token interval is not known at synth: no warning.
   */
  private warnWhenAlwaysOn(props: StreamToRedshiftProps, ingestion: RedshiftIngestion): void {
    if (ingestion !== RedshiftIngestion.FIREHOSE_COPY || props.bufferingInterval?.isUnresolved()
      || (props.redshift !== undefined && props.redshift.workgroupName === undefined)) {
      return;
    }
    const interval = props.bufferingInterval?.toSeconds() ?? DEFAULT_BUFFERING_SECONDS;
    const share = serverlessBilledShare(interval);
    if (share < ALWAYS_ON_SHARE) {
      return;
    }
    const base = props.redshift === undefined ? props.baseCapacity ?? DEFAULT_BASE_CAPACITY : undefined;
    const cost = base === undefined || Token.isUnresolved(base)
      ? `${formatUsd(serverlessMonthlyCompute(1, interval))} a month per RPU of its base capacity`
      : `${formatUsd(serverlessMonthlyCompute(base, interval))} a month at ${base} RPUs`;
    Annotations.of(this).addWarningV2('cdk-reference-patterns:redshiftAlwaysOn',
      `bufferingInterval ${interval} s keeps the Redshift Serverless workgroup billed ${Math.round(share * 100)}% of the time, before any query: `
      + `every Firehose batch is a COPY and each wake-up is billed for at least 60 seconds at the base capacity (about ${cost} in ${PRICE_REGION}, `
      + `prices read ${PRICES_READ}; https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing.html). The default, 900 s, bills a fifteenth `
      + 'of the time for records up to 15 minutes later in Redshift; acknowledge this warning if the latency is worth the cost');
  }
}

/** The scaling ceiling of a new workgroup: the prop, else 4 x the base capacity (none for a Token base). */
function maxCapacityOf(props: StreamToRedshiftProps): number | undefined {
  if (props.maxCapacity !== undefined) {
    return props.maxCapacity;
  }
  const base = props.baseCapacity ?? DEFAULT_BASE_CAPACITY;
  return Token.isUnresolved(base) ? undefined : Math.min(MAX_CAPACITY_LIMIT, base * DEFAULT_MAX_CAPACITY_FACTOR);
}

/**
 * A security group description EC2 accepts: up to 255 characters of a-z, A-Z, 0-9, spaces and
 * ._-:/()#,@[]+=&;{}!$* (construct paths may hold others, e.g. non-ASCII letters, which become '_').
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
 */
function securityGroupDescription(text: string): string {
  return text.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '_').slice(0, 255);
}

/** The services a Redshift Serverless namespace's IAM roles must trust. */
function redshiftPrincipal(): iam.IPrincipal {
  return new iam.CompositePrincipal(new iam.ServicePrincipal('redshift.amazonaws.com'), new iam.ServicePrincipal('redshift-serverless.amazonaws.com'));
}

/** An ARN as cdk-nag prints it in finding IDs: pseudo parameters as <AWS::Region> and the like. */
function nagArn(stack: Stack, arn: string): string {
  const resolved = stack.resolve(arn);
  if (typeof resolved === 'string') {
    return resolved;
  }
  const parts: unknown[] = resolved['Fn::Join']?.[1] ?? [];
  return parts.map((p) => {
    if (typeof p === 'string') {
      return p;
    }
    const getAtt = (p as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
    return getAtt ? `<${getAtt.join('.')}>` : `<${(p as { Ref: string }).Ref}>`;
  }).join('');
}
