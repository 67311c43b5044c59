import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmTopic, BufferedQueueWithDlq, FanOutTopic } from '../../src';
import { createTestApp, createTestStack, expectCompliant, OPS_TOPIC_ARN } from '../util';

const CLOUDWATCH = { Service: 'cloudwatch.amazonaws.com' };

describe('AlarmTopic', () => {
  // GIVEN an alarm topic that a queue's alarms notify
  const stack = createTestStack();
  const alarms = new AlarmTopic(stack, 'Alarms');
  const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions: [alarms.alarmAction] });
  const template = Template.fromStack(stack);

  test('encrypted with a new key with rotation, TLS only', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('alarm topic Test/Alarms') });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the topic policy lets CloudWatch publish for this account\'s alarms only', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: CLOUDWATCH,
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' },
          },
        })]),
      },
    });
  });

  test('the key policy lets CloudWatch use the key for this account\'s alarms only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: CLOUDWATCH,
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' },
          },
        })]),
      },
    });
  });

  test('the alarm action notifies the topic; no warning about the topic', () => {
    expect(jobs.alarms.length).toBeGreaterThan(0);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }] });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cloudwatch.amazonaws.com'));
    expect(warnings).toEqual([]);
  });

  test('compliance: no finding of any of the five packs', () => {
    expectCompliant(stack);
  });

  test('a given key gets the CloudWatch statement and no key is created', () => {
    const own = createTestStack();
    const key = new kms.Key(own, 'Key', { enableKeyRotation: true });
    const topic = new AlarmTopic(own, 'Alarms', { encryptionKey: key, topicName: 'ops-alarms' });
    const t = Template.fromStack(own);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ops-alarms' });
    t.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: CLOUDWATCH })]) } });
    expect(topic.encryptionKey).toBe(key);
  });

  test('an environment-agnostic stack scopes the statements with the deploy-time account and region', () => {
    const agnostic = new Stack(createTestApp(), 'Agnostic');
    new AlarmTopic(agnostic, 'Alarms');
    Template.fromStack(agnostic).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: CLOUDWATCH,
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }])] } },
          },
        })]),
      },
    });
  });

  test('fails with the same topicName twice in a stack', () => {
    const dup = createTestStack();
    new AlarmTopic(dup, 'A', { topicName: 'ops' });
    expect(() => new AlarmTopic(dup, 'B', { topicName: 'ops' })).toThrow(/topicName must be unique among SNS topic names in an account and region, but 'ops' is already used by Test\/A/);
  });
});

describe('alarm actions to topics defined in the app', () => {
  test('warns when a topic\'s policy does not let CloudWatch publish', () => {
    // GIVEN a plain topic (its policy has only the TLS deny)
    const stack = createTestStack();
    const ops = new sns.Topic(stack, 'Ops', { enforceSSL: true });
    new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions: [new cloudwatchActions.SnsAction(ops)] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Test/Ops', Match.stringLikeRegexp('Test/Jobs/DeadLetterAlarm and 1 more alarms notify this topic, but its topic policy does not allow cloudwatch.amazonaws.com to publish'));
  });

  test('warns when the topic\'s key does not let CloudWatch use it', () => {
    const stack = createTestStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const ops = new sns.Topic(stack, 'Ops', { masterKey: key, enforceSSL: true });
    ops.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [ops.topicArn] }));
    new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions: [new cloudwatchActions.SnsAction(ops)] });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Test/Ops', Match.stringLikeRegexp('the policy of its key Test/Key does not let cloudwatch.amazonaws.com use it'));
    expect(annotations.findWarning('/Test/Ops', Match.stringLikeRegexp('topic policy does not allow'))).toEqual([]);
  });

  test('statements added after the alarms were wired count (the check runs at synth)', () => {
    const stack = createTestStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const ops = new sns.Topic(stack, 'Ops', { masterKey: key, enforceSSL: true });
    new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions: [new cloudwatchActions.SnsAction(ops)] });
    ops.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [ops.topicArn] }));
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cloudwatch.amazonaws.com'))).toEqual([]);
  });

  test('warns for a topic encrypted with the AWS managed key alias/aws/sns', () => {
    const stack = createTestStack();
    const ops = new sns.Topic(stack, 'Ops', { masterKey: kms.Alias.fromAliasName(stack, 'SnsKey', 'alias/aws/sns'), enforceSSL: true });
    new FanOutTopic(stack, 'Orders', { alarmActions: [new cloudwatchActions.SnsAction(ops)] });
    Annotations.fromStack(stack).hasWarning('/Test/Ops', Match.stringLikeRegexp('AWS managed key alias/aws/sns'));
  });

  test('a topic imported by ARN is not checked', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(stack, 'Ops', OPS_TOPIC_ARN))] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cloudwatch.amazonaws.com'))).toEqual([]);
  });

  test('a topic in another stack of the app is checked in its own stack', () => {
    const app = new App();
    const opsStack = new Stack(app, 'Ops', { env: { account: '123456789012', region: 'us-east-1' } });
    const appStack = new Stack(app, 'Work', { env: { account: '123456789012', region: 'us-east-1' } });
    const ops = new sns.Topic(opsStack, 'Topic');
    new BufferedQueueWithDlq(appStack, 'Jobs', { alarmActions: [new cloudwatchActions.SnsAction(ops)] });
    Annotations.fromStack(opsStack).hasWarning('/Ops/Topic', Match.stringLikeRegexp('Work/Jobs/DeadLetterAlarm'));
  });
});

describe('alarm action quota', () => {
  function opsActions(stack: Stack, n: number) {
    return Array.from({ length: n }, (_, i) => new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(stack, `Ops${i}`, `${OPS_TOPIC_ARN}-${i}`)));
  }

  test('fails with more than 5 actions per alarm state (alarmActions)', () => {
    const stack = createTestStack();
    expect(() => new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions: opsActions(stack, 6) }))
      .toThrow(/Test\/Jobs: alarmActions and addAlarmAction may give an alarm at most 5 actions per state \(CloudWatch's limit\), but Test\/Jobs\/DeadLetterAlarm would have 6 for ALARM/);
  });

  test('fails when addAlarmAction takes an alarm past 5 actions', () => {
    const stack = createTestStack();
    const orders = new FanOutTopic(stack, 'Orders', { alarmActions: opsActions(stack, 3) });
    const more = opsActions(new Stack(), 3);
    expect(() => orders.addAlarmAction(...more)).toThrow(/at most 5 actions per state.*would have 6/);
  });

  test('5 actions are allowed', () => {
    const stack = createTestStack();
    new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions: opsActions(stack, 5) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.arrayWith([`${OPS_TOPIC_ARN}-4`]) });
  });
});
