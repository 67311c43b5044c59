import { CfnParameter, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  RedshiftIngestion, RedshiftTarget, StagingCompression, StreamToRedshift, StreamToRedshiftProps,
} from '../../src';
import { createTestApp, createTestFunction, createTestRole, createTestStack, expectCompliant, expectCompliantExceptPropCleared, expectOnlyFindings, findingSummary, OPS_TOPIC_ARN } from '../util';

const TABLE = { name: 'clicks', columns: [{ name: 'id', dataType: 'VARCHAR(64)' }, { name: 'ts', dataType: 'TIMESTAMP' }] };
const FIREHOSE = 'AWS::KinesisFirehose::DeliveryStream';

describe('StreamToRedshift defaults', () => {
  const stack = createTestStack();
  const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE });
  const template = Template.fromStack(stack);
  const redshift = () => Object.values(template.findResources(FIREHOSE))[0].Properties.RedshiftDestinationConfiguration;

  test('an on-demand stream, AWS-managed KMS encryption, 7 days retention (the outage a reader can recover from)', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: 168,
    });
    expect(clicks.shardCount).toBeUndefined();
  });

  test('Firehose reads the stream and COPYs the good records of each batch, counting up to 100 bad ones', () => {
    template.hasResourceProperties(FIREHOSE, {
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClicksStream'), 'Arn'] } },
    });
    expect(redshift().CopyCommand).toEqual({
      DataTableName: 'clicks',
      DataTableColumns: 'id,ts',
      CopyOptions: "JSON 'auto' GZIP TIMEFORMAT 'auto' DATEFORMAT 'auto' TRUNCATECOLUMNS ACCEPTINVCHARS MAXERROR 100",
    });
  });

  test('the staging configuration has a fixed prefix and no ErrorOutputPrefix (a Redshift destination refuses it)', () => {
    expect(redshift().S3Configuration.Prefix).toBe('staging/');
    expect(redshift().S3Configuration.ErrorOutputPrefix).toBeUndefined();
  });

  test('a skipped batch raises an alarm: the staging bucket sends events to EventBridge, a rule matches the manifests under errors/', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireStagedBatches', ExpirationInDays: 7 })]) },
    });
    const [ruleId] = Object.keys(template.findResources('AWS::Events::Rule', {
      Properties: {
        EventPattern: {
          'source': ['aws.s3'],
          'detail-type': ['Object Created'],
          'detail': { bucket: { name: [{ Ref: Match.stringLikeRegexp('^ClicksStagingBucket') }] }, object: { key: [{ wildcard: '*errors/*' }] } },
        },
      },
    }));
    // The rule delivers each event to a queue of skipped batches (SSE-SQS, TLS only, 14 days); the alarm watches its depth.
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 },
    }));
    expect(queueId).toMatch(/^ClicksSkippedBatches/);
    expect(template.findResources('AWS::Events::Rule')[ruleId].Properties.Targets).toEqual([{ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, Id: 'Target0' }]);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['sqs:SendMessage']),
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('a backfill role the namespace may assume reads the staging bucket, and nothing else', () => {
    const namespace = Object.values(template.findResources('AWS::RedshiftServerless::Namespace'))[0];
    const [roleId, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('ClicksBackfillRole'))!;
    expect(namespace.Properties.IamRoles).toEqual([{ 'Fn::GetAtt': [roleId, 'Arn'] }]);
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service.sort()).toEqual(['redshift-serverless.amazonaws.com', 'redshift.amazonaws.com']);
    const policy = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(([id]) => id.startsWith('ClicksBackfillRole'))![1];
    expect(policy.Properties.PolicyDocument.Statement.map((st: { Action: string }) => st.Action)).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  test('the Redshift audit log groups of the namespace exist before it, kept a year and retained', () => {
    const namespace = Object.values(template.findResources('AWS::RedshiftServerless::Namespace'))[0];
    for (const type of ['connectionlog', 'userlog', 'useractivitylog']) {
      const [id] = Object.keys(template.findResources('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: `/aws/redshift/${namespace.Properties.NamespaceName}/${type}`, RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      }));
      expect(namespace.DependsOn).toContain(id);
    }
  });

  test('credentials from Secrets Manager: no user name or password in the template', () => {
    expect(redshift().SecretsManagerConfiguration).toEqual({ Enabled: true, SecretARN: { Ref: expect.stringMatching(/^ClicksAdminSecret/) }, RoleARN: expect.anything() });
    expect(redshift().Username).toBeUndefined();
    expect(redshift().Password).toBeUndefined();
    template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
      AdminUserPassword: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^ClicksAdminSecret') }, ':SecretString:password::}}']] },
    });
  });

  test('buffering 900 s / 128 MiB (the fewest COPYs, so the fewest workgroup wake-ups), GZIP staging, retry 1 h, backup off, error logs', () => {
    expect(redshift().S3Configuration).toMatchObject({ BufferingHints: { IntervalInSeconds: 900, SizeInMBs: 128 }, CompressionFormat: 'GZIP' });
    expect(redshift().RetryOptions).toEqual({ DurationInSeconds: 3600 });
    expect(redshift().S3BackupMode).toBe('Disabled');
    expect(redshift().CloudWatchLoggingOptions).toMatchObject({ Enabled: true });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('staging bucket: encrypted, private, TLS only, access logs, expires after 7 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'staging/' }),
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: 7 }), Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } })],
      },
    });
  });

  test('a new Serverless namespace with audit logs and a workgroup requiring SSL, 8 RPUs scaling to 32 at most, in three public subnets', () => {
    template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { LogExports: ['userlog', 'connectionlog', 'useractivitylog'], DbName: 'dev' });
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      BaseCapacity: 8,
      MaxCapacity: 32,
      Port: 5439,
      PubliclyAccessible: true,
      ConfigParameters: Match.arrayWith([{ ParameterKey: 'require_ssl', ParameterValue: 'true' }]),
      SubnetIds: [Match.anyValue(), Match.anyValue(), Match.anyValue()],
    });
  });

  test('the workgroup admits only the region\'s Firehose CIDR, on the Redshift port', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '52.70.63.192/27', FromPort: 5439, ToPort: 5439, IpProtocol: 'tcp', Description: Match.anyValue() }],
    });
  });

  test('the table is created through the Data API and kept on delete', () => {
    template.hasResourceProperties('Custom::RedshiftTable', {
      Database: 'dev',
      RemovalPolicy: 'retain',
      Ingestion: 'copy',
      Table: { name: 'clicks', columns: TABLE.columns },
    });
    expect(Object.values(template.findResources(FIREHOSE))[0].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ClicksTable/)]));
  });

  test('the table custom resource: one bundled Node.js 24 function, 256 MB, 14 min, no retries, answered within 15 min', () => {
    // (aws-cdk-lib's own function that closes the VPC's default security group sits outside the construct.)
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('Clicks'));
    expect(functions).toHaveLength(1);
    const [handlerId, handler] = functions[0];
    expect(handler.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 840 });
    // CloudFormation invokes the function asynchronously: no Lambda retry may run a half-done request again.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: handlerId }, MaximumRetryAttempts: 0, Qualifier: '$LATEST' });
    // A function that cannot answer fails the deployment after 15 minutes, not CloudFormation's default hour.
    template.hasResourceProperties('Custom::RedshiftTable', { ServiceToken: { 'Fn::GetAtt': [handlerId, 'Arn'] }, ServiceTimeout: '900' });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    const acknowledged = handler.Metadata.cdk_nag.rules_to_suppress.map((r: { id: string }) => r.id);
    expect(acknowledged).toEqual(expect.arrayContaining(['NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaDLQ', 'PCI.DSS.321-LambdaInsideVPC', 'Serverless-LambdaTracing']));
  });

  test('no inline policy: each role has its rights in a managed policy (Firehose, the table handler, the VPC flow logs, the backfill role)', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 4);
  });

  test('the new VPC: all traffic flow-logged to a log group kept one year and retained; default security group closed', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', MaxAggregationInterval: 600 });
    const flowLogGroup = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(([id]) => id.startsWith('ClicksVpcFlowLogs'))![1];
    expect(flowLogGroup).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    // aws-cdk-lib's custom resource that closes it answers in bounded time too: its handler gets 5 minutes
    // and CloudFormation waits 6, above it.
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', { ServiceTimeout: 360 });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: '__entrypoint__.handler', Timeout: 300 });
  });

  test('the namespace (the loaded data) and its admin secret are kept when the stack is deleted', () => {
    template.hasResource('AWS::RedshiftServerless::Namespace', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(Object.values(template.findResources('AWS::RedshiftServerless::Namespace'))[0].Properties.FinalSnapshotName).toBeUndefined();
  });

  test('the table handler may run statements on the workgroup, read their status and its own stack\'s status: nothing more', () => {
    const policy = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(([id]) => id.startsWith('ClicksTableHandlerRole'))![1];
    const actions = policy.Properties.PolicyDocument.Statement.map((st: { Action: string | string[] }) => st.Action).flat().sort();
    expect(actions).toEqual(['cloudformation:DescribeStacks', 'logs:CreateLogStream', 'logs:PutLogEvents', 'redshift-data:DescribeStatement',
      'redshift-data:ExecuteStatement', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
    ]));
  });

  test('the access-log bucket: SSE-S3, versioned, logs expire after 90 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: 90 }), Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } })],
      },
    });
  });

  test('alarms: iterator age, write and read throttling, failed puts, delivery success, skipped batches, data freshness', () => {
    for (const metric of ['GetRecords.IteratorAgeMilliseconds', 'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded',
      'PutRecords.FailedRecords', 'DeliveryToRedshift.Success', 'ApproximateNumberOfMessagesVisible', 'DeliveryToS3.DataFreshness']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric });
    }
    expect(clicks.alarms).toHaveLength(7);
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: of all five packs, only findings a documented prop clears; inherent ones carry their reason', () => {
    expectOnlyFindings(stack, {
      CloudWatchAlarmAction: ['Clicks/DataFreshnessAlarm', 'Clicks/DeliverySuccessAlarm', 'Clicks/FailedPutsAlarm', 'Clicks/IteratorAgeAlarm',
        'Clicks/ReadThrottledAlarm', 'Clicks/SkippedBatchAlarm', 'Clicks/WriteThrottledAlarm'],
      CloudWatchLogGroupEncrypted: ['Clicks/AuditLogsconnectionlog', 'Clicks/AuditLogsuseractivitylog', 'Clicks/AuditLogsuserlog',
        'Clicks/DeliveryLogs', 'Clicks/TableHandlerLogs', 'Clicks/VpcFlowLogs'],
      S3BucketReplicationEnabled: ['Clicks/StagingAccessLogs'],
      S3DefaultEncryptionKMS: ['Clicks/StagingAccessLogs', 'Clicks/StagingBucket'],
      SecretsManagerUsingKMSKey: ['Clicks/AdminSecret'],
    });
    const deliveryStream = Object.values(template.findResources(FIREHOSE))[0];
    expect(deliveryStream.Metadata.cdk_nag.rules_to_suppress).toEqual([expect.objectContaining({ id: 'AwsSolutions-KDF1', reason: expect.stringContaining('cannot take server-side encryption') })]);
  });
});

describe('StreamToRedshift fully customised', () => {
  const stack = createTestStack();
  const key = new kms.Key(stack, 'StreamKey', { enableKeyRotation: true });
  const credentials = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Creds', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-AbCdEf');
  const clicks = new StreamToRedshift(stack, 'Clicks', {
    table: { ...TABLE, schema: 'web', sortKey: ['ts'], distKey: 'id', removalPolicy: RemovalPolicy.DESTROY },
    expectedThroughput: { ingressMiBPerSecond: 3, recordsPerSecond: 5000, consumers: 3 },
    retentionPeriod: Duration.hours(48),
    streamEncryptionKey: key,
    redshift: RedshiftTarget.cluster({ endpoint: 'analytics.abc123.us-east-1.redshift.amazonaws.com', database: 'analytics', credentials, clusterIdentifier: 'analytics', port: 5440 }),
    copyOptions: "JSON 'auto' GZIP TIMEFORMAT 'auto'",
    bufferingInterval: Duration.seconds(300),
    bufferingSizeMiB: 64,
    retryDuration: Duration.minutes(10),
    s3Backup: true,
    logRetention: logs.RetentionDays.ONE_MONTH,
  });
  const template = Template.fromStack(stack);
  const redshift = () => Object.values(template.findResources(FIREHOSE))[0].Properties.RedshiftDestinationConfiguration;

  test('shards computed from the throughput: max(3 MiB in, 5000 rec, 3 MiB x 3 consumers / 2 MiB) = 5', () => {
    expect(clicks.shardCount).toBe(5);
    template.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 5, RetentionPeriodHours: 48, StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamKey'), 'Arn'] } } });
  });

  test('the existing cluster: JDBC URL, COPY options, buffering, retry and backup', () => {
    expect(redshift()).toMatchObject({
      ClusterJDBCURL: 'jdbc:redshift://analytics.abc123.us-east-1.redshift.amazonaws.com:5440/analytics',
      CopyCommand: { DataTableName: 'web.clicks', CopyOptions: "JSON 'auto' GZIP TIMEFORMAT 'auto'" },
      RetryOptions: { DurationInSeconds: 600 },
      S3BackupMode: 'Enabled',
      SecretsManagerConfiguration: { Enabled: true, SecretARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-AbCdEf' },
    });
    expect(redshift().S3Configuration.BufferingHints).toEqual({ IntervalInSeconds: 300, SizeInMBs: 64 });
    template.resourceCountIs('AWS::RedshiftServerless::Workgroup', 0);
  });

  test('table options reach the custom resource', () => {
    template.hasResourceProperties('Custom::RedshiftTable', {
      ClusterIdentifier: 'analytics', RemovalPolicy: 'destroy', Table: Match.objectLike({ schema: 'web', sortKey: ['ts'], distKey: 'id' }),
    });
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: no unacknowledged finding but those the new workgroup\'s security props clear (next block)', () => {
    expectCompliantExceptPropCleared(stack);
  });
});

describe('StreamToRedshift with a new workgroup and every security prop', () => {
  const stack = createTestStack();
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const clicks = new StreamToRedshift(stack, 'Clicks', {
    table: TABLE,
    encryptionKey: key,
    backupBucket: s3.Bucket.fromBucketName(stack, 'Backup', 'replicated-clickstream-backup'),
    accessLogsBucket: s3.Bucket.fromBucketName(stack, 'LogArchive', 'central-log-archive'),
    alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(stack, 'Ops', OPS_TOPIC_ARN))],
  });
  const template = Template.fromStack(stack);
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };

  test('encryptionKey: the stream, the staging bucket (bucket key), the secret and every log group', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', { StreamEncryption: { EncryptionType: 'KMS', KeyId: keyArn } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: 'central-log-archive', LogFilePrefix: 'staging/' },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn });
    // Firehose errors, the table handler, the VPC flow logs, and the namespace's three audit log groups.
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(6);
    for (const group of logGroups) {
      expect(group.Properties.KmsKeyId).toEqual(keyArn);
    }
  });

  test('the key policy lets CloudWatch Logs use the key for this account\'s log groups only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchLogs',
          Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:123456789012:log-group:*' } },
        })]),
      },
    });
  });

  test('backupBucket turns the backup on into the given bucket; no bucket is created for it or for access logs', () => {
    const redshift = Object.values(template.findResources(FIREHOSE))[0].Properties.RedshiftDestinationConfiguration;
    expect(redshift.S3BackupMode).toBe('Enabled');
    expect(redshift.S3BackupConfiguration.BucketARN).toBe('arn:aws:s3:::replicated-clickstream-backup');
    template.resourceCountIs('AWS::S3::Bucket', 1);
  });

  test('alarmActions reach every alarm', () => {
    expect(clicks.alarms).toHaveLength(7);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [OPS_TOPIC_ARN], OKActions: [OPS_TOPIC_ARN] });
  });

  test('no inline policy: every role the construct creates has its rights in a managed policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 4);
  });

  test('compliance: no finding of any of the five packs', () => {
    expectCompliant(stack);
  });
});

describe('StreamToRedshift options', () => {
  test('streaming ingestion: no Firehose, a private workgroup and a role Redshift assumes to read the stream', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: { name: 'clicks' }, ingestion: RedshiftIngestion.STREAMING });
    const template = Template.fromStack(stack);
    template.resourceCountIs(FIREHOSE, 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { PubliclyAccessible: false });
    template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { IamRoles: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('StreamingIngestionRole'), 'Arn'] }] });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent() });
    template.hasResourceProperties('Custom::RedshiftTable', { Ingestion: 'streaming', StreamName: { Ref: Match.stringLikeRegexp('^ClicksStream') } });
    // Redshift folds the stream name in its SQL to lower case: the new stream's name is lower case.
    const name = Object.values(template.findResources('AWS::Kinesis::Stream'))[0].Properties.Name;
    expect(name).toMatch(/^test-clicks-[a-z0-9]+$/);
    expectCompliantExceptPropCleared(stack);
  });

  test('streaming ingestion refuses an existing stream whose name has upper-case letters', () => {
    const stack = createTestStack();
    const stream = kinesis.Stream.fromStreamArn(stack, 'Existing', 'arn:aws:kinesis:us-east-1:123456789012:stream/ClickStream');
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: { name: 'clicks' }, stream, ingestion: RedshiftIngestion.STREAMING }))
      .toThrow(/stream must have a lower-case name with STREAMING ingestion .* but 'ClickStream' was provided/);
    const lower = kinesis.Stream.fromStreamArn(stack, 'Lower', 'arn:aws:kinesis:us-east-1:123456789012:stream/click-stream');
    new StreamToRedshift(stack, 'Live', { table: { name: 'clicks' }, stream: lower, ingestion: RedshiftIngestion.STREAMING });
  });

  test.each([
    [RemovalPolicy.SNAPSHOT, 'Delete', 'Retain', true],
    [RemovalPolicy.DESTROY, 'Delete', 'Delete', false],
    [RemovalPolicy.RETAIN, 'Retain', 'Retain', false],
  ])('removalPolicy %s: the namespace is deleted or kept accordingly, with a final snapshot for SNAPSHOT', (removalPolicy, namespacePolicy, secretPolicy, snapshot) => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, removalPolicy });
    const template = Template.fromStack(stack);
    const namespace = Object.values(template.findResources('AWS::RedshiftServerless::Namespace'))[0];
    expect(namespace.DeletionPolicy).toBe(namespacePolicy);
    expect(namespace.Properties.FinalSnapshotName).toEqual(snapshot ? `${namespace.Properties.NamespaceName}-final` : undefined);
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: secretPolicy });
  });

  test('encryptionKey and logRetention reach the namespace and its audit log groups; a destroyed namespace takes its logs along', () => {
    const stack = createTestStack();
    const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, encryptionKey: key, logRetention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    const namespace = Object.values(template.findResources('AWS::RedshiftServerless::Namespace'))[0];
    expect(namespace.Properties.KmsKeyId).toEqual(keyArn);
    for (const type of ['connectionlog', 'userlog', 'useractivitylog']) {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: `/aws/redshift/${namespace.Properties.NamespaceName}/${type}`, RetentionInDays: 90, KmsKeyId: keyArn },
        DeletionPolicy: 'Delete',
      });
    }
  });

  test('removalPolicy RETAIN_ON_UPDATE_OR_DELETE keeps the namespace too', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::RedshiftServerless::Namespace', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  test('stagingRetention sets how long staged batches and skipped-batch manifests are kept', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, stagingRetention: Duration.days(30) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireStagedBatches', ExpirationInDays: 30 })]) },
    });
  });

  test('a fifth standard consumer of the shards warns that reads will be throttled; enhanced fan-out ones do not count', () => {
    const stack = createTestStack();
    const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE });
    for (let i = 0; i < 3; i++) {
      clicks.addLambdaConsumer(createTestFunction(stack, `Shared${i}`));
    }
    clicks.addLambdaConsumer(createTestFunction(stack, 'Dedicated'), { enhancedFanOut: true });
    expect(Annotations.fromStack(stack).findWarning('/Test/Clicks', Match.stringLikeRegexp('standard consumers read each shard'))).toHaveLength(0);
    clicks.addLambdaConsumer(createTestFunction(stack, 'Fifth'));
    Annotations.fromStack(stack).hasWarning('/Test/Clicks', Match.stringLikeRegexp('5 or more standard consumers read each shard .* a shard serves 5 GetRecords calls a second'));
  });

  test('a shard count past the smallest regional quota warns; a Token shard count reaches the template', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Big', { table: TABLE, expectedThroughput: { ingressMiBPerSecond: 1500 } });
    Annotations.fromStack(stack).hasWarning('/Test/Big', Match.stringLikeRegexp('1500 shards: an account\'s default shard quota is 1,000 to 20,000 per region'));
    const other = createTestStack();
    const shards = new CfnParameter(other, 'Shards', { type: 'Number' }).valueAsNumber;
    new StreamToRedshift(other, 'Clicks', { table: TABLE, shardCount: shards });
    Template.fromStack(other).hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: { Ref: 'Shards' } });
  });

  test('Token durations reach the template unchanged: buffering interval, retry duration, staging retention', () => {
    const stack = createTestStack();
    const interval = new CfnParameter(stack, 'Interval', { type: 'Number' }).valueAsNumber;
    const retry = new CfnParameter(stack, 'Retry', { type: 'Number' }).valueAsNumber;
    const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
    new StreamToRedshift(stack, 'Clicks', {
      table: TABLE, bufferingInterval: Duration.seconds(interval), retryDuration: Duration.seconds(retry), stagingRetention: Duration.days(days),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(FIREHOSE, {
      RedshiftDestinationConfiguration: Match.objectLike({
        RetryOptions: { DurationInSeconds: { Ref: 'Retry' } },
        S3Configuration: Match.objectLike({ BufferingHints: { IntervalInSeconds: { Ref: 'Interval' }, SizeInMBs: 128 } }),
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireStagedBatches', ExpirationInDays: { Ref: 'Days' } })]) },
    });
    const other = createTestStack();
    const minutes = new CfnParameter(other, 'Minutes', { type: 'Number' }).valueAsNumber;
    expect(() => new StreamToRedshift(other, 'Clicks', { table: TABLE, bufferingInterval: Duration.minutes(minutes) }))
      .toThrow(/bufferingInterval must be given with Duration.seconds\(\) when its value is a Token/);
  });

  test('fails clearly with a Token in expectedThroughput (the shard count is computed at synth)', () => {
    const stack = createTestStack();
    const rate = new CfnParameter(stack, 'Rate', { type: 'Number' }).valueAsNumber;
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, expectedThroughput: { recordsPerSecond: rate } }))
      .toThrow(/expectedThroughput.recordsPerSecond must be a number known at synth .* give shardCount instead, which may be a Token/);
  });

  test('more than 20 enhanced fan-out consumers warn with the Kinesis limit', () => {
    const stack = createTestStack();
    const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE });
    for (let i = 0; i < 21; i++) {
      clicks.addLambdaConsumer(createTestFunction(stack, `Consumer${i}`), { enhancedFanOut: true });
    }
    Annotations.fromStack(stack).hasWarning('/Test/Clicks', Match.stringLikeRegexp('21 enhanced fan-out consumers on one stream: Kinesis registers at most 20 per stream'));
  });

  test('a construct path with characters EC2 refuses in descriptions still gives a valid security group description', () => {
    const stack = createTestStack('Phone', { stackName: 'Phone' });
    const scope = new Construct(stack, 'Téléphone');
    new StreamToRedshift(scope, 'Clics-été', { table: TABLE });
    const description: string = Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('Redshift') } }))[0].Properties.GroupDescription;
    expect(description).toMatch(/^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/);
    expect(description).toBe('Redshift Serverless workgroup of Phone/T_l_phone/Clics-_t_');
  });

  test('Tokens in the table definition are passed to the table resource and to Firehose unchanged', () => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'TableName').valueAsString;
    const type = new CfnParameter(stack, 'IdType').valueAsString;
    new StreamToRedshift(stack, 'Clicks', { table: { name, columns: [{ name: 'id', dataType: type }, { name: 'ts', dataType: 'TIMESTAMP' }] } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::RedshiftTable', { Table: { name: { Ref: 'TableName' }, columns: [{ name: 'id', dataType: { Ref: 'IdType' } }, Match.anyValue()] } });
    template.hasResourceProperties(FIREHOSE, { RedshiftDestinationConfiguration: Match.objectLike({ CopyCommand: Match.objectLike({ DataTableName: { Ref: 'TableName' } }) }) });
  });

  test('fails in a region-agnostic stack with a VPC whose maxAzs 3 yields two subnets (such a stack knows two AZs)', () => {
    const stack = new Stack(createTestApp(), 'Agnostic');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, vpc })).toThrow(/vpc must have at least 3 public subnets in 3 Availability Zones .* has 2 in 2/);
  });

  describe('the new VPC\'s Availability Zones', () => {
    const AZS = {
      'availability-zones:account=123456789012:region=us-west-1': ['us-west-1a', 'us-west-1c'],
      'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'],
    };
    const subnetAzs = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet'))
      .map((subnet) => subnet.Properties.AvailabilityZone);

    test('us-west-1 gets three subnets over its two AZs (Redshift Serverless\'s rule there)', () => {
      const stack = createTestStack('West', { env: { account: '123456789012', region: 'us-west-1' } }, createTestApp(AZS));
      new StreamToRedshift(stack, 'Clicks', { table: TABLE });
      expect(subnetAzs(stack)).toEqual(['us-west-1a', 'us-west-1c', 'us-west-1a']);
      const workgroup = Object.values(Template.fromStack(stack).findResources('AWS::RedshiftServerless::Workgroup'))[0];
      expect(workgroup.Properties.SubnetIds).toHaveLength(3);
    });

    test('other Regions get the stack\'s first three AZs', () => {
      const stack = createTestStack('East', {}, createTestApp(AZS));
      new StreamToRedshift(stack, 'Clicks', { table: TABLE });
      expect(subnetAzs(stack)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    });

    test('availabilityZones places the subnets, also in an environment-agnostic stack', () => {
      const stack = createTestStack('East', {}, createTestApp(AZS));
      new StreamToRedshift(stack, 'Clicks', { table: TABLE, availabilityZones: ['us-east-1b', 'us-east-1c', 'us-east-1d'] });
      expect(subnetAzs(stack)).toEqual(['us-east-1b', 'us-east-1c', 'us-east-1d']);
      const agnostic = new Stack(createTestApp(), 'Agnostic');
      new StreamToRedshift(agnostic, 'Clicks', { table: TABLE, availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
      expect(subnetAzs(agnostic)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    });

    test('an environment-agnostic stack names the first three of Fn::GetAZs', () => {
      const agnostic = new Stack(createTestApp(), 'Agnostic');
      new StreamToRedshift(agnostic, 'Clicks', { table: TABLE });
      expect(subnetAzs(agnostic)).toEqual([0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })));
    });

    const cases: Array<[string, Partial<StreamToRedshiftProps>, RegExp]> = [
      ['fails with two AZs', { availabilityZones: ['us-east-1a', 'us-east-1b'] }, /availabilityZones must give at least 3 subnets in 3 distinct Availability Zones .* but \[us-east-1a, us-east-1b\] was provided/],
      ['fails with an AZ twice outside us-west-1', { availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1a'] }, /availabilityZones must give at least 3 subnets in 3 distinct/],
      ['fails with an AZ of another Region', { availabilityZones: ['us-east-1a', 'us-east-1b', 'eu-west-1c'] }, /availabilityZones must name Availability Zones of the stack's Region us-east-1 \(such as us-east-1a\), but 'eu-west-1c' was provided/],
      ['fails with an AZ ID instead of a name', { availabilityZones: ['use1-az1', 'use1-az2', 'use1-az4'] }, /availabilityZones must name Availability Zones .* but 'use1-az1' was provided/],
      ['fails with an existing VPC', { availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], vpc: ec2.Vpc.fromVpcAttributes(new Stack(), 'V', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'] }) },
        /availabilityZones applies only to the VPC the construct creates, but vpc was provided/],
    ];
    test.each(cases)('%s', (_name, extra, message) => {
      expect(() => new StreamToRedshift(createTestStack('East', {}, createTestApp(AZS)), 'Clicks', { table: TABLE, ...extra })).toThrow(message);
    });

    test('fails in us-west-1 with a single AZ', () => {
      const stack = createTestStack('West', { env: { account: '123456789012', region: 'us-west-1' } }, createTestApp(AZS));
      expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, availabilityZones: ['us-west-1a', 'us-west-1a', 'us-west-1a'] }))
        .toThrow(/availabilityZones must give at least 3 subnets in 2 distinct Availability Zones .*us-west-1: name one of its two AZs twice/);
    });
  });

  test('a region-agnostic stack gets the Firehose CIDR from a mapping', () => {
    const stack = new Stack(createTestApp(), 'Agnostic');
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, vpc: threeAzVpc(stack) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: { 'Fn::FindInMap': [Match.stringLikeRegexp('FirehoseCidr'), { Ref: 'AWS::Region' }, Match.anyValue()] }, FromPort: 5439 })],
    });
  });

  test('uncompressed staging drops GZIP from the default COPY options', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, stagingCompression: StagingCompression.UNCOMPRESSED });
    Template.fromStack(stack).hasResourceProperties(FIREHOSE, {
      RedshiftDestinationConfiguration: Match.objectLike({
        CopyCommand: Match.objectLike({ CopyOptions: "JSON 'auto' TIMEFORMAT 'auto' DATEFORMAT 'auto' TRUNCATECOLUMNS ACCEPTINVCHARS MAXERROR 100" }),
        S3Configuration: Match.objectLike({ CompressionFormat: 'UNCOMPRESSED' }),
      }),
    });
  });

  test('an environment-agnostic stack still gets workgroup subnets in three AZs', () => {
    const stack = new Stack(createTestApp(), 'Agnostic');
    new StreamToRedshift(stack, 'Clicks', { table: TABLE });
    const template = Template.fromStack(stack);
    const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZone);
    expect(azs).toEqual([0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })));
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { SubnetIds: [Match.anyValue(), Match.anyValue(), Match.anyValue()] });
  });

  test('an existing stream and workgroup', () => {
    const stack = createTestStack();
    const stream = kinesis.Stream.fromStreamArn(stack, 'Existing', 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks');
    const credentials = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Creds', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-AbCdEf');
    const clicks = new StreamToRedshift(stack, 'Clicks', {
      table: { ...TABLE, create: false },
      stream,
      redshift: RedshiftTarget.serverlessWorkgroup({ endpoint: 'wg.123456789012.us-east-1.redshift-serverless.amazonaws.com', database: 'dev', credentials, workgroupName: 'analytics' }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Kinesis::Stream', 0);
    template.resourceCountIs('Custom::RedshiftTable', 0);
    expect(clicks.stream).toBe(stream);
  });

  test('an existing workgroup: the Data API permission names its ARN when workgroupId is given, else this account\'s workgroups (acknowledged)', () => {
    const stack = createTestStack();
    const credentials = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Creds', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-AbCdEf');
    const options = { endpoint: 'wg.123456789012.us-east-1.redshift-serverless.amazonaws.com', database: 'dev', credentials, workgroupName: 'analytics' };
    new StreamToRedshift(stack, 'Named', { table: TABLE, redshift: RedshiftTarget.serverlessWorkgroup(options) });
    new StreamToRedshift(stack, 'Exact', { table: TABLE, redshift: RedshiftTarget.serverlessWorkgroup({ ...options, workgroupId: '0123abcd-4567-89ef-0123-456789abcdef' }) });
    const template = Template.fromStack(stack);
    for (const resource of ['arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/*', 'arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/0123abcd-4567-89ef-0123-456789abcdef']) {
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'redshift-data:ExecuteStatement', Resource: resource })]) },
      });
    }
    expectCompliantExceptPropCleared(stack);
  });

  test('a backup with a given staging bucket still logs access to the backup bucket', () => {
    const stack = createTestStack();
    const staging = s3.Bucket.fromBucketName(stack, 'Staging', 'my-staging');
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, stagingBucket: staging, s3Backup: true });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('StagingAccessLogs') }, LogFilePrefix: 'backup/' },
    });
  });

  test('grantWrite and Lambda consumers, shared and enhanced fan-out', () => {
    const stack = createTestStack();
    const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE });
    const role = createTestRole(stack, 'Producer');
    clicks.grantWrite(role);
    clicks.addLambdaConsumer(createTestFunction(stack, 'Shared'));
    clicks.addLambdaConsumer(createTestFunction(stack, 'Dedicated'), { enhancedFanOut: true, batchSize: 500 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kinesis:PutRecord', 'kinesis:PutRecords']) })]) },
      Roles: [{ Ref: Match.stringLikeRegexp('^Producer') }],
    });
    template.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 500, EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Consumer'), 'ConsumerARN'] } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 100, StartingPosition: 'LATEST', EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClicksStream'), 'Arn'] } });
  });

  test('a Kinesis consumer reports the missing on-failure destination; onFailure clears it with bisect and 3 retries', () => {
    const stack = createTestStack();
    const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE });
    clicks.addLambdaConsumer(createTestFunction(stack, 'Plain'));
    const failed = new sqs.Queue(stack, 'FailedBatches', { enforceSSL: true });
    Validations.of(failed).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: 'test fixture: the destination queue' });
    clicks.addLambdaConsumer(createTestFunction(stack, 'Guarded'), { onFailure: new SqsDlq(failed) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Guarded') },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FailedBatches'), 'Arn'] } } },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: Match.stringLikeRegexp('^Plain') }, DestinationConfig: Match.absent() });
    const missing = findingSummary(stack).filter((f) => f.startsWith('LambdaEventSourceMappingDestination'));
    expect(missing).toEqual([expect.stringMatching(/^LambdaEventSourceMappingDestination Plain\//)]);
  });

  test('grantWrite with a customer managed key: exact actions, kms:GenerateDataKey only, no wildcard finding', () => {
    const stack = createTestStack();
    const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE, encryptionKey: new kms.Key(stack, 'DataKey', { enableKeyRotation: true }) });
    clicks.grantWrite(createTestRole(stack, 'Producer'));
    const producerPolicy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .find((p) => JSON.stringify(p.Properties.Roles).includes('Producer'))!;
    expect(producerPolicy.Properties.PolicyDocument.Statement.map((st: { Action: string | string[] }) => st.Action)).toEqual([
      ['kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'], 'kms:GenerateDataKey',
    ]);
    expectCompliantExceptPropCleared(stack);
  });

  test('addAlarmAction reaches every alarm; alarms can be turned off', () => {
    const stack = createTestStack();
    const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE });
    clicks.addAlarmAction(new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Ops')));
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.every((a) => a.Properties.AlarmActions.length === 1)).toBe(true);
    const quiet = createTestStack();
    new StreamToRedshift(quiet, 'Clicks', { table: TABLE, alarms: false });
    Template.fromStack(quiet).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});

/** A VPC with public subnets in three AZs (an environment-agnostic stack names them from Fn::GetAZs). */
function threeAzVpc(stack: Stack): ec2.Vpc {
  const agnostic = Token.isUnresolved(stack.region);
  return new ec2.Vpc(stack, 'Vpc', {
    ...(agnostic ? { availabilityZones: [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs())) } : { maxAzs: 3 }),
    natGateways: 0,
    subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
  });
}

describe('StreamToRedshift validation', () => {
  const credentials = (stack: Stack) => secretsmanager.Secret.fromSecretCompleteArn(stack, 'Creds', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-AbCdEf');
  const cases: Array<[string, Partial<StreamToRedshiftProps>, RegExp]> = [
    ['fails with an SQL injection in the table name', { table: { ...TABLE, name: 'clicks; DROP TABLE users' } }, /table.name must be a lower-case Redshift identifier.*'clicks; DROP TABLE users'/],
    ['fails with an unknown column type', { table: { name: 'clicks', columns: [{ name: 'id', dataType: 'VARCHAR(64)); DROP TABLE x; --' }] } }, /table.columns\[0\].dataType must be a Redshift type/],
    ['fails with an invalid column name', { table: { name: 'clicks', columns: [{ name: 'Id', dataType: 'INT' }] } }, /table.columns\[0\].name must be a lower-case Redshift identifier.*'Id'/],
    ['fails with duplicate columns', { table: { name: 'clicks', columns: [{ name: 'id', dataType: 'INT' }, { name: 'id', dataType: 'INT' }] } }, /table.columns names must be unique, but 'id'/],
    ['fails with an unknown dist key', { table: { ...TABLE, distKey: 'user' } }, /table.distKey must name one of the columns \(id, ts\), but 'user'/],
    ['fails with an unknown sort key', { table: { ...TABLE, sortKey: ['when'] } }, /table.sortKey must name columns of the table \(id, ts\), but 'when'/],
    ['fails without columns for COPY', { table: { name: 'clicks' } }, /table.columns must list the columns of the COPY/],
    ['fails with columns for STREAMING', { ingestion: RedshiftIngestion.STREAMING }, /table.columns cannot be set with STREAMING ingestion/],
    ['fails with a reserved word as a column name', { table: { name: 'clicks', columns: [{ name: 'timestamp', dataType: 'TIMESTAMP' }] } }, /table.columns\[0\].name must not be a Redshift reserved word .* but 'timestamp'/],
    ['fails with a reserved word as the table name', { table: { ...TABLE, name: 'order' } }, /table.name must not be a Redshift reserved word .* but 'order'/],
    ['fails with a DECIMAL precision over 38', { table: { name: 'clicks', columns: [{ name: 'price', dataType: 'DECIMAL(39,2)' }] } }, /table.columns\[0\].dataType DECIMAL precision must be 1-38, but 'DECIMAL\(39,2\)'/],
    ['fails with a SUPER sort key', { table: { name: 'clicks', columns: [{ name: 'body', dataType: 'SUPER' }], sortKey: ['body'] } }, /table.sortKey must not name a SUPER column/],
    ['fails with a STREAMING view name too long for its external schema', { table: { name: 'a'.repeat(120) }, ingestion: RedshiftIngestion.STREAMING }, /table.name must be at most 119 characters with STREAMING ingestion/],
    ['fails with a retention under 24 h', { retentionPeriod: Duration.hours(12) }, /retentionPeriod must be a whole number of hours from 24 to 8760, but 12 hours/],
    ['fails with a retention over 8760 h', { retentionPeriod: Duration.hours(8761) }, /retentionPeriod must be a whole number of hours from 24 to 8760, but 8761 hours/],
    ['fails with shardCount and expectedThroughput', { shardCount: 2, expectedThroughput: { ingressMiBPerSecond: 1 } }, /shardCount and expectedThroughput are exclusive/],
    ['fails with 0 shards', { shardCount: 0 }, /shardCount must be a whole number, at least 1, but 0/],
    ['fails with a negative throughput', { expectedThroughput: { ingressMiBPerSecond: -1 } }, /expectedThroughput.ingressMiBPerSecond must be a finite number, 0 or more, but -1/],
    ['fails with an infinite throughput', { expectedThroughput: { recordsPerSecond: Infinity } }, /expectedThroughput.recordsPerSecond must be a finite number, 0 or more, but Infinity/],
    ['fails with more standard consumers than a shard serves reads', { expectedThroughput: { ingressMiBPerSecond: 1, consumers: 6 } }, /expectedThroughput.consumers must be a whole number from 1 to 5 .* enhancedFanOut .* but 6/],
    ['fails with a staging retention under a day', { stagingRetention: Duration.hours(12) }, /stagingRetention must be a whole number of days, at least 1 .* but 43200 seconds/],
    ['fails with a buffering interval over 900 s', { bufferingInterval: Duration.seconds(901) }, /bufferingInterval must be between 0 and 900 seconds, but 901/],
    ['fails with a buffering size over 128 MiB', { bufferingSizeMiB: 129 }, /bufferingSizeMiB must be a whole number between 1 and 128, but 129/],
    ['fails with a buffering size of 0', { bufferingSizeMiB: 0 }, /bufferingSizeMiB must be a whole number between 1 and 128, but 0/],
    ['fails with a retry over 7200 s', { retryDuration: Duration.seconds(7201) }, /retryDuration must be between 0 and 7200 seconds, but 7201/],
    ['fails with SNAPPY staging', { stagingCompression: StagingCompression.SNAPPY }, /stagingCompression must be GZIP or UNCOMPRESSED.*but Snappy/],
    ['fails with ZIP staging', { stagingCompression: StagingCompression.ZIP }, /stagingCompression must be GZIP or UNCOMPRESSED.*but ZIP/],
    ['fails with COPY options without GZIP on GZIP staging', { copyOptions: "JSON 'auto'" }, /copyOptions must include GZIP when stagingCompression is GZIP/],
    ['fails with GZIP COPY options on uncompressed staging', { stagingCompression: StagingCompression.UNCOMPRESSED, copyOptions: "JSON 'auto' GZIP" }, /copyOptions name GZIP but stagingCompression is UNCOMPRESSED/],
    ['fails with a statement separator in COPY options', { copyOptions: "JSON 'auto' GZIP; DROP TABLE x" }, /copyOptions must be COPY options only \(no ';' or comments\)/],
    ['fails with a base capacity not a multiple of 8', { baseCapacity: 12 }, /baseCapacity must be 4, a multiple of 8 from 8 to 512, or a multiple of 32 from 544 to 1024 RPUs, but 12/],
    ['fails with a base capacity over 512 not a multiple of 32', { baseCapacity: 520 }, /baseCapacity must be 4, .* but 520/],
    ['fails with a base capacity over 1024', { baseCapacity: 1056 }, /baseCapacity must be 4, .* but 1056/],
    ['fails with Firehose options under STREAMING', { table: { name: 'clicks' }, ingestion: RedshiftIngestion.STREAMING, bufferingSizeMiB: 5 }, /bufferingSizeMiB applies only to FIREHOSE_COPY ingestion/],
  ];
  test.each(cases)('%s', (_name, extra, message) => {
    const stack = createTestStack();
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, ...extra })).toThrow(message);
  });

  test('fails with an access-log bucket of another account (S3 server access logging stays in one)', () => {
    const stack = createTestStack();
    const accessLogsBucket = s3.Bucket.fromBucketAttributes(stack, 'Logs', { bucketName: 'logs', account: '210987654321' });
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, accessLogsBucket }))
      .toThrow(/accessLogsBucket must be a bucket of this stack's account \(123456789012\).* is in account 210987654321/);
  });

  test('fails with stream options next to an existing stream', () => {
    const stack = createTestStack();
    const stream = kinesis.Stream.fromStreamArn(stack, 'Existing', 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks');
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, stream, shardCount: 2 })).toThrow(/shardCount applies only to a new stream/);
  });

  test('fails with workgroup options next to an existing target, and with STREAMING to an existing target', () => {
    const stack = createTestStack();
    const redshift = RedshiftTarget.cluster({ endpoint: 'x.redshift.amazonaws.com', database: 'dev', credentials: credentials(stack), clusterIdentifier: 'x' });
    expect(() => new StreamToRedshift(stack, 'A', { table: TABLE, redshift, baseCapacity: 16 })).toThrow(/baseCapacity applies only to a new Serverless workgroup/);
    expect(() => new StreamToRedshift(stack, 'C', { table: TABLE, redshift, availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] })).toThrow(/availabilityZones applies only to a new Serverless workgroup/);
    expect(() => new StreamToRedshift(stack, 'B', { table: { name: 'clicks' }, redshift, ingestion: RedshiftIngestion.STREAMING })).toThrow(/STREAMING ingestion needs the namespace/);
  });

  test('base capacities Redshift Serverless accepts: 4, 8-512 by 8, up to 1024 by 32 (with a warning that not every region offers them)', () => {
    for (const baseCapacity of [4, 8, 512, 544, 1024]) {
      const stack = createTestStack();
      new StreamToRedshift(stack, 'Clicks', { table: TABLE, baseCapacity });
      Template.fromStack(stack).hasResourceProperties('AWS::RedshiftServerless::Workgroup', { BaseCapacity: baseCapacity });
      expect(Annotations.fromStack(stack).findWarning('/Test/Clicks', Match.stringLikeRegexp('over 512 RPUs are offered in some regions only'))).toHaveLength(baseCapacity > 512 ? 1 : 0);
    }
  });

  test('fails with a Serverless workgroup port outside 5431-5455 and 8191-8215; a cluster takes 1150-65535', () => {
    const stack = createTestStack();
    const options = { endpoint: 'x.example', database: 'dev', credentials: credentials(stack) };
    expect(() => new StreamToRedshift(stack, 'A', { table: TABLE, redshift: RedshiftTarget.serverlessWorkgroup({ ...options, workgroupName: 'wg', port: 5439 + 100 }) }))
      .toThrow(/redshift port of a Serverless workgroup must be within 5431-5455 or 8191-8215, but 5539/);
    new StreamToRedshift(stack, 'B', { table: TABLE, redshift: RedshiftTarget.serverlessWorkgroup({ ...options, workgroupName: 'wg', port: 8200 }) });
    new StreamToRedshift(stack, 'C', { table: TABLE, redshift: RedshiftTarget.cluster({ ...options, clusterIdentifier: 'dc2', port: 5539 }) });
  });

  test('fails with a VPC of fewer than three AZs', () => {
    const stack = createTestStack();
    const vpc = new ec2.Vpc(stack, 'Small', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, vpc })).toThrow(/vpc must have at least 3 public subnets in 3 Availability Zones .* has 2 in 2/);
  });

  test('a VPC looked up with Vpc.fromLookup is not checked on the CLI\'s placeholder (the first synthesis must succeed for the lookup to happen)', () => {
    const stack = createTestStack();
    // Without context, fromLookup returns aws-cdk-lib's placeholder: two dummy AZs, CIDR 1.2.3.4/5.
    const vpc = ec2.Vpc.fromLookup(stack, 'Looked', { vpcId: 'vpc-0123456789abcdef0' });
    expect(vpc.vpcCidrBlock).toBe('1.2.3.4/5');
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, vpc });
  });
});

describe('StreamToRedshift cost-aware defaults', () => {
  const ALWAYS_ON = 'cdk-reference-patterns:redshiftAlwaysOn';
  const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('/Test/Clicks', Match.stringLikeRegexp(ALWAYS_ON));
  const workgroup = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::RedshiftServerless::Workgroup'))[0].Properties;
  const credentials = (stack: Stack) => secretsmanager.Secret.fromSecretCompleteArn(stack, 'Creds', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-AbCdEf');

  test('the default pipeline wakes its workgroup at most every 15 minutes and does not warn', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: TABLE });
    expect(warnings(stack)).toHaveLength(0);
    Template.fromStack(stack).hasResourceProperties(FIREHOSE, {
      RedshiftDestinationConfiguration: Match.objectLike({
        S3Configuration: Match.objectLike({ BufferingHints: { IntervalInSeconds: 900, SizeInMBs: 128 } }),
      }),
    });
  });

  test.each([
    [60, 8, '100%', '$2,190.00 a month at 8 RPUs'],
    [0, 16, '100%', '$4,380.00 a month at 16 RPUs'],
    [120, 8, '50%', '$1,095.00 a month at 8 RPUs'],
  ])('bufferingInterval %i s with %i RPUs warns that the workgroup is billed %s of the time', (interval, baseCapacity, share, cost) => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, bufferingInterval: Duration.seconds(interval), baseCapacity });
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    expect(String(found[0].entry.data)).toContain(`bufferingInterval ${interval} s keeps the Redshift Serverless workgroup billed ${share} of the time`);
    expect(String(found[0].entry.data)).toContain(`about ${cost} in us-east-1`);
  });

  test('no warning when COPYs leave the workgroup idle most of the time, when the interval is a Token, for a cluster, or with STREAMING', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', { table: TABLE, bufferingInterval: Duration.seconds(121) });
    expect(warnings(stack)).toHaveLength(0);
    const tokens = createTestStack();
    new StreamToRedshift(tokens, 'Clicks', { table: TABLE, bufferingInterval: Duration.seconds(new CfnParameter(tokens, 'Interval', { type: 'Number' }).valueAsNumber) });
    expect(warnings(tokens)).toHaveLength(0);
    const cluster = createTestStack();
    new StreamToRedshift(cluster, 'Clicks', {
      table: TABLE,
      bufferingInterval: Duration.seconds(60),
      redshift: RedshiftTarget.cluster({ endpoint: 'analytics.abc123.us-east-1.redshift.amazonaws.com', database: 'dev', credentials: credentials(cluster), clusterIdentifier: 'analytics' }),
    });
    expect(warnings(cluster)).toHaveLength(0);
    const streaming = createTestStack();
    new StreamToRedshift(streaming, 'Clicks', { table: { name: 'clicks' }, ingestion: RedshiftIngestion.STREAMING });
    expect(warnings(streaming)).toHaveLength(0);
  });

  test('an existing Serverless workgroup fed every minute warns with the price per RPU of its base capacity', () => {
    const stack = createTestStack();
    new StreamToRedshift(stack, 'Clicks', {
      table: TABLE,
      bufferingInterval: Duration.seconds(60),
      redshift: RedshiftTarget.serverlessWorkgroup({ endpoint: 'analytics.123456789012.us-east-1.redshift-serverless.amazonaws.com', database: 'dev', credentials: credentials(stack), workgroupName: 'analytics' }),
    });
    expect(String(warnings(stack)[0].entry.data)).toContain('about $273.75 a month per RPU of its base capacity');
  });

  test('maxCapacity caps scaling: 4 x baseCapacity by default, the prop when given, a Token unchanged, none for a Token base', () => {
    const scaled = createTestStack();
    new StreamToRedshift(scaled, 'Clicks', { table: TABLE, baseCapacity: 16 });
    expect(workgroup(scaled)).toMatchObject({ BaseCapacity: 16, MaxCapacity: 64 });
    const given = createTestStack();
    new StreamToRedshift(given, 'Clicks', { table: TABLE, maxCapacity: 8 });
    expect(workgroup(given)).toMatchObject({ BaseCapacity: 8, MaxCapacity: 8 });
    const token = createTestStack();
    new StreamToRedshift(token, 'Clicks', { table: TABLE, maxCapacity: new CfnParameter(token, 'Max', { type: 'Number' }).valueAsNumber });
    expect(workgroup(token).MaxCapacity).toEqual({ Ref: 'Max' });
    const tokenBase = createTestStack();
    new StreamToRedshift(tokenBase, 'Clicks', { table: TABLE, baseCapacity: new CfnParameter(tokenBase, 'Base', { type: 'Number' }).valueAsNumber });
    expect(workgroup(tokenBase)).toMatchObject({ BaseCapacity: { Ref: 'Base' } });
    expect(workgroup(tokenBase).MaxCapacity).toBeUndefined();
  });

  test.each([
    ['fails with a maxCapacity below the base capacity', { baseCapacity: 16, maxCapacity: 8 }, /maxCapacity must be a whole number of RPUs from the base capacity \(16\) to 5632, but 8 was provided/],
    ['fails with a maxCapacity below the default base capacity', { maxCapacity: 4 }, /maxCapacity must be a whole number of RPUs from the base capacity \(8\) to 5632, but 4 was provided/],
    ['fails with a maxCapacity over 5632', { maxCapacity: 5640 }, /maxCapacity must be a whole number of RPUs from the base capacity \(8\) to 5632, but 5640 was provided/],
    ['fails with a fractional maxCapacity', { maxCapacity: 32.5 }, /maxCapacity must be a whole number .* but 32.5 was provided/],
  ] as Array<[string, Partial<StreamToRedshiftProps>, RegExp]>)('%s', (_name, extra, message) => {
    const stack = createTestStack();
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, ...extra })).toThrow(message);
  });

  test('fails with maxCapacity next to an existing target', () => {
    const stack = createTestStack();
    const redshift = RedshiftTarget.cluster({ endpoint: 'x.example', database: 'dev', credentials: credentials(stack), clusterIdentifier: 'x' });
    expect(() => new StreamToRedshift(stack, 'Clicks', { table: TABLE, redshift, maxCapacity: 64 })).toThrow(/maxCapacity applies only to a new Serverless workgroup/);
  });
});
