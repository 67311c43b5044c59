import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BufferedQueueWithDlq, FanOutTopic, HubTransitGateway, HybridVpn, StreamToRedshift, VpnTarget } from '../src';
import { expectCompliantExceptPropCleared, TEST_ENV } from './util';

/**
 * Users' apps do not all carry the recommended feature flags: every construct, with the options that
 * create the most resources, must synthesize in an App without any.
 */
describe('without feature flags', () => {
  test('every construct synthesizes', () => {
    const stack = new Stack(new App(), 'Bare', { env: TEST_ENV });
    new BufferedQueueWithDlq(stack, 'Jobs', { largePayloads: true, fifo: true });
    const topic = new FanOutTopic(stack, 'Orders');
    topic.addQueue('Processing', { queue: { largePayloads: true } });
    topic.addEmail('ops@example.com');
    const hub = new HubTransitGateway(stack, 'Hub', { flowLogs: true, shareWith: ['210987654321'] });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    hub.attachVpc('Spoke', { vpc, segment: 'default' });
    hub.addPeering('Peer', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'default' });
    new HybridVpn(stack, 'Office', { customerGatewayIp: '203.0.113.10', target: VpnTarget.transitGateway(hub, 'default'), directConnect: { allowedPrefixes: ['10.0.0.0/8'] } });
    new StreamToRedshift(stack, 'Clicks', {
      table: { name: 'clicks', columns: [{ name: 'id', dataType: 'BIGINT' }] }, s3Backup: true, bufferingInterval: Duration.seconds(30),
    });
    const template = Template.fromStack(stack);
    expect(Object.keys(template.toJSON().Resources).length).toBeGreaterThan(100);
  });

  test('the constructs\' own resources stay compliant: e.g. the new workgroup VPC\'s default security group is closed', () => {
    const stack = new Stack(new App(), 'Bare', { env: TEST_ENV });
    new StreamToRedshift(stack, 'Clicks', { table: { name: 'clicks', columns: [{ name: 'id', dataType: 'BIGINT' }] } });
    Template.fromStack(stack).resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    expectCompliantExceptPropCleared(stack);
  });
});

describe('resource budget', () => {
  test('warns once when a stack nears the 500-resource limit, and not before', () => {
    const stack = new Stack(new App(), 'Big', { env: TEST_ENV });
    const topic = new FanOutTopic(stack, 'Orders');
    for (let i = 0; i < 4; i++) {
      topic.addQueue(`Q${i}`);
    }
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('CloudFormation allows 500'))).toHaveLength(0);
    const big = new Stack(new App(), 'Bigger', { env: TEST_ENV });
    const many = new FanOutTopic(big, 'Orders');
    for (let i = 0; i < 64; i++) {
      many.addQueue(`Q${i}`);
    }
    const warnings = Annotations.fromStack(big).findWarning('*', Match.stringLikeRegexp('holds \\d+ resources; CloudFormation allows 500 per stack'));
    expect(warnings).toHaveLength(1);
  });
});
