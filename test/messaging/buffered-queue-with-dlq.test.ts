import { App, CfnParameter, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BufferedQueueWithDlq, BufferedQueueWithDlqProps } from '../../src';
import { createTestApp, createTestFunction, createTestRole, createTestStack, expectCompliant, expectCompliantExceptPropCleared, expectOnlyFindings, findingSummary, OPS_TOPIC_ARN, TEST_ENV } from '../util';

const QUEUE = 'AWS::SQS::Queue';

/** Logical id of the construct's main queue or DLQ in `template`. */
function queueId(template: Template, dlq: boolean): string {
  const queues = template.findResources(QUEUE);
  const ids = Object.keys(queues).filter((id) => (queues[id].Properties?.RedriveAllowPolicy !== undefined) === dlq);
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('BufferedQueueWithDlq defaults', () => {
  // GIVEN a queue with no props (one synth shared by the read-only tests below)
  const stack = createTestStack();
  const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
  const template = Template.fromStack(stack);
  const mainId = queueId(template, false);
  const dlqId = queueId(template, true);

  test('long polling: receive wait time 20 s', () => {
    template.hasResourceProperties(QUEUE, { ReceiveMessageWaitTimeSeconds: 20, RedrivePolicy: Match.anyValue() });
  });

  test('visibility timeout 30 s when there is no consumer', () => {
    template.hasResourceProperties(QUEUE, { VisibilityTimeout: 30, RedrivePolicy: Match.anyValue() });
  });

  test('retention 4 days on the queue, 14 days on the DLQ', () => {
    expect(template.toJSON().Resources[mainId].Properties.MessageRetentionPeriod).toBe(345_600);
    expect(template.toJSON().Resources[dlqId].Properties.MessageRetentionPeriod).toBe(1_209_600);
  });

  test('maxReceiveCount 5 into the DLQ', () => {
    template.hasResourceProperties(QUEUE, {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  test('one customer-managed key with rotation encrypts both queues', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    for (const id of [mainId, dlqId]) {
      expect(template.toJSON().Resources[id].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    expect(jobs.encryptionKey).toBeDefined();
  });

  test('TLS-only queue policies on both queues', () => {
    for (const id of [mainId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          })]),
        },
      });
    }
  });

  test('the DLQ redrive-allow policy names only its source queue', () => {
    const queueName = template.toJSON().Resources[mainId].Properties.QueueName;
    expect(typeof queueName).toBe('string');
    template.hasResourceProperties(QUEUE, {
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [`arn:aws:sqs:us-east-1:123456789012:${queueName}`],
      },
    });
  });

  test('generated queue name is unique to the path and leaves room for the suffixes', () => {
    const queueName: string = template.toJSON().Resources[mainId].Properties.QueueName;
    expect(queueName).toMatch(/^Test-Jobs-[A-F0-9]{8}$/);
  });

  test('alarm: the DLQ holds any message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('alarm: the oldest message is older than 1 hour', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [mainId, 'QueueName'] } }],
      Threshold: 3600,
    });
    expect(jobs.alarms).toHaveLength(2);
  });

  test('standard queues: no FIFO attributes', () => {
    template.resourcePropertiesCountIs(QUEUE, { FifoQueue: Match.anyValue() }, 0);
  });

  test('queues are destroyed with the stack and the key is retained (aws-cdk-lib defaults)', () => {
    template.hasResource(QUEUE, { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: of all five packs, only the alarm-action finding (cleared by alarmActions); the DLQ acknowledges its redrive policy', () => {
    expectOnlyFindings(stack, { CloudWatchAlarmAction: ['Jobs/DeadLetterAlarm', 'Jobs/OldestMessageAgeAlarm'] });
    template.hasResource(QUEUE, {
      Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'Serverless-SQSRedrivePolicy', reason: Match.stringLikeRegexp('is the dead-letter queue') }] } },
    });
  });
});

describe('BufferedQueueWithDlq fully customised', () => {
  const stack = createTestStack();
  const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
  const jobs = new BufferedQueueWithDlq(stack, 'Jobs', {
    queueName: 'orders',
    fifo: true,
    contentBasedDeduplication: true,
    highThroughputFifo: true,
    maxProcessingTime: Duration.minutes(2),
    receiveMessageWaitTime: Duration.seconds(10),
    retentionPeriod: Duration.days(2),
    deliveryDelay: Duration.seconds(30),
    maxReceiveCount: 3,
    deadLetterRetentionPeriod: Duration.days(7),
    encryptionKey: key,
    dataKeyReuse: Duration.hours(1),
    removalPolicy: RemovalPolicy.RETAIN,
    oldestMessageAgeThreshold: Duration.minutes(15),
    largePayloads: true,
    payloadAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'LogArchive', 'central-log-archive'),
    alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(stack, 'Ops', OPS_TOPIC_ARN))],
  });
  const template = Template.fromStack(stack);

  test('FIFO queues with .fifo names, the DLQ named after the queue', () => {
    template.hasResourceProperties(QUEUE, {
      QueueName: 'orders.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    template.hasResourceProperties(QUEUE, { QueueName: 'orders-dlq.fifo', FifoQueue: true });
  });

  test('every timing prop reaches the template', () => {
    template.hasResourceProperties(QUEUE, {
      QueueName: 'orders.fifo',
      VisibilityTimeout: 120,
      ReceiveMessageWaitTimeSeconds: 10,
      MessageRetentionPeriod: 172_800,
      DelaySeconds: 30,
      KmsDataKeyReusePeriodSeconds: 3600,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    template.hasResourceProperties(QUEUE, { QueueName: 'orders-dlq.fifo', MessageRetentionPeriod: 604_800 });
  });

  test('the given key is used and no key is created', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(jobs.encryptionKey).toBe(key);
  });

  test('removal policy applies to queues and buckets', () => {
    template.allResources(QUEUE, { DeletionPolicy: 'Retain' });
    template.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  test('age alarm threshold', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900 });
  });

  test('payload bucket: the queue key, private, TLS only, logged, expires after the longest FIFO path plus one redrive', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
        }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: 'central-log-archive', LogFilePrefix: 'payloads/' },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          // FIFO: 2 days in the queue, 7 more in the DLQ (the enqueue time resets on the move), 2 after a redrive
          Match.objectLike({ ExpirationInDays: 11, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 }, ExpiredObjectDeleteMarker: true }),
        ],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    expect(jobs.payloadBucket).toBeDefined();
    expect(jobs.payloadExpiration?.toDays()).toBe(11);
  });

  test('alarm: a dead-letter message that, redriven now, could outlive its payload', () => {
    // 11 days - 2 x 2 days of queue retention = 7 days in the DLQ
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobsDeadLetterQueue'), 'QueueName'] } }],
      Threshold: 7 * 86_400,
    });
    expect(jobs.payloadRedriveAlarm).toBeDefined();
    expect(jobs.alarms).toHaveLength(3);
  });

  test('alarmActions reach every alarm, for ALARM and OK', () => {
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [OPS_TOPIC_ARN], OKActions: [OPS_TOPIC_ARN] });
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: no finding of any of the five packs', () => {
    expectCompliant(stack);
  });
});

describe('BufferedQueueWithDlq options', () => {
  test('SQS-managed encryption creates no key', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.allResourcesProperties(QUEUE, { SqsManagedSseEnabled: true });
    expect(jobs.encryptionKey).toBeUndefined();
    expectCompliantExceptPropCleared(stack);
  });

  test('AWS-managed KMS key alias/aws/sqs', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'Jobs', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.allResourcesProperties(QUEUE, { KmsMasterKeyId: 'alias/aws/sqs' });
  });

  test('alarms: false creates none', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { alarms: false });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(jobs.alarms).toEqual([]);
  });

  test('each alarm can be turned off alone', () => {
    const stack = createTestStack();
    const noDlqAlarm = new BufferedQueueWithDlq(stack, 'A', { deadLetterAlarm: false });
    const noAgeAlarm = new BufferedQueueWithDlq(stack, 'B', { oldestMessageAgeAlarm: false });
    expect(noDlqAlarm.deadLetterAlarm).toBeUndefined();
    expect(noDlqAlarm.oldestMessageAgeAlarm).toBeDefined();
    expect(noAgeAlarm.oldestMessageAgeAlarm).toBeUndefined();
    expect(noAgeAlarm.deadLetterAlarm).toBeDefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('age alarm threshold defaults to half a short retention period', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'Jobs', { retentionPeriod: Duration.minutes(30) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900,
    });
  });

  test('FIFO: .fifo is not appended twice and the generated name keeps room for it', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'Named', { fifo: true, queueName: 'jobs.fifo' });
    new BufferedQueueWithDlq(stack, 'Generated', { fifo: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(QUEUE, { QueueName: 'jobs.fifo' });
    template.hasResourceProperties(QUEUE, { QueueName: 'jobs-dlq.fifo' });
    template.hasResourceProperties(QUEUE, { QueueName: Match.stringLikeRegexp('^Test-Generated-[A-F0-9]{8}\\.fifo$') });
  });

  test('an explicit dead-letter queue name', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'Jobs', { deadLetterQueueName: 'jobs-poison' });
    Template.fromStack(stack).hasResourceProperties(QUEUE, { QueueName: 'jobs-poison', RedriveAllowPolicy: Match.anyValue() });
  });

  test('a long queue name that still fits with -dlq', () => {
    const stack = createTestStack();
    const name = 'q'.repeat(76);
    new BufferedQueueWithDlq(stack, 'Jobs', { queueName: name });
    Template.fromStack(stack).hasResourceProperties(QUEUE, { QueueName: `${name}-dlq` });
  });

  test('payload bucket with SQS-managed queues uses SSE-S3 and a given access-log bucket', () => {
    const stack = createTestStack();
    const logs = new s3.Bucket(stack, 'Logs');
    new BufferedQueueWithDlq(stack, 'Jobs', {
      encryption: sqs.QueueEncryption.SQS_MANAGED, largePayloads: true, payloadAccessLogsBucket: logs,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'payloads/' },
      // standard: the 14-day DLQ retention counts from the first enqueue, plus 4 days after a redrive
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 18 })]) },
    });
    // 18 days - 2 x 4 days of queue retention
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 10 * 86_400 });
  });

  test('Token props are not validated and pass through', () => {
    const stack = createTestStack();
    const count = Token.asNumber({ Ref: 'ReceiveCount' });
    new BufferedQueueWithDlq(stack, 'Jobs', {
      maxReceiveCount: count,
      maxProcessingTime: Duration.seconds(Token.asNumber({ Ref: 'Visibility' })),
      retentionPeriod: Duration.seconds(Token.asNumber({ Ref: 'Retention' })),
    });
    const queues = stack.resolve((stack.node.findChild('Jobs').node.findChild('Queue').node.defaultChild as sqs.CfnQueue).visibilityTimeout);
    expect(queues).toEqual({ Ref: 'Visibility' });
  });
});

describe('BufferedQueueWithDlq validation', () => {
  const cases: Array<[string, BufferedQueueWithDlqProps, RegExp]> = [
    ['fails with maxProcessingTime over 12 hours', { maxProcessingTime: Duration.hours(13) }, /maxProcessingTime must be between 0 and 43200 seconds, but 46800 was provided/],
    ['fails with receiveMessageWaitTime over 20 s', { receiveMessageWaitTime: Duration.seconds(21) }, /receiveMessageWaitTime must be between 0 and 20 seconds, but 21 was provided/],
    ['fails with deliveryDelay over 15 minutes', { deliveryDelay: Duration.seconds(901) }, /deliveryDelay must be between 0 and 900 seconds, but 901 was provided/],
    ['fails with retentionPeriod under 1 minute', { retentionPeriod: Duration.seconds(59) }, /retentionPeriod must be between 60 and 1209600 seconds, but 59 was provided/],
    ['fails with retentionPeriod over 14 days', { retentionPeriod: Duration.days(15), deadLetterRetentionPeriod: Duration.days(14) }, /retentionPeriod must be between 60 and 1209600 seconds, but 1296000 was provided/],
    ['fails with deadLetterRetentionPeriod over 14 days', { deadLetterRetentionPeriod: Duration.days(15) }, /deadLetterRetentionPeriod must be between 60 and 1209600 seconds, but 1296000 was provided/],
    ['fails with maxReceiveCount 0', { maxReceiveCount: 0 }, /maxReceiveCount must be a whole number between 1 and 1000, but 0 was provided/],
    ['fails with maxReceiveCount 1001', { maxReceiveCount: 1001 }, /maxReceiveCount must be a whole number between 1 and 1000, but 1001 was provided/],
    ['fails with a fractional maxReceiveCount', { maxReceiveCount: 2.5 }, /maxReceiveCount must be a whole number/],
    ['fails with dataKeyReuse under 60 s', { dataKeyReuse: Duration.seconds(30) }, /dataKeyReuse must be between 60 and 86400 seconds, but 30 was provided/],
    ['fails when the DLQ retention does not exceed the queue retention', { retentionPeriod: Duration.days(7), deadLetterRetentionPeriod: Duration.days(7) }, /deadLetterRetentionPeriod must exceed retentionPeriod \(604800 seconds\).*but 604800 seconds was provided/],
    // Only retentionPeriod was set: the message blames it, not the dead-letter default the user did not set.
    ['fails with a 14-day retentionPeriod on a standard queue, naming retentionPeriod', { retentionPeriod: Duration.days(14) }, /retentionPeriod must be less than 1209600 seconds \(14 days\) for a standard queue.*whose retention cannot exceed SQS's 14-day maximum, but 1209600 seconds was provided/],
    ['fails with contentBasedDeduplication on a standard queue', { contentBasedDeduplication: true }, /contentBasedDeduplication applies only to FIFO queues/],
    ['fails with highThroughputFifo on a standard queue', { highThroughputFifo: true }, /highThroughputFifo applies only to FIFO queues/],
    ['fails with a .fifo name on a standard queue', { queueName: 'jobs.fifo' }, /queueName may end in '.fifo' only when fifo is true, but 'jobs.fifo' was provided/],
    ['fails with invalid characters in queueName', { queueName: 'jobs queue!' }, /queueName may contain only alphanumeric characters, hyphens and underscores.*'jobs queue!'/],
    ['fails with a queueName too long for its -dlq name', { queueName: 'q'.repeat(77) }, /queueName must be 1 to 76 characters long/],
    ['fails with a deadLetterQueueName over 80 characters', { deadLetterQueueName: 'd'.repeat(81) }, /deadLetterQueueName must be 1 to 80 characters long/],
    ['fails with a FIFO queueName too long for .fifo', { fifo: true, queueName: 'q'.repeat(72) }, /queueName must be 1 to 71 characters long/],
    ['fails with UNENCRYPTED', { encryption: sqs.QueueEncryption.UNENCRYPTED }, /encryption must be KMS, KMS_MANAGED or SQS_MANAGED.*UNENCRYPTED was provided/],
    ['fails with an age threshold not below the retention', { retentionPeriod: Duration.hours(1), oldestMessageAgeThreshold: Duration.hours(1) }, /oldestMessageAgeThreshold must be more than 0 and less than retentionPeriod \(3600 seconds\), but 3600 seconds was provided/],
    ['fails with dataKeyReuse and SQS-managed encryption', { encryption: sqs.QueueEncryption.SQS_MANAGED, dataKeyReuse: Duration.hours(1) }, /dataKeyReuse applies only to KMS encryption/],
    ['fails with payloadAccessLogsBucket without largePayloads', { payloadAccessLogsBucket: s3.Bucket.fromBucketName(new Stack(), 'L', 'logs') }, /payloadAccessLogsBucket applies only with largePayloads true/],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    const stack = createTestStack();
    expect(() => new BufferedQueueWithDlq(stack, 'Jobs', props)).toThrow(message);
  });

  test('fails with encryptionKey and a non-KMS encryption', () => {
    const stack = createTestStack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new BufferedQueueWithDlq(stack, 'Jobs', { encryptionKey: key, encryption: sqs.QueueEncryption.SQS_MANAGED }))
      .toThrow(/encryptionKey requires encryption KMS, but SQS_MANAGED was provided/);
  });

  test('errors name the construct path', () => {
    const stack = createTestStack();
    expect(() => new BufferedQueueWithDlq(stack, 'Jobs', { maxReceiveCount: 0 })).toThrow(/^Test\/Jobs: maxReceiveCount/);
  });

  test('a FIFO DLQ may keep messages no longer than the queue (FIFO resets the enqueue time)', () => {
    const stack = createTestStack();
    expect(() => new BufferedQueueWithDlq(stack, 'Jobs', { fifo: true, retentionPeriod: Duration.days(14) })).not.toThrow();
  });
});

describe('addLambdaConsumer', () => {
  test('event source with partial batch responses, and the visibility timeout follows the consumer', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const fn = createTestFunction(stack, 'Worker', Duration.seconds(20));
    jobs.addLambdaConsumer(fn, { batchSize: 50, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 5 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    // An SQS event source takes no on-failure destination: acknowledged on the mapping, so never reported.
    template.hasResource('AWS::Lambda::EventSourceMapping', {
      Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'Serverless-LambdaEventSourceMappingDestination', reason: Match.stringLikeRegexp('dead-letter queue') }] } },
    });
    expect(findingSummary(stack).filter((f) => f.startsWith('LambdaEventSourceMappingDestination'))).toEqual([]);
    // 6 x 20 s + 5 s
    template.hasResourceProperties(QUEUE, { VisibilityTimeout: 125, RedrivePolicy: Match.anyValue() });
    // the consumer can receive, delete and decrypt
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['sqs:DeleteMessage', 'sqs:ReceiveMessage']) }),
          Match.objectLike({ Action: 'kms:Decrypt' }),
        ]),
      },
    });
    expectCompliantExceptPropCleared(stack);
  });

  test('the longest consumer wins; Lambda default timeout 3 s counts', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.addLambdaConsumer(createTestFunction(stack, 'Slow', Duration.seconds(40)));
    jobs.addLambdaConsumer(createTestFunction(stack, 'Fast'));
    Template.fromStack(stack).hasResourceProperties(QUEUE, { VisibilityTimeout: 240, RedrivePolicy: Match.anyValue() });
  });

  test('a fast consumer keeps the 30 s floor', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.addLambdaConsumer(createTestFunction(stack, 'Fast', Duration.seconds(2)));
    Template.fromStack(stack).hasResourceProperties(QUEUE, { VisibilityTimeout: 30, RedrivePolicy: Match.anyValue() });
  });

  test('a user-set maxProcessingTime that is long enough is kept', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { maxProcessingTime: Duration.minutes(10) });
    jobs.addLambdaConsumer(createTestFunction(stack, 'Worker', Duration.seconds(30)));
    Template.fromStack(stack).hasResourceProperties(QUEUE, { VisibilityTimeout: 600, RedrivePolicy: Match.anyValue() });
  });

  test('reportBatchItemFailures can be turned off', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.addLambdaConsumer(createTestFunction(stack, 'Worker'), { reportBatchItemFailures: false });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: Match.anyValue() }, 0);
  });

  test('fails when maxProcessingTime is shorter than the consumer needs, naming both values', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { maxProcessingTime: Duration.minutes(1) });
    const fn = createTestFunction(stack, 'Worker', Duration.seconds(30));
    expect(() => jobs.addLambdaConsumer(fn)).toThrow(/maxProcessingTime \(60 seconds\) is shorter than the 180 seconds the consumer Test\/Worker needs/);
  });

  test('fails with a batching window on a FIFO queue', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { fifo: true });
    const fn = createTestFunction(stack, 'Worker');
    expect(() => jobs.addLambdaConsumer(fn, { maxBatchingWindow: Duration.seconds(1) })).toThrow(/maxBatchingWindow is not supported by Lambda for FIFO queues/);
  });

  test('fails with a batching window over 5 minutes', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const fn = createTestFunction(stack, 'Worker');
    expect(() => jobs.addLambdaConsumer(fn, { maxBatchingWindow: Duration.minutes(6) })).toThrow(/maxBatchingWindow must be between 0 and 300 seconds, but 360 was provided/);
  });

  test('an imported function: warns that the timeout cannot follow it', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const fn = lambda.Function.fromFunctionAttributes(stack, 'Imported', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:worker', sameEnvironment: true,
    });
    jobs.addLambdaConsumer(fn);
    Annotations.fromStack(stack).hasWarning('/Test/Jobs', Match.stringLikeRegexp('timeout of Test/Imported is not known'));
  });

  test('the payload bucket is granted to the consumer: exact actions, compliant', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { largePayloads: true });
    jobs.addLambdaConsumer(createTestFunction(stack, 'Worker'));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:DeleteObject', 's3:GetObject'] })]) },
    });
    expectCompliantExceptPropCleared(stack);
  });
});

describe('grants', () => {
  function grantTemplate(grant: (jobs: BufferedQueueWithDlq, role: iam.Role) => void, props: BufferedQueueWithDlqProps = {}): Template {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', props);
    const role = createTestRole(stack, 'Role');
    grant(jobs, role);
    return Template.fromStack(stack);
  }

  test('grantSendMessages covers the queue and the key, without wildcard actions', () => {
    grantTemplate((jobs, role) => jobs.grantSendMessages(role)).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        ],
      },
    });
  });

  test('grantConsumeMessages covers the queue and the key', () => {
    grantTemplate((jobs, role) => jobs.grantConsumeMessages(role)).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: Match.arrayWith(['sqs:DeleteMessage', 'sqs:ReceiveMessage']) }),
          Match.objectLike({ Action: 'kms:Decrypt' }),
        ],
      },
    });
  });

  test('grantSendMessages covers the payload bucket with s3:PutObject only', () => {
    grantTemplate((jobs, role) => jobs.grantSendMessages(role), { largePayloads: true }).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('PayloadBucket'), 'Arn'] }, '/*']] } })]) },
    });
  });

  test('grantConsumeMessages covers the payload bucket with s3:GetObject and s3:DeleteObject only', () => {
    grantTemplate((jobs, role) => jobs.grantConsumeMessages(role), { largePayloads: true }).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:DeleteObject', 's3:GetObject'] })]) },
    });
  });
});

describe('allowSendFrom', () => {
  test('another account, limited to source IPs and an end time, in the queue and key policies', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'), {
      sourceIpRanges: ['203.0.113.0/24', '2001:db8::/32'],
      notAfter: new Date('2027-01-01T00:00:00Z'),
    });
    const template = Template.fromStack(stack);
    const conditions = {
      IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] },
      DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00.000Z' },
    };
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Principal: { AWS: 'arn:aws:iam::210987654321:root' },
          Condition: conditions,
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Principal: { AWS: 'arn:aws:iam::210987654321:root' },
          Condition: conditions,
        })]),
      },
    });
    expectCompliantExceptPropCleared(stack);
  });

  test('without options: no conditions', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'));
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: Match.arrayWith(['sqs:SendMessage']), Condition: Match.absent() })]),
      },
    });
  });

  test('fails with a malformed source IP range', () => {
    const jobs = new BufferedQueueWithDlq(createTestStack(), 'Jobs');
    expect(() => jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'), { sourceIpRanges: ['203.0.113.300/24'] }))
      .toThrow(/sourceIpRanges must hold IPv4 or IPv6 CIDR blocks.*'203.0.113.300\/24' was provided/);
  });

  test('fails with an empty source IP list', () => {
    const jobs = new BufferedQueueWithDlq(createTestStack(), 'Jobs');
    expect(() => jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'), { sourceIpRanges: [] }))
      .toThrow(/sourceIpRanges must list at least one CIDR block/);
  });

  test('fails at synth when the rendered queue policy exceeds SQS\'s quotas (50 principals)', () => {
    const senders = (n: number) => Array.from({ length: n }, (_, i) => new iam.AccountPrincipal(`2109876543${String(i).padStart(2, '0')}`));
    // the TLS deny (principal *) + 49 senders = 50 principals: allowed
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    senders(49).forEach((p) => jobs.allowSendFrom(p));
    expect(() => Template.fromStack(stack)).not.toThrow();
    const over = createTestStack();
    const more = new BufferedQueueWithDlq(over, 'Jobs');
    senders(50).forEach((p) => more.allowSendFrom(p));
    expect(() => Template.fromStack(over)).toThrow(/the queue policy of Test\/Jobs\/Queue \(allowSendFrom adds to it\) may hold at most 50 principals \(SQS's limit\), but it has 51/);
  });

  test('fails with an invalid end time', () => {
    const jobs = new BufferedQueueWithDlq(createTestStack(), 'Jobs');
    expect(() => jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'), { notAfter: new Date('not a date') }))
      .toThrow(/notAfter must be a valid Date/);
  });
});

describe('scaleOnBacklog', () => {
  function asgStack() {
    const stack = createTestStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const asg = new autoscaling.AutoScalingGroup(stack, 'Workers', {
      vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      groupMetrics: [new autoscaling.GroupMetrics(autoscaling.GroupMetric.DESIRED_CAPACITY)],
    });
    return { stack, asg };
  }

  test('target tracking on visible messages per in-service instance', () => {
    const { stack, asg } = asgStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.scaleOnBacklog(asg, { acceptableBacklogPerInstance: 100, estimatedInstanceWarmup: Duration.minutes(3) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      EstimatedInstanceWarmup: 180,
      TargetTrackingConfiguration: {
        TargetValue: 100,
        DisableScaleIn: false,
        CustomizedMetricSpecification: {
          Metrics: [
            Match.objectLike({ Id: 'visible', ReturnData: false, MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' }), Stat: 'Sum' }) }),
            Match.objectLike({ Id: 'instances', ReturnData: false, MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/AutoScaling', MetricName: 'GroupInServiceInstances' }) }) }),
            Match.objectLike({ Id: 'backlogPerInstance', Expression: 'visible / instances', ReturnData: true }),
          ],
        },
      },
    });
    // the group now collects the in-service metric, beside the metric it already collected
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MetricsCollection: [
        { Granularity: '1Minute', Metrics: ['GroupDesiredCapacity'] },
        { Granularity: '1Minute', Metrics: ['GroupInServiceInstances'] },
      ],
    });
  });

  test('fails with a backlog target of 0', () => {
    const { stack, asg } = asgStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    expect(() => jobs.scaleOnBacklog(asg, { acceptableBacklogPerInstance: 0 })).toThrow(/acceptableBacklogPerInstance must be a finite number greater than 0, but 0 was provided/);
  });

  test('an imported group: warns that group metrics must be on', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const asg = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Imported', 'workers');
    jobs.scaleOnBacklog(asg, { acceptableBacklogPerInstance: 10 });
    Annotations.fromStack(stack).hasWarning('/Test/Jobs', Match.stringLikeRegexp('GroupInServiceInstances'));
  });
});

describe('addAlarmAction', () => {
  test('wires the action to every alarm, for ALARM and OK', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const topic = new sns.Topic(stack, 'Ops');
    jobs.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    const template = Template.fromStack(stack);
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(2);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([expect.objectContaining({ Ref: expect.stringMatching(/^Ops/) })]);
      expect(alarm.Properties.OKActions).toEqual([expect.objectContaining({ Ref: expect.stringMatching(/^Ops/) })]);
    }
  });
});

describe('physical names', () => {
  test('fails with the same queueName twice in a stack', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'A', { queueName: 'jobs' });
    expect(() => new BufferedQueueWithDlq(stack, 'B', { queueName: 'jobs' }))
      .toThrow(/Test\/B: queueName must be unique among SQS queue names in an account and region, but 'jobs' is already used by Test\/A/);
  });

  test('fails with a dead-letter queue named like its queue', () => {
    expect(() => new BufferedQueueWithDlq(createTestStack(), 'Jobs', { queueName: 'jobs', deadLetterQueueName: 'jobs' }))
      .toThrow(/deadLetterQueueName must differ from queueName.*both are 'jobs'/);
  });

  test('fails with a queue named like another construct\'s dead-letter queue', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'A', { queueName: 'jobs' });
    expect(() => new BufferedQueueWithDlq(stack, 'B', { queueName: 'jobs-dlq' })).toThrow(/queueName must be unique.*'jobs-dlq' is already used by Test\/A/);
  });

  test('fails across stacks of one app in the same account and region; other regions may reuse the name', () => {
    const app = createTestApp();
    new BufferedQueueWithDlq(new Stack(app, 'One', { env: TEST_ENV }), 'Jobs', { queueName: 'jobs' });
    new BufferedQueueWithDlq(new Stack(app, 'West', { env: { ...TEST_ENV, region: 'us-west-2' } }), 'Jobs', { queueName: 'jobs' });
    expect(() => new BufferedQueueWithDlq(new Stack(app, 'Two', { env: TEST_ENV }), 'Jobs', { queueName: 'jobs' })).toThrow(/already used by One\/Jobs/);
  });

  test('warns across environment-agnostic stacks, which may share an account', () => {
    const app = createTestApp();
    new BufferedQueueWithDlq(new Stack(app, 'One'), 'Jobs', { queueName: 'jobs' });
    const two = new Stack(app, 'Two');
    new BufferedQueueWithDlq(two, 'Jobs', { queueName: 'jobs' });
    Annotations.fromStack(two).hasWarning('/Two/Jobs', Match.stringLikeRegexp("queueName 'jobs' is also used by One/Jobs"));
  });

  test('generated names never clash', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'A');
    expect(() => new BufferedQueueWithDlq(stack, 'B')).not.toThrow();
  });
});

describe('claim-check payload expiry', () => {
  test('FIFO: queue retention, then a fresh DLQ retention, then one redrive', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { fifo: true, largePayloads: true, retentionPeriod: Duration.days(14), deadLetterRetentionPeriod: Duration.days(14) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpirePayloads', ExpirationInDays: 42 })]) },
    });
    expect(jobs.payloadExpiration?.toDays()).toBe(42);
  });

  test('alarms: false creates no payload alarm', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { largePayloads: true, alarms: false });
    expect(jobs.payloadRedriveAlarm).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});

describe('allowSendFrom with payloads and other encryptions', () => {
  test('the payload bucket policy lets the sender put payloads, under the same conditions', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { largePayloads: true });
    jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'), { sourceIpRanges: ['203.0.113.0/24'] });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^JobsPayloadBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { AWS: 'arn:aws:iam::210987654321:root' },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^JobsPayloadBucket'), 'Arn'] }, '/*']] },
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        })]),
      },
    });
    expectCompliantExceptPropCleared(stack);
  });

  test('fails for another account with the AWS managed key', () => {
    const jobs = new BufferedQueueWithDlq(createTestStack(), 'Jobs', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    expect(() => jobs.allowSendFrom(new iam.AccountPrincipal('210987654321')))
      .toThrow(/allowSendFrom needs encryption KMS or SQS_MANAGED for a principal of another account.*KMS_MANAGED was provided for account 210987654321/);
  });

  test('the AWS managed key: this account passes; a service principal is warned about', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    jobs.allowSendFrom(new iam.AccountPrincipal('123456789012'));
    expect(Annotations.fromStack(stack).findWarning('/Test/Jobs', Match.stringLikeRegexp('alias/aws/sqs'))).toEqual([]);
    jobs.allowSendFrom(new iam.ServicePrincipal('events.amazonaws.com'));
    Annotations.fromStack(stack).hasWarning('/Test/Jobs', Match.stringLikeRegexp('AWS managed key alias/aws/sqs, which admits only principals of this account'));
  });

  test('an environment-agnostic stack: the account is unknown, so the AWS managed key is warned about, not refused', () => {
    const stack = new Stack(createTestApp(), 'Agnostic');
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'));
    Annotations.fromStack(stack).hasWarning('/Agnostic/Jobs', Match.stringLikeRegexp('alias/aws/sqs'));
  });

  test('an imported key: warns that its policy must allow the sender', () => {
    const stack = createTestStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { encryptionKey: key });
    jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'));
    Annotations.fromStack(stack).hasWarning('/Test/Jobs', Match.stringLikeRegexp('the key Test/Imported is imported'));
  });
});

describe('addLambdaConsumer batch size', () => {
  test.each([
    ['fails with batchSize over 10 and no batching window', { batchSize: 25 }, /batchSize over 10 needs a maxBatchingWindow of at least 1 second.*batchSize 25 was provided with no batching window/],
    ['fails with batchSize over 10 and a 0-second window', { batchSize: 25, maxBatchingWindow: Duration.seconds(0) }, /batchSize over 10 needs a maxBatchingWindow.*a window of 0 seconds/],
    ['fails with batchSize over 10,000', { batchSize: 10_001, maxBatchingWindow: Duration.seconds(5) }, /batchSize must be a whole number between 1 and 10000, but 10001/],
    ['fails with batchSize 0', { batchSize: 0 }, /batchSize must be a whole number between 1 and 10000, but 0/],
  ] as Array<[string, { batchSize: number; maxBatchingWindow?: Duration }, RegExp]>)('%s', (_name, options, message) => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    expect(() => jobs.addLambdaConsumer(createTestFunction(stack, 'Worker'), options)).toThrow(message);
  });

  test('fails with batchSize over 10 on a FIFO queue', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { fifo: true });
    expect(() => jobs.addLambdaConsumer(createTestFunction(stack, 'Worker'), { batchSize: 11 })).toThrow(/batchSize must be a whole number between 1 and 10, but 11/);
  });

  test('batchSize over 10 with a 1-second window passes', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.addLambdaConsumer(createTestFunction(stack, 'Worker'), { batchSize: 100, maxBatchingWindow: Duration.seconds(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 100, MaximumBatchingWindowInSeconds: 1 });
  });
});

describe('scaleOnBacklog from zero instances', () => {
  function groupStack(minCapacity: number) {
    const stack = createTestStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const asg = new autoscaling.AutoScalingGroup(stack, 'Workers', {
      vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      minCapacity,
    });
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.scaleOnBacklog(asg, { acceptableBacklogPerInstance: 10, estimatedInstanceWarmup: Duration.minutes(2) });
    return Template.fromStack(stack);
  }

  test('minimum 0: a step policy adds one instance while messages wait and none is in service', () => {
    const template = groupStack(0);
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      AdjustmentType: 'ChangeInCapacity',
      EstimatedInstanceWarmup: 120,
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'expr_1', Expression: 'IF(instances == 0 AND visible > 0, 1, 0)' })]),
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('FromZero'), 'Arn'] }],
    });
    template.resourcePropertiesCountIs('AWS::AutoScaling::ScalingPolicy', { PolicyType: 'TargetTrackingScaling' }, 1);
  });

  test('minimum 1: target tracking only', () => {
    const template = groupStack(1);
    template.resourceCountIs('AWS::AutoScaling::ScalingPolicy', 1);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Metrics: Match.anyValue() }, 0);
  });

  test('an imported group (minimum unknown) gets the step policy too', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.scaleOnBacklog(autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Imported', 'workers'), { acceptableBacklogPerInstance: 10 });
    Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { PolicyType: 'StepScaling', AutoScalingGroupName: 'workers' });
  });
});

describe('Tokens reach the template unchanged', () => {
  test('a FIFO queueName `${param}.fifo` is kept, and the dead-letter queue is `${param}-dlq.fifo`', () => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'JobsName');
    new BufferedQueueWithDlq(stack, 'Jobs', { fifo: true, queueName: `${name.valueAsString}.fifo` });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(QUEUE, { QueueName: { 'Fn::Join': ['', [{ Ref: 'JobsName' }, '.fifo']] }, FifoQueue: true, RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties(QUEUE, { QueueName: { 'Fn::Join': ['', [{ Ref: 'JobsName' }, '-dlq.fifo']] }, FifoQueue: true, RedriveAllowPolicy: Match.anyValue() });
  });

  test('a bare Token queueName of a FIFO queue gets .fifo appended to both names', () => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'JobsName');
    new BufferedQueueWithDlq(stack, 'Jobs', { fifo: true, queueName: name.valueAsString });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(QUEUE, { QueueName: { 'Fn::Join': ['', [{ Ref: 'JobsName' }, '.fifo']] }, RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties(QUEUE, { QueueName: { 'Fn::Join': ['', [{ Ref: 'JobsName' }, '-dlq.fifo']] }, RedriveAllowPolicy: Match.anyValue() });
  });

  test('fails with a Token queueName ending in a literal .fifo on a standard queue', () => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'JobsName');
    expect(() => new BufferedQueueWithDlq(stack, 'Jobs', { queueName: `${name.valueAsString}.fifo` })).toThrow(/queueName may end in '.fifo' only when fifo is true/);
  });

  test('scaleOnBacklog: a Token estimatedInstanceWarmup reaches both scaling policies', () => {
    const stack = createTestStack();
    const warmup = new CfnParameter(stack, 'Warmup', { type: 'Number' });
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    // An imported group (minimum unknown) gets the step policy as well as target tracking.
    jobs.scaleOnBacklog(autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Imported', 'workers'), {
      acceptableBacklogPerInstance: 10,
      estimatedInstanceWarmup: Duration.seconds(warmup.valueAsNumber),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { PolicyType: 'TargetTrackingScaling', EstimatedInstanceWarmup: { Ref: 'Warmup' } });
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { PolicyType: 'StepScaling', EstimatedInstanceWarmup: { Ref: 'Warmup' } });
  });

  test.each([
    ['a CommaDelimitedList parameter', (stack: Stack) => new CfnParameter(stack, 'Ranges', { type: 'CommaDelimitedList' }).valueAsList, { Ref: 'Ranges' }],
    ['Fn.split', (stack: Stack) => Fn.split(',', new CfnParameter(stack, 'Ranges').valueAsString), { 'Fn::Split': [',', { Ref: 'Ranges' }] }],
  ])('allowSendFrom: sourceIpRanges from %s reach the queue policy as a list', (_name, ranges, rendered) => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'), { sourceIpRanges: ranges(stack) });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: { IpAddress: { 'aws:SourceIp': rendered } } })]) },
    });
  });

  test('fails with an invalid literal range beside a Token element', () => {
    const stack = createTestStack();
    const ranges = new CfnParameter(stack, 'Ranges', { type: 'CommaDelimitedList' }).valueAsList;
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    expect(() => jobs.allowSendFrom(new iam.AccountPrincipal('210987654321'), { sourceIpRanges: [Fn.select(0, ranges), 'nonsense'] }))
      .toThrow(/sourceIpRanges must hold IPv4 or IPv6 CIDR blocks such as 203.0.113.0\/24, but 'nonsense' was provided/);
  });

  test('fails with a Token Duration in minutes, naming the prop', () => {
    const stack = createTestStack();
    const minutes = Token.asNumber({ Ref: 'Minutes' });
    expect(() => new BufferedQueueWithDlq(stack, 'Jobs', { retentionPeriod: Duration.minutes(minutes) }))
      .toThrow(/retentionPeriod must be given with Duration.seconds\(\) when its value is a Token/);
  });
});

describe('non-finite and fractional input', () => {
  test.each<[string, BufferedQueueWithDlqProps]>([
    ['maxProcessingTime', { maxProcessingTime: Duration.seconds(NaN) }],
    ['receiveMessageWaitTime', { receiveMessageWaitTime: Duration.seconds(Infinity) }],
    ['deliveryDelay', { deliveryDelay: Duration.seconds(1.5) }],
    ['retentionPeriod', { retentionPeriod: Duration.millis(100_500) }],
    ['deadLetterRetentionPeriod', { deadLetterRetentionPeriod: Duration.seconds(NaN) }],
    ['dataKeyReuse', { dataKeyReuse: Duration.seconds(Infinity) }],
    ['oldestMessageAgeThreshold', { oldestMessageAgeThreshold: Duration.seconds(NaN) }],
  ])('fails with a %s that is not a whole number of seconds, naming it', (prop, props) => {
    expect(() => new BufferedQueueWithDlq(createTestStack(), 'Jobs', props)).toThrow(new RegExp(`${prop} must be a whole number of seconds, but Duration\\.`));
  });

  test('fails with a maxBatchingWindow of NaN seconds, naming it', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    expect(() => jobs.addLambdaConsumer(createTestFunction(stack, 'Worker'), { maxBatchingWindow: Duration.seconds(NaN) }))
      .toThrow(/maxBatchingWindow must be a whole number of seconds, but Duration.seconds\(NaN\) was provided/);
  });

  test('fails with an estimatedInstanceWarmup of Infinity seconds, naming it', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    expect(() => jobs.scaleOnBacklog(autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Imported', 'workers'), {
      acceptableBacklogPerInstance: 10, estimatedInstanceWarmup: Duration.seconds(Infinity),
    })).toThrow(/estimatedInstanceWarmup must be a whole number of seconds, but Duration.seconds\(Infinity\) was provided/);
  });

  test.each([Infinity, -Infinity, NaN])('fails with acceptableBacklogPerInstance %s (TargetValue would render as null)', (value) => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    expect(() => jobs.scaleOnBacklog(autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Imported', 'workers'), { acceptableBacklogPerInstance: value }))
      .toThrow(new RegExp(`acceptableBacklogPerInstance must be a finite number greater than 0, but ${value} was provided`));
  });

  test.each([1, 1001, Infinity, 2.5])('fails with maxConcurrency %s, naming it', (value) => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    expect(() => jobs.addLambdaConsumer(createTestFunction(stack, 'Worker'), { maxConcurrency: value }))
      .toThrow(new RegExp(`Test/Jobs: maxConcurrency must be a whole number between 2 and 1000, but ${value} was provided`));
  });
});

describe('repeated calls', () => {
  test('fails when the same function is added as a consumer twice, naming it', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const worker = createTestFunction(stack, 'Worker');
    jobs.addLambdaConsumer(worker);
    expect(() => jobs.addLambdaConsumer(worker, { batchSize: 5 })).toThrow(/addLambdaConsumer: Test\/Worker consumes this queue already \(an earlier addLambdaConsumer\)/);
  });

  test('fails when one imported function is added twice through two imports of its ARN', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:worker';
    jobs.addLambdaConsumer(lambda.Function.fromFunctionArn(stack, 'A', arn));
    expect(() => jobs.addLambdaConsumer(lambda.Function.fromFunctionArn(stack, 'B', arn))).toThrow(/addLambdaConsumer: Test\/B consumes this queue already/);
  });

  test('fails when scaleOnBacklog is called twice for one group, naming it', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const group = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Imported', 'workers');
    jobs.scaleOnBacklog(group, { acceptableBacklogPerInstance: 10 });
    expect(() => jobs.scaleOnBacklog(group, { acceptableBacklogPerInstance: 20 })).toThrow(/scaleOnBacklog: Test\/Imported scales on this queue's backlog already/);
  });
});

describe('other accounts and regions', () => {
  function otherStack(stack: Stack, env: { account: string; region: string }): Stack {
    return new Stack(stack.node.root as App, 'Other', { env });
  }

  test('fails with a consumer function in another region (Lambda reads SQS in its own region only)', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const worker = createTestFunction(otherStack(stack, { account: TEST_ENV.account, region: 'eu-west-1' }), 'Worker');
    expect(() => jobs.addLambdaConsumer(worker)).toThrow(/addLambdaConsumer needs the function in the queue's region \(us-east-1\).*but Other\/Worker is in region eu-west-1/);
  });

  test('a consumer function of another account in the same region is accepted', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { queueName: 'jobs' });
    const other = otherStack(stack, { account: '210987654321', region: TEST_ENV.region });
    const role = new iam.Role(other, 'WorkerRole', { roleName: 'worker', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const worker = new lambda.Function(other, 'Worker', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), role,
    });
    jobs.addLambdaConsumer(worker);
    Template.fromStack(other).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:jobs',
    });
  });

  test('fails with an Auto Scaling group of another account, naming scaleOnBacklog', () => {
    const stack = createTestStack();
    const jobs = new BufferedQueueWithDlq(stack, 'Jobs');
    const other = otherStack(stack, { account: '210987654321', region: TEST_ENV.region });
    const group = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(other, 'Imported', 'workers');
    expect(() => jobs.scaleOnBacklog(group, { acceptableBacklogPerInstance: 10 }))
      .toThrow(/scaleOnBacklog needs the Auto Scaling group in the queue's account and region.*but Other\/Imported is in account 210987654321/);
  });
});
