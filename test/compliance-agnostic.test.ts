/**
 * The README's compliance promise in the stacks users most often write: environment-agnostic (no account, no
 * region: region facts become CloudFormation mappings, the account a Token). With the props the README names
 * set, no construct leaves a finding, or a rule that cannot be evaluated, in any of the five packs.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AccountCloudWatchRole, ApiAuth, BufferedQueueWithDlq, FanOutTopic, HubTransitGateway, HybridVpn, ServerlessApi, StreamToRedshift,
  TableAccess, VpnTarget,
} from '../src';
import { createTestApp, createTestFunction, createTestVpc, expectCompliant } from './util';

/** An environment-agnostic stack with a rotating key and an alarm topic, as the README's compliance snippet has. */
function agnostic(): { stack: Stack; key: kms.Key; alarmActions: cloudwatchActions.SnsAction[] } {
  const stack = new Stack(createTestApp(), 'Agnostic');
  expect(stack.region.startsWith('${Token')).toBe(true);
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Ops', { masterKey: key, enforceSSL: true });
  return { stack, key, alarmActions: [new cloudwatchActions.SnsAction(topic)] };
}

describe('compliance in environment-agnostic stacks, with the README\'s props', () => {
  test('BufferedQueueWithDlq', () => {
    const { stack, alarmActions } = agnostic();
    new BufferedQueueWithDlq(stack, 'Jobs', { alarmActions });
    expectCompliant(stack);
  });

  test('FanOutTopic', () => {
    const { stack, alarmActions } = agnostic();
    new FanOutTopic(stack, 'Orders', { alarmActions }).addQueue('Processing');
    expectCompliant(stack);
  });

  test('StreamToRedshift (the workgroup\'s ingress is the Firehose CIDR from a mapping)', () => {
    const { stack, key, alarmActions } = agnostic();
    new StreamToRedshift(stack, 'Clicks', {
      table: { name: 'clicks', columns: [{ name: 'id', dataType: 'VARCHAR(64)' }] },
      encryptionKey: key,
      accessLogsBucket: s3.Bucket.fromBucketName(stack, 'LogArchive', 'central-log-archive'),
      alarmActions,
    });
    expectCompliant(stack);
  });

  test('HubTransitGateway with a spoke', () => {
    const { stack, key, alarmActions } = agnostic();
    const hub = new HubTransitGateway(stack, 'Hub', { logEncryptionKey: key, alarmActions });
    hub.attachVpc('Spoke', { vpc: createTestVpc(stack, 'Vpc', '10.0.0.0/16'), segment: 'default' });
    expectCompliant(stack);
  });

  test('HybridVpn to a VPC', () => {
    const { stack, key, alarmActions } = agnostic();
    new HybridVpn(stack, 'Office', {
      customerGatewayIp: '203.0.113.10', target: VpnTarget.vpc(createTestVpc(stack, 'Vpc', '10.0.0.0/16')), logEncryptionKey: key, alarmActions,
    });
    expectCompliant(stack);
  });

  test('ServerlessApi', () => {
    const { stack, key, alarmActions } = agnostic();
    const plan = backup.BackupPlan.daily35DayRetention(stack, 'Backups', new backup.BackupVault(stack, 'Vault', { encryptionKey: key }));
    const api = new ServerlessApi(stack, 'Orders', {
      table: { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } },
      auth: ApiAuth.apiKey(),
      cache: { ttl: Duration.minutes(5) },
      encryptionKey: key,
      backupPlan: plan,
      accountCloudWatchRole: AccountCloudWatchRole.EXISTING,
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/0123abcd-0123-4567-89ab-0123456789ab',
      alarmActions,
    });
    api.addRoute('GET', '/orders/{id}', createTestFunction(stack, 'GetOrder'), { access: TableAccess.READ });
    expectCompliant(stack);
  });
});
