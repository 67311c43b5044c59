import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FanOutFilterOptions, FanOutTopic, FanOutTopicProps } from '../../src';
import { createTestApp, createTestFunction, createTestRole, createTestStack, expectCompliant, expectCompliantExceptPropCleared, expectOnlyFindings, OPS_TOPIC_ARN, TEST_ENV } from '../util';

describe('FanOutTopic defaults: orders -> processing + analytics', () => {
  const stack = createTestStack();
  const orders = new FanOutTopic(stack, 'Orders');
  const processing = orders.addQueue('Processing');
  orders.addQueue('Analytics', { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) } });
  const template = Template.fromStack(stack);
  const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];

  test('one customer-managed key with rotation serves the topic and every queue', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(processing.encryptionKey).toBe(orders.encryptionKey);
  });

  test('the key policy lets SNS use the key only for this account\'s topics', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'sns.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:*' },
          },
        })]),
      },
    });
  });

  test('topic policy: TLS only, publishing limited to this account', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
        ]),
      },
    });
  });

  test('raw message delivery to SQS, each subscription redriving to its queue\'s DLQ', () => {
    const subscriptions = template.findResources('AWS::SNS::Subscription');
    expect(Object.keys(subscriptions)).toHaveLength(2);
    for (const sub of Object.values(subscriptions)) {
      expect(sub.Properties.Protocol).toBe('sqs');
      expect(sub.Properties.RawMessageDelivery).toBe(true);
      expect(sub.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]).toMatch(/DeadLetterQueue/);
    }
  });

  test('the filter policy reaches the analytics subscription only', () => {
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { FilterPolicy: { kind: ['order'] } }, 1);
  });

  test('SNS may send to each queue only for this topic', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'sns.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { Ref: Match.stringLikeRegexp('^OrdersTopic') } } },
        })]),
      },
    });
  });

  test('alarm: notifications lost (neither delivered nor kept in a dead-letter queue)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NumberOfNotificationsFailedToRedriveToDlq',
      Namespace: 'AWS/SNS',
      Statistic: 'Sum',
      Threshold: 1,
      Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersTopic'), 'TopicName'] } }],
    });
    // not on failed attempts, which count every HTTP/S attempt a retry later delivers
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'NumberOfNotificationsFailed' }, 0);
    // 1 topic alarm + 2 per queue
    expect(orders.alarms).toHaveLength(5);
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: of all five packs, only the alarm-action finding (cleared by alarmActions)', () => {
    expectOnlyFindings(stack, {
      CloudWatchAlarmAction: ['Orders/Analytics/DeadLetterAlarm', 'Orders/Analytics/OldestMessageAgeAlarm', 'Orders/NotificationsFailedAlarm',
        'Orders/Processing/DeadLetterAlarm', 'Orders/Processing/OldestMessageAgeAlarm'],
    });
  });
});

describe('FanOutTopic fully customised', () => {
  const stack = createTestStack();
  const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
  const orders = new FanOutTopic(stack, 'Orders', {
    topicName: 'orders',
    displayName: 'Orders',
    fifo: true,
    contentBasedDeduplication: true,
    encryptionKey: key,
    publishers: [new iam.AccountPrincipal('210987654321'), new iam.ServicePrincipal('events.amazonaws.com')],
    alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(stack, 'Ops', OPS_TOPIC_ARN))],
  });
  orders.addQueue('Processing', { rawMessageDelivery: false, queue: { maxReceiveCount: 3 } });
  orders.addQueue('Audit', { queue: { encryption: sqs.QueueEncryption.SQS_MANAGED } });
  const template = Template.fromStack(stack);

  test('FIFO topic and FIFO queues with .fifo names', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'orders.fifo', FifoTopic: true, ContentBasedDeduplication: true, DisplayName: 'Orders' });
    template.allResourcesProperties('AWS::SQS::Queue', { FifoQueue: true });
  });

  test('publishers: another account, and a service limited to this account', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Principal: { AWS: 'arn:aws:iam::210987654321:root' } }),
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
        ]),
      },
    });
  });

  test('queue options reach the queue and the subscription', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { RawMessageDelivery: false });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  test('alarmActions reach the topic\'s alarms and those of the queues it created', () => {
    expect(orders.alarms).toHaveLength(5);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [OPS_TOPIC_ARN], OKActions: [OPS_TOPIC_ARN] });
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: no finding of any of the five packs', () => {
    expectCompliant(stack);
  });
});

describe('FanOutTopic subscribers', () => {
  test('Lambda, HTTPS and email share a subscription dead-letter queue with an alarm', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    orders.addLambda(createTestFunction(stack, 'Handler'));
    orders.addHttpsEndpoint('https://example.com/hook', {
      deliveryPolicy: {
        healthyRetryPolicy: {
          numRetries: 5, minDelayTarget: Duration.seconds(5), maxDelayTarget: Duration.seconds(60), backoffFunction: sns.BackoffFunction.EXPONENTIAL,
        },
        throttlePolicy: { maxReceivesPerSecond: 10 },
      },
    });
    orders.addEmail('ops@example.com');
    const template = Template.fromStack(stack);
    const dlqId = Object.keys(template.findResources('AWS::SQS::Queue'))[0];
    for (const protocol of ['lambda', 'https', 'email']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: protocol, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
      });
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      DeliveryPolicy: { healthyRetryPolicy: { numRetries: 5, minDelayTarget: 5, maxDelayTarget: 60, backoffFunction: 'EXPONENTIAL' }, throttlePolicy: { maxReceivesPerSecond: 10 } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
    });
    expect(orders.subscriptionDeadLetterQueue).toBeDefined();
    expectCompliantExceptPropCleared(stack);
  });

  test('an existing queue in another stack of the same app', () => {
    const app = createTestApp();
    const topicStack = new Stack(app, 'Topics', { env: TEST_ENV });
    const queueStack = new Stack(app, 'Consumers', { env: TEST_ENV });
    const orders = new FanOutTopic(topicStack, 'Orders');
    const queueKey = new kms.Key(queueStack, 'Key', { enableKeyRotation: true });
    const queue = new sqs.Queue(queueStack, 'Billing', { encryptionMasterKey: queueKey, enforceSSL: true });
    orders.addExistingQueue(queue, { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['invoice'] }) } });
    const consumers = Template.fromStack(queueStack);
    // the subscription lives in the queue's stack; topic and subscription DLQ come from the topic's stack
    consumers.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      FilterPolicy: { kind: ['invoice'] },
      TopicArn: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Topics' }) },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Topics' }) } },
    });
    Template.fromStack(topicStack).resourceCountIs('AWS::SQS::Queue', 1);
    expect(queueStack.dependencies).toContain(topicStack);
  });

  test('an existing queue on the topic\'s own key: no dependency cycle, SNS allowed by the queue policy', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const queue = new sqs.Queue(stack, 'Billing', { encryptionMasterKey: orders.encryptionKey, enforceSSL: true });
    orders.addExistingQueue(queue);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs', RawMessageDelivery: true, Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Billing'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('^Billing') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage' })]) },
    });
    // the key keeps one SNS statement: this account's topics (no statement naming the topic's ARN)
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' }, Condition: Match.objectLike({ ArnLike: Match.anyValue() }) })]) },
    });
  });

  test('grantPublish covers the topic and the key, without wildcard actions', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const role = createTestRole(stack, 'Role');
    orders.grantPublish(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish' }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        ]),
      },
    });
    expectCompliantExceptPropCleared(stack);
  });

  test('addAlarmAction reaches the topic, its queues (also later ones) and the subscription DLQ', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    orders.addQueue('Early');
    const ops = new sns.Topic(stack, 'Ops');
    orders.addAlarmAction(new cloudwatchActions.SnsAction(ops));
    orders.addQueue('Late');
    orders.addEmail('ops@example.com');
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(6);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([expect.objectContaining({ Ref: expect.stringMatching(/^Ops/) })]);
    }
  });

  test('alarms: false creates no topic or subscription DLQ alarm', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders', { alarms: false });
    orders.addEmail('ops@example.com');
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});

describe('FanOutTopic validation', () => {
  const cases: Array<[string, FanOutTopicProps, RegExp]> = [
    ['fails with contentBasedDeduplication on a standard topic', { contentBasedDeduplication: true }, /contentBasedDeduplication applies only to FIFO topics/],
    ['fails with a .fifo name on a standard topic', { topicName: 'orders.fifo' }, /topicName may end in '.fifo' only when fifo is true, but 'orders.fifo'/],
    ['fails with invalid characters in topicName', { topicName: 'orders topic' }, /topicName may contain only alphanumeric characters.*'orders topic'/],
    ['fails with a topicName over 256 characters', { topicName: 't'.repeat(257) }, /topicName must be 1 to 256 characters long/],
    ['fails with a displayName over 100 characters', { displayName: 'd'.repeat(101) }, /displayName must be at most 100 characters long/],
    ['fails with an empty publishers list', { publishers: [] }, /publishers must list at least one principal/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    expect(() => new FanOutTopic(createTestStack(), 'Orders', props)).toThrow(message);
  });

  test('fails with a standard topic and a FIFO queue (addQueue)', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addQueue('Q', { queue: { fifo: true } })).toThrow(/queue.fifo must be false for addQueue\('Q'\) on a standard topic \(SNS standard topics cannot deliver to FIFO queues\), but true was provided/);
  });

  test('fails with a standard topic and a FIFO existing queue', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const queue = new sqs.Queue(stack, 'Q', { fifo: true });
    expect(() => orders.addExistingQueue(queue)).toThrow(/addExistingQueue needs a standard queue for a standard topic \(SNS standard topics cannot deliver to FIFO queues\), but Test\/Q is FIFO/);
  });

  test('fails at synth when the rendered topic policy exceeds SNS\'s quotas (200 principals)', () => {
    const stack = createTestStack();
    new FanOutTopic(stack, 'Orders', { publishers: Array.from({ length: 200 }, (_, i) => new iam.AccountPrincipal(`210987654${String(i).padStart(3, '0')}`)) });
    expect(() => Template.fromStack(stack)).toThrow(/the topic policy of Test\/Orders\/Topic \(publishers adds to it\) may hold at most 200 principals \(SNS's limit\), but it has 201/);
  });

  test('fails with a dead-letter queue of the wrong type for the topic', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders', { fifo: true });
    const queue = new sqs.Queue(stack, 'Q', { fifo: true });
    const dlq = new sqs.Queue(stack, 'Dlq');
    expect(() => orders.addExistingQueue(queue, { deadLetterQueue: dlq })).toThrow(/deadLetterQueue must be a FIFO queue for a subscription of a FIFO topic, but Test\/Dlq is standard/);
  });

  test('fails with the same topicName twice in an app and account', () => {
    const app = createTestApp();
    new FanOutTopic(new Stack(app, 'One', { env: TEST_ENV }), 'Orders', { topicName: 'orders' });
    expect(() => new FanOutTopic(new Stack(app, 'Two', { env: TEST_ENV }), 'Orders', { topicName: 'orders' }))
      .toThrow(/Two\/Orders: topicName must be unique among SNS topic names in an account and region, but 'orders' is already used by One\/Orders/);
  });

  test.each([
    ['100 retries a minute apart', { numRetries: 100, minDelayTarget: Duration.seconds(60), maxDelayTarget: Duration.seconds(60) }, /retry delays must add up to at most 3600 seconds.*but they add up to 6000 seconds/],
    ['linear backoff from 20 s to 3600 s over 3 retries', { numRetries: 3, minDelayTarget: Duration.seconds(20), maxDelayTarget: Duration.seconds(3600) }, /but they add up to 5430 seconds/],
    ['exponential backoff certainly over the limit', { numRetries: 10, minDelayTarget: Duration.seconds(400), maxDelayTarget: Duration.seconds(900), backoffFunction: sns.BackoffFunction.EXPONENTIAL }, /but they add up to at least 4500 seconds/],
    ['post-backoff retries at the maximum delay', { numRetries: 20, numMaxDelayRetries: 19, minDelayTarget: Duration.seconds(1), maxDelayTarget: Duration.seconds(200) }, /but they add up to 3801 seconds/],
  ] as Array<[string, sns.HealthyRetryPolicy, RegExp]>)('fails with a delivery policy whose %s exceed 3,600 s in total', (_name, healthyRetryPolicy, message) => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addHttpsEndpoint('https://example.com/hook', { deliveryPolicy: { healthyRetryPolicy } })).toThrow(message);
  });

  test('a delivery policy of exactly 3,600 s of delays passes', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addHttpsEndpoint('https://example.com/hook', {
      deliveryPolicy: { healthyRetryPolicy: { numRetries: 60, minDelayTarget: Duration.seconds(60), maxDelayTarget: Duration.seconds(60) } },
    })).not.toThrow();
  });

  test('fails with a queue on the AWS-managed SQS key', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addQueue('Q', { queue: { encryption: sqs.QueueEncryption.KMS_MANAGED } })).toThrow(/queue.encryption KMS_MANAGED cannot be used/);
  });

  test('fails with plain HTTP', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addHttpsEndpoint('http://example.com/hook')).toThrow(/url must be an https:\/\/ URL.*'http:\/\/example.com\/hook'/);
  });

  test('fails with a malformed email address', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addEmail('ops-at-example')).toThrow(/addEmail address must be an email address.*'ops-at-example'/);
  });

  test.each([
    ['numRetries over 100', { healthyRetryPolicy: { numRetries: 101 } }, /numRetries must be a whole number between 0 and 100, but 101/],
    ['maxDelayTarget over 3600 s', { healthyRetryPolicy: { maxDelayTarget: Duration.seconds(3601) } }, /maxDelayTarget must be between 1 and 3600 seconds, but 3601/],
    ['minDelayTarget above maxDelayTarget', { healthyRetryPolicy: { minDelayTarget: Duration.seconds(30), maxDelayTarget: Duration.seconds(10) } }, /minDelayTarget \(30 seconds\) must not exceed maxDelayTarget \(10 seconds\)/],
    ['phase retries above numRetries', { healthyRetryPolicy: { numRetries: 3, numNoDelayRetries: 2, numMaxDelayRetries: 2 } }, /\(4\) must not exceed numRetries \(3\)/],
    ['a throttle under 1', { throttlePolicy: { maxReceivesPerSecond: 0 } }, /maxReceivesPerSecond must be a whole number of at least 1, but 0/],
  ] as Array<[string, sns.DeliveryPolicy, RegExp]>)('fails with a delivery policy with %s', (_name, deliveryPolicy, message) => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addHttpsEndpoint('https://example.com/hook', { deliveryPolicy })).toThrow(message);
  });

  test('fails with more than 5 filter keys', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    const filter = sns.SubscriptionFilter.stringFilter({ allowlist: ['x'] });
    const filterPolicy = { a: filter, b: filter, c: filter, d: filter, e: filter, f: filter };
    expect(() => orders.addQueue('Q', { filterPolicy })).toThrow(/filterPolicy may have at most 5 attribute names, but 6 were provided for Q/);
  });

  test('fails with more than 150 filter value combinations', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    const values = (n: number) => sns.SubscriptionFilter.stringFilter({ allowlist: Array.from({ length: n }, (_, i) => `v${i}`) });
    expect(() => orders.addQueue('Q', { filterPolicy: { a: values(13), b: values(12) } })).toThrow(/filterPolicy may combine at most 150 values, but 156 combinations/);
  });

  test('fails with both filter kinds', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addQueue('Q', {
      filterPolicy: { a: sns.SubscriptionFilter.existsFilter() },
      filterPolicyWithMessageBody: { b: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.existsFilter()) },
    })).toThrow(/filterPolicy and filterPolicyWithMessageBody are exclusive/);
  });

  test('fails with Lambda, HTTPS or email on a FIFO topic', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders', { fifo: true });
    expect(() => orders.addLambda(createTestFunction(stack, 'Fn'))).toThrow(/addLambda is not available on a FIFO topic/);
    expect(() => orders.addHttpsEndpoint('https://example.com')).toThrow(/addHttpsEndpoint is not available on a FIFO topic/);
    expect(() => orders.addEmail('ops@example.com')).toThrow(/addEmail is not available on a FIFO topic/);
  });
});

describe('FanOutTopic: FIFO topic to standard queues', () => {
  // GIVEN a FIFO topic with a FIFO queue and a standard queue
  const stack = createTestStack();
  const orders = new FanOutTopic(stack, 'Orders', { fifo: true });
  orders.addQueue('Ordered');
  const audit = orders.addQueue('Audit', { queue: { fifo: false } });
  const template = Template.fromStack(stack);

  test('the standard queue is created standard and subscribed', () => {
    expect(audit.fifo).toBe(false);
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { FifoQueue: true }, 3);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersAuditQueue'), 'Arn'] } });
  });

  test('its subscription keeps undeliverable messages in the topic\'s FIFO subscription dead-letter queue', () => {
    const dlq = orders.subscriptionDeadLetterQueue as sqs.Queue;
    expect(dlq.fifo).toBe(true);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersAuditQueue'), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersSubscriptionDeadLetterQueue'), 'Arn'] } },
    });
  });

  test('a warning says the queue loses ordering and deduplication', () => {
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp("addQueue\\('Audit'\\): a standard queue subscribed to a FIFO topic loses the topic's ordering and deduplication"));
  });

  test('an existing standard queue is accepted with the same warning', () => {
    const other = createTestStack();
    const topic = new FanOutTopic(other, 'Orders', { fifo: true });
    topic.addExistingQueue(new sqs.Queue(other, 'Billing', { encryptionMasterKey: topic.encryptionKey, enforceSSL: true }));
    Template.fromStack(other).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs' });
    Annotations.fromStack(other).hasWarning('/Test/Orders', Match.stringLikeRegexp('addExistingQueue\\(Test/Billing\\): a standard queue'));
  });

  test('compliance: no finding beyond the alarm actions', () => {
    expectCompliantExceptPropCleared(stack);
  });
});

describe('FanOutTopic: service publishers and keys', () => {
  test('each service publisher may use the key: scoped to this account, EventBridge without source conditions', () => {
    const stack = createTestStack();
    new FanOutTopic(stack, 'Orders', {
      publishers: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('s3.amazonaws.com')],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: Match.absent() }),
          Match.objectLike({ Principal: { Service: 's3.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
        ]),
      },
    });
    expectCompliantExceptPropCleared(stack);
  });

  test('an imported topic key: warns that it must already allow SNS for the queues it encrypts', () => {
    const stack = createTestStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    new FanOutTopic(stack, 'Orders', { encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('encryptionKey Test/Imported is imported.*SNS cannot deliver to the queues it encrypts'));
  });

  test('an imported key: warns that it must already allow the service publisher', () => {
    const stack = createTestStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    new FanOutTopic(stack, 'Orders', { encryptionKey: key, publishers: [new iam.ServicePrincipal('events.amazonaws.com')] });
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('the key Test/Imported is imported.*events.amazonaws.com'));
  });

  test('an imported key on a queue: warns that it must already allow SNS', () => {
    const stack = createTestStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    const orders = new FanOutTopic(stack, 'Orders');
    orders.addQueue('Billing', { queue: { encryptionKey: key } });
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp("addQueue\\('Billing'\\): the key Test/Imported is imported.*sns.amazonaws.com"));
  });

  test('an existing queue with an imported key: warns that it must already allow SNS', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const queue = sqs.Queue.fromQueueAttributes(stack, 'Billing', {
      queueArn: 'arn:aws:sqs:us-east-1:123456789012:billing', keyArn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    });
    orders.addExistingQueue(queue);
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('the key of Test/Billing is imported'));
  });
});

describe('FanOutTopic.addLambda on-failure handling', () => {
  test('events the function fails go to the subscription dead-letter queue, with exact grants', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    orders.addLambda(createTestFunction(stack, 'Handler'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Handler') },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersSubscriptionDeadLetterQueue'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^HandlerServiceRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersSubscriptionDeadLetterQueue'), 'Arn'] } }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        ]),
      },
    });
    expectCompliantExceptPropCleared(stack);
  });

  test('a given onFailure destination is used', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const failures = new sns.Topic(stack, 'Failures');
    orders.addLambda(createTestFunction(stack, 'Handler'), { onFailure: new destinations.SnsDestination(failures) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { Ref: Match.stringLikeRegexp('^Failures') } } },
    });
  });

  test('an imported function: warns that failed events are discarded', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    orders.addLambda(lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:function:handler'));
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('Test/Imported has no on-failure destination'));
  });

  test('a function with its own asynchronous configuration keeps it; onFailure then fails', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const fn = createTestFunction(stack, 'Handler');
    fn.configureAsyncInvoke({ retryAttempts: 0 });
    orders.addLambda(fn);
    Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('Test/Handler has no on-failure destination'));
    const other = createTestFunction(stack, 'Other');
    other.configureAsyncInvoke({ retryAttempts: 1 });
    expect(() => orders.addLambda(other, { onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Q')) }))
      .toThrow(/onFailure cannot be set for Test\/Other, which already has an asynchronous invocation configuration/);
  });
});

describe('FanOutTopic: Tokens reach the template unchanged', () => {
  test.each([
    ['`${param}.fifo`', (name: string) => `${name}.fifo`],
    ['a bare Token (.fifo appended)', (name: string) => name],
  ])('a FIFO topicName given as %s renders as the parameter with .fifo', (_what, topicName) => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'OrdersName');
    new FanOutTopic(stack, 'Orders', { fifo: true, topicName: topicName(name.valueAsString) });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TopicName: { 'Fn::Join': ['', [{ Ref: 'OrdersName' }, '.fifo']] }, FifoTopic: true });
  });

  test('fails with a Token topicName ending in a literal .fifo on a standard topic', () => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'OrdersName');
    expect(() => new FanOutTopic(stack, 'Orders', { topicName: `${name.valueAsString}.fifo` })).toThrow(/topicName may end in '.fifo' only when fifo is true/);
  });

  test('a FIFO queue of addQueue named `${param}.fifo` keeps a valid FIFO dead-letter queue name', () => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'QueueName');
    const orders = new FanOutTopic(stack, 'Orders', { fifo: true });
    orders.addQueue('Processing', { queue: { queueName: `${name.valueAsString}.fifo` } });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { QueueName: { 'Fn::Join': ['', [{ Ref: 'QueueName' }, '-dlq.fifo']] }, FifoQueue: true });
  });
});

describe('FanOutTopic: non-finite and fractional delivery delays', () => {
  test.each([
    ['minDelayTarget', { minDelayTarget: Duration.seconds(NaN) }],
    ['maxDelayTarget', { maxDelayTarget: Duration.millis(1_500) }],
  ])('fails with a %s that is not a whole number of seconds, naming it', (prop, retry) => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addHttpsEndpoint('https://example.com/hook', { deliveryPolicy: { healthyRetryPolicy: retry } }))
      .toThrow(new RegExp(`deliveryPolicy.healthyRetryPolicy.${prop} must be a whole number of seconds, but Duration\\.`));
  });
});

describe('FanOutTopic: delivery policy Tokens', () => {
  test.each<[string, sns.DeliveryPolicy]>([
    ['healthyRetryPolicy.minDelayTarget', { healthyRetryPolicy: { minDelayTarget: Duration.seconds(Token.asNumber({ Ref: 'Delay' })) } }],
    ['healthyRetryPolicy.numRetries', { healthyRetryPolicy: { numRetries: Token.asNumber({ Ref: 'Retries' }) } }],
    ['throttlePolicy.maxReceivesPerSecond', { throttlePolicy: { maxReceivesPerSecond: Token.asNumber({ Ref: 'Rate' }) } }],
  ])('fails with a Token in deliveryPolicy.%s, saying it must be known at synth', (name, deliveryPolicy) => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addHttpsEndpoint('https://example.com/hook', { deliveryPolicy }))
      .toThrow(new RegExp(`deliveryPolicy.${name} must be known at synth \\(aws-cdk-lib's SNS subscription checks and converts it\\), but a Token was provided`));
  });
});

describe('FanOutTopic: non-finite filter values', () => {
  test.each<[string, string, FanOutFilterOptions]>([
    ['filterPolicy', 'Infinity', { filterPolicy: { price: sns.SubscriptionFilter.numericFilter({ greaterThan: Infinity }) } }],
    ['filterPolicy', 'NaN', { filterPolicy: { price: sns.SubscriptionFilter.numericFilter({ between: { start: NaN, stop: 5 } }) } }],
    ['filterPolicyWithMessageBody', '-Infinity', { filterPolicyWithMessageBody: { price: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numericFilter({ lessThan: -Infinity })) } }],
  ])('fails with a %s numeric value of %s (it would render as null)', (prop, value, options) => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addQueue('Processing', options)).toThrow(new RegExp(`${prop} numeric values must be finite numbers, but ${value} was provided for Processing`));
  });
});

describe('FanOutTopic: repeated calls', () => {
  test('fails when addQueue is called twice with one id, naming the queue added first', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    orders.addQueue('Processing');
    expect(() => orders.addQueue('Processing')).toThrow(/addQueue id 'Processing' is taken already by Test\/Orders\/Processing: give each queue its own id/);
  });

  test('fails when an addQueue id is taken by a part of the topic', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    expect(() => orders.addQueue('Topic')).toThrow(/addQueue id 'Topic' is taken already by Test\/Orders\/Topic/);
  });

  test('fails when an addQueue id would clash with the subscription of an earlier queue', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    orders.addQueue('A');
    expect(() => orders.addQueue('ASubscription')).toThrow(/addQueue id 'ASubscription' is taken already by Test\/Orders\/ASubscription/);
  });

  test('fails when a queue of addQueue is subscribed again with addExistingQueue', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    const processing = orders.addQueue('Processing');
    expect(() => orders.addExistingQueue(processing.queue)).toThrow(/addExistingQueue: Test\/Orders\/Processing\/Queue is subscribed to the topic already \(by addQueue\('Processing'\)\)/);
  });

  test('fails when addExistingQueue is called twice for one queue', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const queue = sqs.Queue.fromQueueArn(stack, 'Existing', 'arn:aws:sqs:us-east-1:123456789012:existing');
    orders.addExistingQueue(queue);
    expect(() => orders.addExistingQueue(queue)).toThrow(/addExistingQueue: Test\/Existing is subscribed to the topic already/);
  });

  test('fails when addLambda is called twice for one function', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const handler = createTestFunction(stack, 'Handler');
    orders.addLambda(handler);
    expect(() => orders.addLambda(handler)).toThrow(/addLambda: Test\/Handler is subscribed to the topic already \(by addLambda\(Test\/Handler\)\)/);
  });

  test('fails when one deploy-time address is subscribed twice through two Token objects', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    orders.addEmail(Token.asString({ Ref: 'OpsAddress' }));
    expect(() => orders.addEmail(Token.asString({ Ref: 'OpsAddress' }))).toThrow(/addEmail: '.*' is subscribed to the topic already/);
  });

  test('fails when addHttpsEndpoint or addEmail is called twice for one endpoint', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders');
    orders.addHttpsEndpoint('https://example.com/hook');
    orders.addEmail('ops@example.com');
    expect(() => orders.addHttpsEndpoint('https://example.com/hook')).toThrow(/addHttpsEndpoint: 'https:\/\/example.com\/hook' is subscribed to the topic already/);
    expect(() => orders.addEmail('ops@example.com')).toThrow(/addEmail: 'ops@example.com' is subscribed to the topic already/);
  });
});

describe('FanOutTopic: other accounts and regions', () => {
  function otherStack(stack: Stack, env: { account: string; region: string }): Stack {
    return new Stack(stack.node.root as App, 'Other', { env });
  }

  test.each([
    ['region', { account: TEST_ENV.account, region: 'eu-west-1' }, 'region eu-west-1'],
    ['account', { account: '210987654321', region: TEST_ENV.region }, 'account 210987654321'],
  ])('fails with a queue of another %s, saying what is supported', (_what, env, where) => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders', { topicName: 'orders' });
    const queue = new sqs.Queue(otherStack(stack, env), 'Queue', { queueName: 'remote' });
    expect(() => orders.addExistingQueue(queue)).toThrow(new RegExp(`addExistingQueue needs the queue in the topic's account and region \\(another stack of it is fine\\), but Other/Queue is in ${where}`));
  });

  test('fails with a function of another region, saying what is supported', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders', { topicName: 'orders' });
    const handler = createTestFunction(otherStack(stack, { account: TEST_ENV.account, region: 'eu-west-1' }), 'Handler');
    expect(() => orders.addLambda(handler)).toThrow(/addLambda needs the function in the topic's account and region \(another stack of it is fine\), but Other\/Handler is in region eu-west-1/);
  });

  test('a queue of another stack in the same account and region is still subscribed', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const other = otherStack(stack, TEST_ENV);
    orders.addExistingQueue(new sqs.Queue(other, 'Queue', { enforceSSL: true }));
    Template.fromStack(other).resourceCountIs('AWS::SNS::Subscription', 1);
  });
});
