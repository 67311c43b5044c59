// What the examples assume every account's platform provides, written out once: a customer managed key for
// data and logs, an encrypted operations topic that CloudWatch alarms may notify, VPCs with closed default security groups and
// encrypted flow logs, and Lambda functions configured the way the compliance packs ask. It is example code
// to copy and adapt, not part of the library.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmTopic, ManagedPolicyRole } from '../../src';

/** A key and an alarm topic for one stack. */
export class Baseline extends Construct {
  /** Encrypts the stack's data and logs; rotated yearly. The constructs add the key policy statements they need. */
  public readonly key: kms.Key;
  /** Where alarms go (subscribe your on-call tooling to it). */
  public readonly alarmTopic: sns.Topic;
  /** Pass to a construct's `alarmActions`. */
  public readonly alarmActions: cloudwatch.IAlarmAction[];
  private logsAllowed = false;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Data and logs of ${Stack.of(this).stackName}` });
    // CloudWatch publishes alarm notifications to the encrypted topic: the topic policy must let
    // cloudwatch.amazonaws.com publish and the key policy must let it use the key, both only for this
    // account's alarms. AlarmTopic writes both statements (a topic with the TLS deny alone refuses CloudWatch).
    const alarms = new AlarmTopic(this, 'Alarms', { encryptionKey: this.key });
    this.alarmTopic = alarms.topic;
    this.alarmActions = [alarms.alarmAction];
  }

  /**
   * A VPC whose default security group admits nothing and whose flow logs go to a log group encrypted with
   * the key, delivered by a role whose rights are in a managed policy.
   */
  public vpc(scope: Construct, id: string, props: ec2.VpcProps): ec2.Vpc {
    const vpc = new ec2.Vpc(scope, id, { ...props, restrictDefaultSecurityGroup: true });
    // aws-cdk-lib's custom resource that empties the default security group sets no ServiceTimeout, so a
    // handler that never answers would hold the stack for CloudFormation's one-hour default. Its handler
    // (one per stack, 15 minutes by default) makes two EC2 calls: it gets 5 minutes, the resource 6, above it.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html
    const restrict = vpc.node.tryFindChild('RestrictDefaultSecurityGroupCustomResource')?.node.defaultChild;
    if (restrict instanceof CfnResource) {
      restrict.addPropertyOverride('ServiceTimeout', 360);
      const handler = Stack.of(vpc).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')?.node.tryFindChild('Handler');
      if (handler instanceof CfnResource) {
        handler.addPropertyOverride('Timeout', 300);
      }
    }
    const logGroup = new logs.LogGroup(scope, `${id}FlowLogs`, { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: this.key });
    this.allowLogs();
    const role = new ManagedPolicyRole(scope, `${id}FlowLogsRole`, { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    const flowLog = vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role) });
    // The flow log starts delivering once created: its role's managed policy must be attached by then.
    flowLog.node.addDependency(role);
    return vpc;
  }

  /**
   * A Node.js function consuming an event source (a queue or a stream): 256 MB, active tracing, a log group
   * encrypted with the key, a role with a managed policy. What an event-source consumer makes moot is
   * acknowledged with the reason.
   */
  public consumerFunction(scope: Construct, id: string, props: { code: lambda.Code; timeout: Duration; source: 'SQS' | 'Kinesis' }): lambda.Function {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: this.key });
    this.allowLogs();
    const role = new ManagedPolicyRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const fn = new lambda.Function(scope, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      timeout: props.timeout,
      memorySize: 256,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
    });
    const failures = props.source === 'SQS'
      ? 'messages that keep failing go to the queue\'s dead-letter queue'
      : 'batches that keep failing go to the on-failure destination of the event source';
    const concurrency = props.source === 'SQS'
      ? 'the event source\'s maxConcurrency caps it without reserving account concurrency'
      : 'it is bounded by the stream: one invocation per shard at a time';
    const fnRules = [
      ...['NIST.800.53.R5', 'HIPAA.Security', 'Serverless'].map((pack) => ({ id: `${pack}-LambdaDLQ`, reason: `Invoked synchronously by its ${props.source} event source mapping, never asynchronously: ${failures}` })),
      ...['NIST.800.53.R5', 'HIPAA.Security'].map((pack) => ({ id: `${pack}-LambdaConcurrency`, reason: `Concurrency of an ${props.source} consumer: ${concurrency}` })),
      ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-LambdaInsideVPC`, reason: 'Reaches only AWS APIs (its event source, X-Ray, CloudWatch Logs); no resource in a VPC' })),
    ];
    Validations.of(fn.node.defaultChild!).acknowledge(...fnRules);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
    });
    return fn;
  }

  /**
   * Where the stack's buckets send their S3 server access logs (and a distribution its standard logs).
   *
   * With the context value `logArchiveBucket` (`cdk deploy -c logArchiveBucket=NAME`), the account's log archive,
   * imported by name. S3 server access logging delivers only to a bucket of the same account and Region as the
   * bucket it logs, so the archive must be a bucket of this account in this stack's Region, and its own policy
   * must let logging.s3.amazonaws.com put objects for this account's buckets (aws-cdk-lib cannot add that to an
   * imported bucket: its warning is acknowledged here). CloudFront standard logs need ACLs enabled on it.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
   *
   * Without it, a log bucket in this stack, so that the example deploys into a fresh account unedited. The apps
   * that use it set @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy (cdk.json): S3 log delivery is then admitted
   * by a bucket policy statement limited to the logged buckets, not by the legacy log-delivery ACL.
   */
  public logArchive(scope: Construct, id = 'LogArchive'): s3.IBucket {
    const name: unknown = scope.node.tryGetContext('logArchiveBucket');
    if (name !== undefined) {
      if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
        throw new Error(`logArchiveBucket must be the name of an S3 bucket of this account in this stack's Region, but is ${JSON.stringify(name)}`);
      }
      Annotations.of(Stack.of(scope)).acknowledgeWarning('@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
        'The imported log archive\'s own bucket policy admits S3 server access logging from this account');
      return s3.Bucket.fromBucketName(scope, id, name);
    }
    const bucket = new s3.Bucket(scope, id, {
      // Server access logging destinations support default encryption with SSE-S3 (a KMS key would need the
      // logging service in its key policy); CloudFront standard logs are delivered with ACLs.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'ExpireLogs', expiration: Duration.days(365) },
        { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: Duration.days(7), expiredObjectDeleteMarker: true },
      ],
    });
    const own = 'The log bucket itself: logging its access into itself would log its own log deliveries without end (AWS advises a separate destination)';
    Validations.of(bucket.node.defaultChild!).acknowledge(
      { id: 'AwsSolutions-S1', reason: own },
      ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].flatMap((pack) => [
        { id: `${pack}-S3BucketLoggingEnabled`, reason: own },
        { id: `${pack}-S3BucketReplicationEnabled`, reason: 'Example stand-in for the account\'s log archive, which replicates to the log-archive account; pass -c logArchiveBucket=NAME to use it' },
        { id: `${pack}-S3DefaultEncryptionKMS`, reason: 'S3 server access logging and CloudFront standard logs deliver to SSE-S3 buckets without key-policy grants; SSE-S3 encrypts the logs at rest' },
      ]),
    );
    return bucket;
  }

  /** Lets CloudWatch Logs in this region use the key for this account's log groups (once). */
  private allowLogs(): void {
    if (this.logsAllowed) {
      return;
    }
    this.logsAllowed = true;
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'], // in a key policy, "*" means this key
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
    }));
  }
}
