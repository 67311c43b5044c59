import { CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { HubPeeringOptions, HubTransitGateway, HubTransitGatewayProps, HybridVpn, VpnTarget } from '../../src';
import { HANDLER_TIMEOUT } from '../../src/core/private/handler-function';
import { createTestApp, createTestStack, createTestVpc, expectCompliant, expectCompliantExceptPropCleared, expectOnlyFindings, OPS_TOPIC_ARN, TEST_ENV } from '../util';

const TGW = 'AWS::EC2::TransitGateway';

/** Logical id of the route table of `segment` in a hub with id `hubId`. */
function routeTableId(template: Template, segment: string): string {
  const ids = Object.keys(template.findResources('AWS::EC2::TransitGatewayRouteTable')).filter((id) => id.includes(`Segment${segment}RouteTable`));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('HubTransitGateway defaults', () => {
  const stack = createTestStack();
  const hub = new HubTransitGateway(stack, 'Hub');
  const template = Template.fromStack(stack);

  test('ASN 64512, DNS and VPN ECMP on, auto-accept and multicast off', () => {
    template.hasResourceProperties(TGW, {
      AmazonSideAsn: 64512,
      DnsSupport: 'enable',
      VpnEcmpSupport: 'enable',
      AutoAcceptSharedAttachments: 'disable',
      MulticastSupport: 'disable',
    });
  });

  test('default route table association and propagation off', () => {
    template.hasResourceProperties(TGW, { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' });
  });

  test('one segment, "default", with its own route table', () => {
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 1);
    expect(hub.segmentNames).toEqual(['default']);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTable', { TransitGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'Id'] } });
  });

  test('not shared, no flow logs', () => {
    template.resourceCountIs('AWS::RAM::ResourceShare', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
  });

  test('alarms on packets dropped for no route and by blackhole routes', () => {
    for (const metricName of ['PacketDropCountNoRoute', 'PacketDropCountBlackhole']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/TransitGateway',
        MetricName: metricName,
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: [{ Name: 'TransitGateway', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'Id'] } }],
      });
    }
    expect(hub.alarms).toHaveLength(2);
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: no AwsSolutions finding', () => {
    expectOnlyFindings(stack, { CloudWatchAlarmAction: ['Hub/DroppedBlackholeAlarm', 'Hub/DroppedNoRouteAlarm'] });
  });
});

describe('three segments: prod and dev reach shared, not each other', () => {
  const stack = createTestStack();
  const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared', 'prod', 'dev'] });
  const sharedVpc = createTestVpc(stack, 'SharedVpc', '10.0.0.0/16');
  const prodVpc = createTestVpc(stack, 'ProdVpc', '10.1.0.0/16');
  const devVpc = createTestVpc(stack, 'DevVpc', '10.2.0.0/16', false);
  // attachments before and after the connections: the result must not depend on the order
  const prod = hub.attachVpc('Prod', { vpc: prodVpc, segment: 'prod' });
  hub.connectSegments('prod', 'shared');
  const shared = hub.attachVpc('Shared', { vpc: sharedVpc, segment: 'shared' });
  hub.connectSegments('dev', 'shared');
  const dev = hub.attachVpc('Dev', { vpc: devVpc, segment: 'dev' });
  const template = Template.fromStack(stack);
  const rt = { shared: routeTableId(template, 'shared'), prod: routeTableId(template, 'prod'), dev: routeTableId(template, 'dev') };

  function propagations(attachment: string): string[] {
    const all = template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation');
    return Object.values(all)
      .filter((p) => p.Properties.TransitGatewayAttachmentId['Fn::GetAtt'][0].startsWith(`Hub${attachment}`))
      .map((p) => p.Properties.TransitGatewayRouteTableId.Ref)
      .sort();
  }

  function routes(vpcPath: string): string[] {
    const all = template.findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue() } });
    return [...new Set(Object.values(all)
      .filter((r) => r.Properties.RouteTableId.Ref.startsWith(vpcPath))
      .map((r) => r.Properties.DestinationCidrBlock as string))].sort();
  }

  test('each attachment is associated with its segment', () => {
    for (const [attachment, segment] of [[prod, 'prod'], [shared, 'shared'], [dev, 'dev']] as const) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
        TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^Hub${attachment.node.id}`), 'Id'] },
        TransitGatewayRouteTableId: { Ref: rt[segment] },
      });
    }
  });

  test('propagation: shared into all three, prod and dev into their own and shared', () => {
    expect(propagations('Shared')).toEqual([rt.dev, rt.prod, rt.shared].sort());
    expect(propagations('Prod')).toEqual([rt.prod, rt.shared].sort());
    expect(propagations('Dev')).toEqual([rt.dev, rt.shared].sort());
  });

  test('spoke routes: prod and dev to shared only, shared to both', () => {
    expect(routes('ProdVpc')).toEqual(['10.0.0.0/16']);
    expect(routes('DevVpc')).toEqual(['10.0.0.0/16']);
    expect(routes('SharedVpc')).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
  });

  test('a route in every private and isolated route table, after the attachment exists', () => {
    // prod: 2 AZ x 2 isolated groups = 4 route tables, 1 CIDR
    const prodRoutes = template.findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue(), RouteTableId: { Ref: Match.stringLikeRegexp('^ProdVpc') } } });
    expect(Object.keys(prodRoutes)).toHaveLength(4);
    for (const route of Object.values(prodRoutes)) {
      expect(route.DependsOn).toEqual([expect.stringMatching(/^HubProd/)]);
    }
  });

  test('dedicated transit subnets are chosen when the VPC has them, private ones otherwise', () => {
    const subnetsOf = (id: string) => template.toJSON().Resources[Object.keys(template.findResources('AWS::EC2::TransitGatewayAttachment')).find((k) => k.startsWith(`Hub${id}`))!].Properties.SubnetIds;
    expect(subnetsOf('Prod')).toEqual([{ Ref: Match.stringLikeRegexp('transitSubnet1') }, { Ref: Match.stringLikeRegexp('transitSubnet2') }].map(() => expect.objectContaining({ Ref: expect.stringMatching(/^ProdVpctransitSubnet/) })));
    expect(subnetsOf('Dev')).toEqual([expect.objectContaining({ Ref: expect.stringMatching(/^DevVpcappSubnet1/) }), expect.objectContaining({ Ref: expect.stringMatching(/^DevVpcappSubnet2/) })]);
  });

  test('attachment options: DNS on, appliance mode off', () => {
    template.allResourcesProperties('AWS::EC2::TransitGatewayAttachment', {
      Options: { ApplianceModeSupport: 'disable', DnsSupport: 'enable', Ipv6Support: 'disable' },
    });
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('compliance: no AwsSolutions finding', () => {
    expectCompliantExceptPropCleared(stack);
  });
});

describe('HubTransitGateway options', () => {
  test('fully customised: ASN, description, sharing, flow logs and handler logs under a key, no alarms', () => {
    const stack = createTestStack();
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    const hub = new HubTransitGateway(stack, 'Hub', {
      logEncryptionKey: key,
      amazonSideAsn: 4_200_000_000,
      description: 'Network hub',
      dnsSupport: false,
      vpnEcmpSupport: false,
      autoAcceptSharedAttachments: true,
      shareWith: ['210987654321', 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij'],
      flowLogs: true,
      flowLogsRetention: logs.RetentionDays.ONE_MONTH,
      alarms: false,
    });
    hub.addPeering('Europe', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'default' });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(2);
    for (const group of logGroups) {
      expect(group.Properties.KmsKeyId).toEqual(keyArn);
    }
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties(TGW, {
      AmazonSideAsn: 4200000000, Description: 'Network hub', DnsSupport: 'disable', VpnEcmpSupport: 'disable', AutoAcceptSharedAttachments: 'enable',
    });
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      AllowExternalPrincipals: false,
      Principals: ['210987654321', 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij'],
      ResourceArns: [{ 'Fn::Join': ['', ['arn:aws:ec2:us-east-1:123456789012:transit-gateway/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'Id'] }]] }],
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'TransitGateway', LogDestinationType: 'cloud-watch-logs', MaxAggregationInterval: 60,
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(hub.resourceShare).toBeDefined();
    expect(template.toJSON()).toMatchSnapshot();
    expectCompliant(stack);
  });

  test('alarmActions reach every alarm and clear the alarm-action finding', () => {
    const stack = createTestStack();
    new HubTransitGateway(stack, 'Hub', { alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(stack, 'Ops', OPS_TOPIC_ARN))] });
    Template.fromStack(stack).allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [OPS_TOPIC_ARN], OKActions: [OPS_TOPIC_ARN] });
    expectCompliant(stack);
  });

  test('explicit vpcRoutes replace the computed ones; an empty list adds none', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.attachVpc('A', { vpc: createTestVpc(stack, 'AVpc', '10.1.0.0/16'), segment: 'default', vpcRoutes: ['10.0.0.0/8'] });
    hub.attachVpc('B', { vpc: createTestVpc(stack, 'BVpc', '10.2.0.0/16'), segment: 'default', vpcRoutes: [] });
    const template = Template.fromStack(stack);
    const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue() } }));
    expect(routes.every((r) => r.Properties.DestinationCidrBlock === '10.0.0.0/8' && r.Properties.RouteTableId.Ref.startsWith('AVpc'))).toBe(true);
    expect(routes).toHaveLength(4);
  });

  test('applianceMode and explicit subnets', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = createTestVpc(stack, 'Inspection', '10.9.0.0/16');
    hub.attachVpc('Inspection', { vpc, segment: 'default', applianceMode: true, subnets: { subnetGroupName: 'app' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', {
      Options: Match.objectLike({ ApplianceModeSupport: 'enable' }),
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^InspectionappSubnet1') }, { Ref: Match.stringLikeRegexp('^InspectionappSubnet2') }],
    });
  });

  test('static and blackhole routes', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub', { segments: ['prod'] });
    const prod = hub.attachVpc('Prod', { vpc: createTestVpc(stack, 'ProdVpc', '10.1.0.0/16'), segment: 'prod' });
    hub.addStaticRoute('prod', '0.0.0.0/0', prod.transitGatewayAttachmentId);
    hub.addBlackholeRoute('prod', '10.99.0.0/16');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
      DestinationCidrBlock: '0.0.0.0/0', TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubProd'), 'Id'] },
    });
    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', { DestinationCidrBlock: '10.99.0.0/16', Blackhole: true });
  });

  test('a VPC in another stack of the same app', () => {
    const app = createTestApp();
    const networkStack = new Stack(app, 'Network', { env: TEST_ENV });
    const appStack = new Stack(app, 'Workload', { env: TEST_ENV });
    const hub = new HubTransitGateway(networkStack, 'Hub');
    hub.attachVpc('Workload', { vpc: createTestVpc(appStack, 'Vpc', '10.5.0.0/16'), segment: 'default' });
    hub.attachVpc('Other', { vpc: createTestVpc(appStack, 'Vpc2', '10.6.0.0/16'), segment: 'default' });
    const template = Template.fromStack(networkStack);
    template.resourceCountIs('AWS::EC2::TransitGatewayAttachment', 2);
    template.hasResourceProperties('AWS::EC2::Route', { DestinationCidrBlock: '10.6.0.0/16', RouteTableId: Match.objectLike({}) });
    expect(networkStack.dependencies).toContain(appStack);
    Template.fromStack(appStack);
  });

  test('an imported VPC whose CIDR is a Token: routed by reference, not overlap-checked', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-12345678',
      vpcCidrBlock: Fn.importValue('LegacyVpcCidr'),
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: ['subnet-1111', 'subnet-2222'],
      isolatedSubnetRouteTableIds: ['rtb-1111', 'rtb-2222'],
    });
    hub.attachVpc('Legacy', { vpc: imported, segment: 'default' });
    hub.attachVpc('New', { vpc: createTestVpc(stack, 'NewVpc', '10.0.0.0/16'), segment: 'default' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::TransitGatewayAttachment', { VpcId: 'vpc-12345678', SubnetIds: ['subnet-1111', 'subnet-2222'] });
    template.hasResourceProperties('AWS::EC2::Route', { RouteTableId: { Ref: Match.stringLikeRegexp('^NewVpc') }, DestinationCidrBlock: { 'Fn::ImportValue': 'LegacyVpcCidr' } });
    template.hasResourceProperties('AWS::EC2::Route', { RouteTableId: 'rtb-1111', DestinationCidrBlock: '10.0.0.0/16' });
  });

  test('addAlarmAction reaches both alarms', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.addAlarmAction(new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Ops')));
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    expect(Object.values(alarms).map((a) => a.Properties.AlarmActions)).toEqual([
      [expect.objectContaining({ Ref: expect.stringMatching(/^Ops/) })], [expect.objectContaining({ Ref: expect.stringMatching(/^Ops/) })],
    ]);
  });

  test('warns when spoke routes near the route table quota', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.200.0.0/16'),
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const vpcRoutes = Array.from({ length: 46 }, (_, i) => `10.${i}.0.0/16`);
    hub.attachVpc('Spoke', { vpc, segment: 'default', vpcRoutes });
    Annotations.fromStack(stack).hasWarning('/Test/Hub/Spoke', Match.stringLikeRegexp('46 routes to the hub.*default quota is 50'));
  });
});

describe('peering with a hub in another region', () => {
  const stack = createTestStack();
  const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared'] });
  const peering = hub.addPeering('Europe', {
    peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'shared', peerCidrs: ['10.100.0.0/16'],
  });
  const template = Template.fromStack(stack);
  const acceptanceId = Object.keys(template.findResources('Custom::TransitGatewayPeeringAcceptance'))[0];

  test('the peering attachment, in this account by default', () => {
    template.hasResourceProperties('AWS::EC2::TransitGatewayPeeringAttachment', {
      PeerTransitGatewayId: 'tgw-0123456789abcdef0',
      PeerRegion: 'eu-west-1',
      PeerAccountId: '123456789012',
      TransitGatewayId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Hub'), 'Id'] },
    });
    expect(peering.acceptance).toBeDefined();
  });

  test('acceptance in the peer region, then association and static routes', () => {
    template.hasResourceProperties('Custom::TransitGatewayPeeringAcceptance', {
      PeerRegion: 'eu-west-1', AttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubEurope'), 'TransitGatewayAttachmentId'] },
    });
    template.hasResource('AWS::EC2::TransitGatewayRouteTableAssociation', { DependsOn: [acceptanceId] });
    template.hasResource('AWS::EC2::TransitGatewayRoute', { Properties: { DestinationCidrBlock: '10.100.0.0/16' }, DependsOn: [acceptanceId] });
  });

  test('the acceptor may accept exactly this attachment; Describe is the only action on "*"', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ec2:DescribeTransitGatewayPeeringAttachments', Resource: '*' }),
          Match.objectLike({
            Action: 'ec2:AcceptTransitGatewayPeeringAttachment',
            Resource: { 'Fn::Join': ['', ['arn:aws:ec2:eu-west-1:123456789012:transit-gateway-attachment/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubEurope'), 'TransitGatewayAttachmentId'] }]] },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: HANDLER_TIMEOUT.toSeconds(), Runtime: 'nodejs24.x' });
  });

  test('compliance: no AwsSolutions finding (the Describe wildcard is acknowledged with its reason)', () => {
    expectCompliantExceptPropCleared(stack);
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0];
    // cdk-nag v2 reads a granular acknowledgment as the rule id with applies_to.
    expect(policy.Metadata.cdk_nag.rules_to_suppress).toEqual([expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] })]);
  });

  test('a peer in another account: no acceptance, and accepting it here is an error', () => {
    const other = createTestStack();
    const otherHub = new HubTransitGateway(other, 'Hub');
    const crossAccount = otherHub.addPeering('Partner', {
      peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', peerAccountId: '210987654321', segment: 'default',
    });
    expect(crossAccount.acceptance).toBeUndefined();
    Template.fromStack(other).resourceCountIs('Custom::TransitGatewayPeeringAcceptance', 0);
    expect(() => otherHub.addPeering('Forced', {
      peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', peerAccountId: '210987654321', segment: 'default', accept: true,
    })).toThrow(/accept is possible only for a peer in this account \(123456789012\), but peerAccountId '210987654321'/);
  });

  test.each([
    ['fails with a malformed region', { peerRegion: 'europe' }, /peerRegion must be a region name such as eu-west-1, but 'europe'/],
    ['fails with the hub\'s own region', { peerRegion: 'us-east-1' }, /peerRegion must differ from the hub's region \(us-east-1\)/],
    ['fails with a malformed peer TGW ID', { peerTransitGatewayId: 'tgw-xyz' }, /peerTransitGatewayId must look like tgw-0123456789abcdef0, but 'tgw-xyz'/],
    ['fails with a malformed peer account', { peerAccountId: '12345' }, /peerAccountId must be a 12-digit account ID, but '12345'/],
    ['fails with a malformed peer CIDR', { peerCidrs: ['10.0.0.0/40'] }, /addPeering peerCidrs destinationCidrBlock must be an IPv4 CIDR block/],
    ['fails with an unknown segment', { segment: 'prod' }, /segment must be one of default, but 'prod'/],
  ] as Array<[string, Partial<HubPeeringOptions>, RegExp]>)('%s', (_name, override, message) => {
    const hubB = new HubTransitGateway(createTestStack(), 'Hub');
    expect(() => hubB.addPeering('Peer', {
      peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'default', ...override,
    })).toThrow(message);
  });
});

describe('HubTransitGateway validation', () => {
  const cases: Array<[string, HubTransitGatewayProps, RegExp]> = [
    ['fails with an ASN below the private range', { amazonSideAsn: 64511 }, /amazonSideAsn must be a whole number in 64512-65534 or 4200000000-4294967294, but 64511 was provided/],
    ['fails with an ASN between the ranges', { amazonSideAsn: 65535 }, /amazonSideAsn must be .*but 65535 was provided/],
    ['fails with an ASN above the 32-bit range', { amazonSideAsn: 4294967295 }, /amazonSideAsn must be .*but 4294967295 was provided/],
    ['fails with no segment', { segments: [] }, /segments must name at least one segment/],
    ['fails with a duplicate segment', { segments: ['prod', 'prod'] }, /segments names must be unique, but 'prod' was provided twice/],
    ['fails with an invalid segment name', { segments: ['prod env'] }, /segments names must start with a letter.*'prod env'/],
    ['fails with an invalid share principal', { shareWith: ['12345'] }, /shareWith must hold 12-digit account IDs.*'12345'/],
    ['fails with an empty share list', { shareWith: [] }, /shareWith must list at least one principal/],
    ['fails with flowLogsRetention without flowLogs', { flowLogsRetention: logs.RetentionDays.ONE_DAY }, /flowLogsRetention applies only with flowLogs true/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    expect(() => new HubTransitGateway(createTestStack(), 'Hub', props)).toThrow(message);
  });

  test('accepts the range edges', () => {
    for (const asn of [64512, 65534, 4200000000, 4294967294]) {
      expect(() => new HubTransitGateway(createTestStack(), 'Hub', { amazonSideAsn: asn })).not.toThrow();
    }
  });

  test('fails with an unknown segment', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub', { segments: ['prod', 'dev'] });
    expect(() => hub.attachVpc('X', { vpc: createTestVpc(stack, 'Vpc', '10.0.0.0/16'), segment: 'test' })).toThrow(/segment must be one of prod, dev, but 'test' was provided/);
    expect(() => hub.connectSegments('prod', 'qa')).toThrow(/segment must be one of prod, dev, but 'qa' was provided/);
  });

  test('fails when a segment is connected to itself', () => {
    const hub = new HubTransitGateway(createTestStack(), 'Hub');
    expect(() => hub.connectSegments('default', 'default')).toThrow(/connectSegments needs two different segments/);
  });

  test('fails with a VPC attached twice', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = createTestVpc(stack, 'Vpc', '10.0.0.0/16');
    hub.attachVpc('A', { vpc, segment: 'default' });
    expect(() => hub.attachVpc('B', { vpc, segment: 'default' })).toThrow(/Test\/Vpc is attached already.*attached again as 'B'/);
  });

  test('fails with two subnets in one AZ', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = createTestVpc(stack, 'Vpc', '10.0.0.0/16');
    expect(() => hub.attachVpc('A', { vpc, segment: 'default', subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }))
      .toThrow(/subnets must be one per Availability Zone, but Test\/Vpc\/\w+ and Test\/Vpc\/\w+ are both in \S+/);
  });

  test('fails with overlapping CIDRs in one segment', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.attachVpc('A', { vpc: createTestVpc(stack, 'A', '10.0.0.0/16'), segment: 'default' });
    expect(() => hub.attachVpc('B', { vpc: createTestVpc(stack, 'B', '10.0.128.0/17'), segment: 'default' }))
      .toThrow(/must not overlap.*Test\/B \(10.0.128.0\/17\) overlaps Test\/A \(10.0.0.0\/16\)/);
  });

  test('overlapping CIDRs are fine in isolated segments, and an error once they are connected', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub', { segments: ['prod', 'dev'] });
    hub.attachVpc('A', { vpc: createTestVpc(stack, 'A', '10.0.0.0/16'), segment: 'prod' });
    hub.attachVpc('B', { vpc: createTestVpc(stack, 'B', '10.0.0.0/16'), segment: 'dev' });
    expect(() => hub.connectSegments('prod', 'dev')).toThrow(/must not overlap/);
  });

  test('fails with a malformed route CIDR', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    expect(() => hub.addBlackholeRoute('default', '10.0.0/16')).toThrow(/addBlackholeRoute destinationCidrBlock must be an IPv4 CIDR block.*'10.0.0\/16'/);
    expect(() => hub.addStaticRoute('default', '10.0.0.0/33', 'tgw-attach-1')).toThrow(/addStaticRoute destinationCidrBlock must be an IPv4 CIDR block/);
    expect(() => hub.attachVpc('A', { vpc: createTestVpc(stack, 'A', '10.0.0.0/16'), segment: 'default', vpcRoutes: ['10.0.0.0'] }))
      .toThrow(/vpcRoutes must hold IPv4 CIDR blocks.*'10.0.0.0' was provided for 'A'/);
  });
});

/** The destinations routed to the hub from the route tables of the VPC whose logical ids start with `vpcPrefix`. */
function spokeRoutes(template: Template, vpcPrefix: string): string[] {
  const all = template.findResources('AWS::EC2::Route', { Properties: { TransitGatewayId: Match.anyValue() } });
  return [...new Set(Object.values(all)
    .filter((r) => JSON.stringify(r.Properties.RouteTableId).includes(`"${vpcPrefix}`))
    .map((r) => r.Properties.DestinationCidrBlock as string))].sort();
}

/** The Transit Gateway routes to `cidr`, as the logical ids of the route tables that hold them. */
function tgwRouteTables(template: Template, cidr: string): string[] {
  return Object.values(template.findResources('AWS::EC2::TransitGatewayRoute', { Properties: { DestinationCidrBlock: cidr } }))
    .map((r) => r.Properties.TransitGatewayRouteTableId.Ref as string).sort();
}

describe('peering: deploy order and accounts (issue 14 item 1)', () => {
  const peer = { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'default', peerCidrs: ['10.100.0.0/16'] };

  test('a peer in another account: nothing that needs an accepted attachment until peerAccepted', () => {
    // GIVEN a cross-account peering the peer has not accepted yet
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.attachVpc('Spoke', { vpc: createTestVpc(stack, 'SpokeVpc', '10.1.0.0/16'), segment: 'default' });
    const peering = hub.addPeering('Partner', { ...peer, peerAccountId: '210987654321' });
    // THEN only the attachment: no association, no Transit Gateway route, no spoke route to the peer
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::TransitGatewayPeeringAttachment', 1);
    expect(peering.associated).toBe(false);
    expect(Object.keys(template.findResources('AWS::EC2::TransitGatewayRouteTableAssociation')).filter((k) => k.startsWith('HubPartner'))).toEqual([]);
    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 0);
    expect(spokeRoutes(template, 'SpokeVpc')).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Test/Hub/Partner', Match.stringLikeRegexp('pendingAcceptance.*set peerAccepted to true'));
  });

  test('peerAccepted: the association and routes, with no acceptance here', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.addPeering('Partner', { ...peer, peerAccountId: '210987654321', peerAccepted: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::TransitGatewayPeeringAcceptance', 0);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubPartner'), 'TransitGatewayAttachmentId'] },
    });
    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', { DestinationCidrBlock: '10.100.0.0/16' });
  });

  test('an environment-agnostic stack: a foreign peerAccountId turns acceptance off, and forcing it is an error', () => {
    // GIVEN a stack without an account: the peer's account cannot be compared with it
    const stack = new Stack(createTestApp(), 'Agnostic');
    const hub = new HubTransitGateway(stack, 'Hub');
    const peering = hub.addPeering('Partner', { ...peer, peerAccountId: '210987654321' });
    expect(peering.acceptance).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('Custom::TransitGatewayPeeringAcceptance', 0);
    expect(() => hub.addPeering('Forced', { ...peer, peerAccountId: '210987654321', accept: true }))
      .toThrow(/addPeering accept needs the peer to be known to be in this account, but peerAccountId '210987654321' cannot be compared/);
    // A peer in this account (peerAccountId unset) is still accepted here.
    expect(hub.addPeering('Own', { ...peer, peerTransitGatewayId: 'tgw-0123456789abcdef1', peerCidrs: ['10.101.0.0/16'] }).acceptance).toBeDefined();
  });

  test('fails with a second peering to the same Transit Gateway (one per pair, not adjustable)', () => {
    const hub = new HubTransitGateway(createTestStack(), 'Hub', { segments: ['a', 'b'] });
    hub.addPeering('First', { ...peer, segment: 'a' });
    expect(() => hub.addPeering('Second', { ...peer, segment: 'b', peerCidrs: ['10.101.0.0/16'] }))
      .toThrow(/addPeering peerTransitGatewayId tgw-0123456789abcdef0 is peered already by Test\/Hub\/First.*peered again as 'Second'/);
  });

  test('fails with peerAccepted while this stack accepts', () => {
    const hub = new HubTransitGateway(createTestStack(), 'Hub');
    expect(() => hub.addPeering('Peer', { ...peer, peerAccepted: true })).toThrow(/addPeering peerAccepted applies only with accept false/);
  });
});

describe('routing through the hub in both directions (issue 20 items 1 and 4)', () => {
  // shared <-> prod connected first, dev connected after the peering: the result must not depend on the order
  const stack = createTestStack();
  const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared', 'prod', 'dev', 'isolated'] });
  hub.connectSegments('prod', 'shared');
  hub.attachVpc('Shared', { vpc: createTestVpc(stack, 'SharedVpc', '10.0.0.0/16'), segment: 'shared' });
  hub.attachVpc('Prod', { vpc: createTestVpc(stack, 'ProdVpc', '10.1.0.0/16'), segment: 'prod', additionalVpcRoutes: ['172.16.0.0/12'] });
  hub.attachVpc('Isolated', { vpc: createTestVpc(stack, 'IsolatedVpc', '10.9.0.0/16'), segment: 'isolated' });
  const peering = hub.addPeering('Europe', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'shared', peerCidrs: ['10.100.0.0/16'] });
  hub.connectSegments('dev', 'shared');
  const devVpc = createTestVpc(stack, 'DevVpc', '10.2.0.0/16');
  new ec2.CfnVPCCidrBlock(devVpc, 'Secondary', { vpcId: devVpc.vpcId, cidrBlock: '100.64.0.0/16' });
  hub.attachVpc('Dev', { vpc: devVpc, segment: 'dev' });
  const template = Template.fromStack(stack);
  const rt = (segment: string) => routeTableId(template, segment);

  test('the peer range is routed to the peering in its segment and every segment connected to it, after the acceptance', () => {
    expect(tgwRouteTables(template, '10.100.0.0/16')).toEqual([rt('dev'), rt('prod'), rt('shared')].sort());
    const acceptance = Object.keys(template.findResources('Custom::TransitGatewayPeeringAcceptance'))[0];
    for (const route of Object.values(template.findResources('AWS::EC2::TransitGatewayRoute', { Properties: { DestinationCidrBlock: '10.100.0.0/16' } }))) {
      expect(route.Properties.TransitGatewayAttachmentId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HubEurope/), 'TransitGatewayAttachmentId'] });
      expect(route.DependsOn).toEqual([acceptance]);
    }
    expect(peering.associated).toBe(true);
  });

  test('the way back: the peering is associated with shared, where prod and dev propagate', () => {
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubEurope'), 'TransitGatewayAttachmentId'] },
      TransitGatewayRouteTableId: { Ref: rt('shared') },
    });
    for (const spoke of ['Prod', 'Dev']) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
        TransitGatewayAttachmentId: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^Hub${spoke}`), 'Id'] },
        TransitGatewayRouteTableId: { Ref: rt('shared') },
      });
    }
  });

  test('spokes get what the hub knows: VPC CIDRs (secondary ones too), peer ranges, merged with additionalVpcRoutes', () => {
    expect(spokeRoutes(template, 'SharedVpc')).toEqual(['10.1.0.0/16', '10.100.0.0/16', '10.2.0.0/16', '100.64.0.0/16']);
    expect(spokeRoutes(template, 'ProdVpc')).toEqual(['10.0.0.0/16', '10.100.0.0/16', '172.16.0.0/12']);
    expect(spokeRoutes(template, 'DevVpc')).toEqual(['10.0.0.0/16', '10.100.0.0/16']);
    expect(spokeRoutes(template, 'IsolatedVpc')).toEqual([]);
    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 3);
  });

  test('compliance: no finding of any of the five packs', () => {
    expectCompliantExceptPropCleared(stack);
  });
});

describe('one attachment per VPC, regions and accounts (issue 14 items 4 and 5)', () => {
  const imported = (stack: Stack, id: string, props: Partial<ec2.VpcAttributes> = {}) => ec2.Vpc.fromVpcAttributes(stack, id, {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.7.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    isolatedSubnetIds: ['subnet-1111', 'subnet-2222'],
    isolatedSubnetRouteTableIds: ['rtb-1111', 'rtb-2222'],
    ...props,
  });

  test('fails with a VPC imported twice by the same ID, even into isolated segments', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub', { segments: ['a', 'b'] });
    hub.attachVpc('First', { vpc: imported(stack, 'One'), segment: 'a' });
    expect(() => hub.attachVpc('Second', { vpc: imported(stack, 'Two'), segment: 'b' }))
      .toThrow(/attachVpc: vpc-0123456789abcdef0 is attached already as Test\/Hub\/First.*attached again as 'Second'/);
  });

  test('fails with a VPC of another region', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    expect(() => hub.attachVpc('Eu', { vpc: imported(stack, 'Eu', { region: 'eu-west-1' }), segment: 'default' }))
      .toThrow(/attachVpc 'Eu': Test\/Eu is in region eu-west-1, but a Transit Gateway attaches VPCs of its own region \(us-east-1\).*addPeering/);
  });

  test('fails with a VPC of another account, naming shareWith and associateAttachment', () => {
    const app = createTestApp();
    const network = new Stack(app, 'Network', { env: TEST_ENV });
    const other = new Stack(app, 'Other', { env: { account: '210987654321', region: 'us-east-1' } });
    const hub = new HubTransitGateway(network, 'Hub');
    expect(() => hub.attachVpc('Other', { vpc: createTestVpc(other, 'Vpc', '10.8.0.0/16'), segment: 'default' }))
      .toThrow(/attachVpc 'Other': Other\/Vpc is in account 210987654321, but the hub is in 123456789012: share the hub.*shareWith.*associateAttachment/);
  });

  test('fails when a spoke overlaps another spoke\'s secondary CIDR block', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const a = createTestVpc(stack, 'A', '10.1.0.0/16');
    new ec2.CfnVPCCidrBlock(stack, 'ASecondary', { vpcId: a.vpcId, cidrBlock: '100.64.0.0/16' });
    hub.attachVpc('A', { vpc: a, segment: 'default' });
    expect(() => hub.attachVpc('B', { vpc: createTestVpc(stack, 'B', '100.64.128.0/17'), segment: 'default' }))
      .toThrow(/must not overlap.*Test\/B \(100.64.128.0\/17\) overlaps Test\/A \(100.64.0.0\/16\)/);
  });

  test('fails at synth with a secondary CIDR block attachVpc did not see', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = createTestVpc(stack, 'Vpc', '10.1.0.0/16');
    hub.attachVpc('Spoke', { vpc, segment: 'default' });
    new ec2.CfnVPCCidrBlock(vpc, 'Later', { vpcId: vpc.vpcId, cidrBlock: '100.64.0.0/16' });
    expect(() => Template.fromStack(stack)).toThrow(/attachVpc 'Spoke': Test\/Vpc has the secondary CIDR block 100.64.0.0\/16, which attachVpc did not see/);
  });

  test('fails with a static route and a blackhole route for the same prefix in one segment', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const spoke = hub.attachVpc('Spoke', { vpc: createTestVpc(stack, 'Vpc', '10.1.0.0/16'), segment: 'default' });
    hub.addStaticRoute('default', '0.0.0.0/0', spoke.transitGatewayAttachmentId);
    expect(() => hub.addBlackholeRoute('default', '0.0.0.0/0'))
      .toThrow(/addBlackholeRoute destinationCidrBlock: the route table of segment 'default' has a static route added with addStaticRoute .* to 0.0.0.0\/0 already/);
  });

  test('fails when a peering route collides with a blackhole of a segment connected later', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared', 'prod'] });
    hub.addBlackholeRoute('prod', '10.100.0.0/16');
    hub.addPeering('Europe', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'shared', peerCidrs: ['10.100.0.0/16'] });
    expect(() => hub.connectSegments('prod', 'shared')).toThrow(/addPeering peerCidrs: the route table of segment 'prod' has a blackhole route to 10.100.0.0\/16 already/);
  });
});

describe('spoke routes only where the attachment reaches (issue 20 item 3)', () => {
  test('route tables of subnets in AZs without an attachment subnet get no route, and a warning names them', () => {
    // GIVEN an attachment in the first AZ only
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = createTestVpc(stack, 'Vpc', '10.1.0.0/16');
    const covered = vpc.isolatedSubnets.filter((s) => s.availabilityZone === vpc.availabilityZones[0]);
    hub.attachVpc('Spoke', { vpc, segment: 'default', subnets: { subnets: [covered.find((s) => s.node.id.startsWith('transit'))!] } });
    hub.attachVpc('Other', { vpc: createTestVpc(stack, 'OtherVpc', '10.2.0.0/16'), segment: 'default' });
    // THEN only the route tables of the first AZ's subnets route to the hub
    const template = Template.fromStack(stack);
    const routed = Object.values(template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '10.2.0.0/16' } }))
      .map((r) => r.Properties.RouteTableId.Ref as string).sort();
    expect(routed).toEqual(covered.map((s) => stack.resolve(s.routeTable.routeTableId).Ref).sort());
    Annotations.fromStack(stack).hasWarning('/Test/Hub/Spoke', Match.stringLikeRegexp(`transitSubnet2 \\(${vpc.availabilityZones[1]}\\) cannot reach the hub: the attachment has no subnet in their Availability Zone`));
  });
});

describe('attachments of accounts the hub is shared with (issue 20 item 5)', () => {
  const stack = createTestStack();
  const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared', 'prod'], shareWith: ['210987654321'] });
  hub.connectSegments('prod', 'shared');
  hub.attachVpc('Prod', { vpc: createTestVpc(stack, 'ProdVpc', '10.1.0.0/16'), segment: 'prod' });
  const association = hub.associateAttachment('Partner', {
    transitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0', segment: 'shared', remoteCidrs: ['10.50.0.0/16'],
  });
  const template = Template.fromStack(stack);

  test('associated with its segment and propagated where the segment reaches', () => {
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0', TransitGatewayRouteTableId: { Ref: routeTableId(template, 'shared') },
    });
    const propagated = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation', { Properties: { TransitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0' } }))
      .map((p) => p.Properties.TransitGatewayRouteTableId.Ref).sort();
    expect(propagated).toEqual([routeTableId(template, 'prod'), routeTableId(template, 'shared')].sort());
    expect(association.segment).toBe('shared');
  });

  test('the spokes that reach it route its CIDRs to the hub', () => {
    expect(spokeRoutes(template, 'ProdVpc')).toEqual(['10.50.0.0/16']);
  });

  test.each([
    ['fails with a malformed attachment ID', { transitGatewayAttachmentId: 'vpc-123' }, /associateAttachment transitGatewayAttachmentId must look like tgw-attach-0123456789abcdef0, but 'vpc-123'/],
    ['fails with the same attachment twice', {}, /associateAttachment: tgw-attach-0123456789abcdef0 is associated already by Test\/Hub\/Partner/],
    ['fails with a malformed remote CIDR', { transitGatewayAttachmentId: 'tgw-attach-0123456789abcdef1', remoteCidrs: ['10.0.0.0/33'] }, /associateAttachment remoteCidrs destinationCidrBlock must be an IPv4 CIDR block/],
  ])('%s', (_name, override, message) => {
    expect(() => hub.associateAttachment('Again', { transitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0', segment: 'shared', ...override })).toThrow(message);
  });
});

describe('hub details that deploy as documented (issues 14 item 9, 20 item 6)', () => {
  test('attachments follow the hub\'s dnsSupport', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub', { dnsSupport: false });
    hub.attachVpc('Spoke', { vpc: createTestVpc(stack, 'Vpc', '10.1.0.0/16'), segment: 'default' });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayAttachment', { Options: Match.objectLike({ DnsSupport: 'disable' }) });
  });

  test('warns with more segments than the default route table quota (20, adjustable)', () => {
    const stack = createTestStack();
    new HubTransitGateway(stack, 'Hub', { segments: Array.from({ length: 21 }, (_, i) => `s${i}`) });
    Annotations.fromStack(stack).hasWarning('/Test/Hub', Match.stringLikeRegexp('21 segments need 21 Transit Gateway route tables; the default quota is 20'));
  });

  test('Name tags stay within 256 characters, deterministically', () => {
    const stack = createTestStack('S'.repeat(120));
    const id = 'A'.repeat(200);
    const hub = new HubTransitGateway(stack, id, { segments: ['s'.repeat(63)] });
    hub.attachVpc(id, { vpc: createTestVpc(stack, 'Vpc', '10.1.0.0/16'), segment: 's'.repeat(63) });
    const names = (type: string) => Object.values(Template.fromStack(stack).findResources(type))
      .map((r) => r.Properties.Tags.find((t: { Key: string }) => t.Key === 'Name').Value as string);
    for (const type of [TGW, 'AWS::EC2::TransitGatewayAttachment']) {
      const [name] = names(type);
      expect(name.length).toBe(256);
      expect(name).toMatch(/^S{120}-A+-[0-9a-f]{8}$/);
    }
  });
});

describe('HubTransitGateway in an environment-agnostic stack', () => {
  test('segments, spokes, a peering and a VPN synthesize without an account or region', () => {
    const stack = new Stack(createTestApp(), 'Agnostic');
    const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared', 'prod'] });
    hub.connectSegments('prod', 'shared');
    hub.attachVpc('Prod', { vpc: createTestVpc(stack, 'ProdVpc', '10.1.0.0/16'), segment: 'prod' });
    hub.addPeering('Europe', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'shared', peerCidrs: ['10.100.0.0/16'] });
    new HybridVpn(stack, 'Office', { customerGatewayIp: '203.0.113.10', target: VpnTarget.transitGateway(hub, 'shared'), staticRoutes: ['192.168.0.0/16'] });
    const template = Template.fromStack(stack);
    expect(spokeRoutes(template, 'ProdVpc')).toEqual(['10.100.0.0/16', '192.168.0.0/16']);
    template.resourceCountIs('Custom::TransitGatewayPeeringAcceptance', 1);
  });
});

describe('Tokens, Vpc.fromLookup placeholders and errors that name the prop (issue 15)', () => {
  /** A hub and spokes built in a fresh app with `context` (the CLI's lookup answers); the app's missing lookups. */
  function lookupApp(build: (stack: Stack) => void, context: Record<string, unknown> = {}) {
    const app = createTestApp(context);
    const stack = new Stack(app, 'Test', { env: TEST_ENV });
    // aws-cdk-lib's schema validation (a feature flag of the test app) rejects the placeholder's ID vpc-12345
    // in any resource, its own included: the placeholder reaches only the first synthesis.
    Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::E1151', reason: 'Vpc.fromLookup placeholder ID before the lookup' });
    build(stack);
    return { stack, missing: app.synth().manifest.missing ?? [] };
  }
  /** What the CLI answers for a looked-up VPC with isolated subnets in two AZs. */
  const lookedUp = (vpcId: string, cidr: string) => ({
    vpcId,
    vpcCidrBlock: cidr,
    availabilityZones: [],
    ownerAccountId: TEST_ENV.account,
    subnetGroups: [{ name: 'app', type: 'Isolated', subnets: ['a', 'b'].map((az, i) => ({ availabilityZone: `us-east-1${az}`, subnetId: `subnet-${vpcId}${i}`, routeTableId: `rtb-${vpcId}${i}`, cidr })) }],
  });
  const twoLookups = (stack: Stack) => {
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.attachVpc('A', { vpc: ec2.Vpc.fromLookup(stack, 'LookupA', { vpcId: 'vpc-aaaa' }), segment: 'default' });
    hub.attachVpc('B', { vpc: ec2.Vpc.fromLookup(stack, 'LookupB', { vpcId: 'vpc-bbbb' }), segment: 'default', subnets: { subnetGroupName: 'app' } });
  };

  test('two looked-up VPCs in one segment synthesize on the placeholder (vpc-12345, 1.2.3.4/5), so the CLI can look them up', () => {
    const { missing } = lookupApp(twoLookups);
    expect(missing.map((m) => m.provider)).toEqual(['vpc-provider', 'vpc-provider']);
  });

  test('a placeholder beside a VPC whose CIDR overlaps 1.2.3.4/5 synthesizes too', () => {
    const { stack } = lookupApp((s) => {
      const hub = new HubTransitGateway(s, 'Hub');
      hub.attachVpc('A', { vpc: ec2.Vpc.fromLookup(s, 'LookupA', { vpcId: 'vpc-aaaa' }), segment: 'default' });
      hub.attachVpc('B', { vpc: createTestVpc(s, 'Vpc', '1.0.0.0/16'), segment: 'default' });
    });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayAttachment', 2);
  });

  test('once looked up, overlapping VPCs are refused as before', () => {
    const { missing } = lookupApp(twoLookups);
    const context = Object.fromEntries(missing.map((m) => [m.key, lookedUp(m.key.includes('vpc-aaaa') ? 'vpc-aaaa' : 'vpc-bbbb', '10.1.0.0/16')]));
    expect(() => lookupApp(twoLookups, context)).toThrow(/VPC CIDRs must not overlap between VPCs that reach each other through the hub, but Test\/LookupB \(10.1.0.0\/16\) overlaps Test\/LookupA \(10.1.0.0\/16\)/);
  });

  test('shareWith from a CommaDelimitedList parameter reaches the resource share', () => {
    const stack = createTestStack();
    const accounts = new CfnParameter(stack, 'Accounts', { type: 'CommaDelimitedList' });
    new HubTransitGateway(stack, 'Hub', { shareWith: accounts.valueAsList });
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { Principals: { Ref: 'Accounts' } });
  });

  test('fails with an invalid literal shareWith principal beside a Token element', () => {
    const stack = createTestStack();
    const accounts = new CfnParameter(stack, 'Accounts', { type: 'CommaDelimitedList' }).valueAsList;
    expect(() => new HubTransitGateway(stack, 'Hub', { shareWith: [Fn.select(0, accounts), '12345'] }))
      .toThrow(/shareWith must hold 12-digit account IDs, an organization ARN or organizational unit ARNs, but '12345' was provided/);
  });

  test('vpcRoutes: a list Token is refused naming the prop; its elements as Tokens reach the routes', () => {
    const stack = createTestStack();
    const routes = new CfnParameter(stack, 'Routes', { type: 'CommaDelimitedList' }).valueAsList;
    const hub = new HubTransitGateway(stack, 'Hub');
    expect(() => hub.attachVpc('A', { vpc: createTestVpc(stack, 'VpcA', '10.1.0.0/16'), segment: 'default', vpcRoutes: routes }))
      .toThrow(/vpcRoutes must be a list whose length is known at synth \(each CIDR becomes a route in every route table of the VPC\), but a list Token was provided/);
    hub.attachVpc('B', { vpc: createTestVpc(stack, 'VpcB', '10.2.0.0/16'), segment: 'default', vpcRoutes: [Fn.select(0, routes)] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Route', { DestinationCidrBlock: { 'Fn::Select': [0, { Ref: 'Routes' }] } });
  });

  test('two Token objects for one value are one destination: one spoke route, and a second static route is refused', () => {
    const stack = createTestStack();
    const routes = new CfnParameter(stack, 'Routes', { type: 'CommaDelimitedList' }).valueAsList;
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.attachVpc('A', { vpc: createTestVpc(stack, 'VpcA', '10.1.0.0/16', false), segment: 'default', vpcRoutes: [Fn.select(0, routes), Fn.select(0, routes)] });
    hub.addStaticRoute('default', Fn.select(1, routes), 'tgw-attach-0123456789abcdef0');
    expect(() => hub.addBlackholeRoute('default', Fn.select(1, routes))).toThrow(/addBlackholeRoute destinationCidrBlock: the route table of segment 'default' has a static route added with addStaticRoute/);
    // One route table per AZ (two isolated subnets), one route each.
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::EC2::Route', { DestinationCidrBlock: { 'Fn::Select': [0, { Ref: 'Routes' }] } }, 2);
  });

  test('fails with segments given as a list Token, or a segment name that is a Token', () => {
    const stack = createTestStack();
    const names = new CfnParameter(stack, 'Segments', { type: 'CommaDelimitedList' }).valueAsList;
    expect(() => new HubTransitGateway(stack, 'Hub', { segments: names })).toThrow(/segments must be a list whose length is known at synth/);
    expect(() => new HubTransitGateway(stack, 'Hub2', { segments: [Fn.select(0, names)] })).toThrow(/segments names must be known at synth/);
  });

  test('fails with addPeering peerCidrs as a list Token', () => {
    const stack = createTestStack();
    const cidrs = new CfnParameter(stack, 'PeerCidrs', { type: 'CommaDelimitedList' }).valueAsList;
    const hub = new HubTransitGateway(stack, 'Hub');
    expect(() => hub.addPeering('Eu', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'default', peerCidrs: cidrs }))
      .toThrow(/addPeering peerCidrs must be a list whose length is known at synth/);
  });

  test('fails with a VPC imported without its CIDR, naming vpc', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'], isolatedSubnetRouteTableIds: ['rtb-1'] });
    expect(() => hub.attachVpc('A', { vpc, segment: 'default' })).toThrow(/attachVpc 'A': vpc Test\/Imported must have a known CIDR.*imported without vpcCidrBlock/);
  });

  test('fails with a VPC of public subnets only, asking for subnets instead of aws-cdk-lib\'s "no Isolated subnet groups"', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    const vpc = new ec2.Vpc(stack, 'Public', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'web', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => hub.attachVpc('A', { vpc, segment: 'default' })).toThrow(/attachVpc 'A': subnets must be given for Test\/Public, which has no attachment, private or isolated subnets/);
  });

  test('fails with a subnets selection that selects nothing, naming subnets', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    expect(() => hub.attachVpc('A', { vpc: createTestVpc(stack, 'Vpc', '10.1.0.0/16'), segment: 'default', subnets: { subnetGroupName: 'missing' } }))
      .toThrow(/attachVpc 'A' subnets must select subnets of Test\/Vpc, but subnetGroupName 'missing' selects none \(There are no subnet groups with name 'missing'/);
  });

  test('an attachment subnet imported without its AZ is accepted (its AZ is not known, so every AZ counts as covered)', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.attachVpc('A', { vpc: createTestVpc(stack, 'Vpc', '10.1.0.0/16'), segment: 'default', subnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'Sub', 'subnet-1')] } });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::TransitGatewayAttachment', { SubnetIds: ['subnet-1'] });
  });

  test.each<[string, (hub: HubTransitGateway, stack: Stack) => void, RegExp]>([
    ['attachVpc with an id used before', (hub, stack) => {
      hub.attachVpc('A', { vpc: createTestVpc(stack, 'V1', '10.1.0.0/16'), segment: 'default' });
      hub.attachVpc('A', { vpc: createTestVpc(stack, 'V2', '10.2.0.0/16'), segment: 'default' });
    }, /attachVpc id 'A' is taken already by Test\/Hub\/A: give each attachment its own id/],
    ['attachVpc with the id of a part of the hub', (hub, stack) => {
      hub.attachVpc('Segmentdefault', { vpc: createTestVpc(stack, 'V1', '10.1.0.0/16'), segment: 'default' });
    }, /attachVpc id 'Segmentdefault' is taken already by Test\/Hub\/Segmentdefault/],
    ['addPeering with an id used before', (hub) => {
      hub.addPeering('Eu', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'default' });
      hub.addPeering('Eu', { peerTransitGatewayId: 'tgw-0123456789abcdef1', peerRegion: 'eu-west-1', segment: 'default' });
    }, /addPeering id 'Eu' is taken already by Test\/Hub\/Eu: give each peering its own id/],
    ['associateAttachment with an id used before', (hub) => {
      hub.associateAttachment('X', { transitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0', segment: 'default' });
      hub.associateAttachment('X', { transitGatewayAttachmentId: 'tgw-attach-0123456789abcdef1', segment: 'default' });
    }, /associateAttachment id 'X' is taken already by Test\/Hub\/X: give each association its own id/],
  ])('fails with %s, naming what holds the id', (_what, build, expected) => {
    const stack = createTestStack();
    expect(() => build(new HubTransitGateway(stack, 'Hub'), stack)).toThrow(expected);
  });
});

describe('spokes imported without route table IDs (issue 15, same class: aws-cdk-lib values that break the template)', () => {
  test('attachVpc warns and adds no route with an undefined route table', () => {
    const stack = createTestStack();
    const hub = new HubTransitGateway(stack, 'Hub');
    hub.attachVpc('Other', { vpc: createTestVpc(stack, 'Other', '10.9.0.0/16'), segment: 'default' });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.7.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'],
    });
    hub.attachVpc('A', { vpc, segment: 'default' });
    Annotations.fromStack(stack).hasWarning('/Test/Hub/A', Match.stringLikeRegexp('were imported without route table IDs'));
    Template.fromStack(stack).allResourcesProperties('AWS::EC2::Route', { RouteTableId: Match.anyValue() });
  });
});
