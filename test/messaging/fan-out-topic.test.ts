import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FanOutTopic, FanOutTopicProps } from '../../src';
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

  test('alarm: notifications failed', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NumberOfNotificationsFailed', Namespace: 'AWS/SNS', Threshold: 1 });
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

  test('fails with a FIFO topic and a standard queue (addQueue)', () => {
    const orders = new FanOutTopic(createTestStack(), 'Orders', { fifo: true });
    expect(() => orders.addQueue('Q', { queue: { fifo: false } })).toThrow(/queue.fifo must match the topic \(fifo true\) for addQueue\('Q'\), but false was provided/);
  });

  test('fails with a standard topic and a FIFO existing queue', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders');
    const queue = new sqs.Queue(stack, 'Q', { fifo: true });
    expect(() => orders.addExistingQueue(queue)).toThrow(/addExistingQueue needs a standard queue for a standard topic, but Test\/Q is FIFO/);
  });

  test('fails with a FIFO topic and a standard existing queue', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders', { fifo: true });
    const queue = new sqs.Queue(stack, 'Q');
    expect(() => orders.addExistingQueue(queue)).toThrow(/addExistingQueue needs a FIFO queue for a FIFO topic, but Test\/Q is standard/);
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
