// Hybrid network: the data centre reaches the AWS hub over Direct Connect (primary) and a Site-to-Site VPN
// (backup). Both end on the Transit Gateway's shared segment; the prod VPC reaches them through it.
// Direct Connect is preferred for the same prefixes; when its BGP session drops, the VPN carries the traffic.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { HubTransitGateway, HybridVpn, VpnTarget } from '../../src';
import { Baseline } from '../shared/baseline';

const app = new App();
// Every rule pack the library is checked against: AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1, Serverless.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app),
);
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };

const network = new Stack(app, 'HybridNetwork', { env });
const baseline = new Baseline(network, 'Baseline');
const hub = new HubTransitGateway(network, 'Hub', {
  segments: ['shared', 'prod'],
  amazonSideAsn: 64512,
  logEncryptionKey: baseline.key,
  alarmActions: baseline.alarmActions,
});
hub.connectSegments('prod', 'shared');

const prodVpc = baseline.vpc(network, 'ProdVpc', {
  ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [
    { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
    { name: 'transit', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
  ],
});
// prod reaches shared; its route tables get the routes the hub knows, kept up to date (the data centre's
// onPremisesCidrs below included, and the CIDRs of VPCs attached later).
hub.attachVpc('Prod', { vpc: prodVpc, segment: 'prod' });

new HybridVpn(network, 'DataCentre', {
  customerGatewayIp: '203.0.113.10',
  customerGatewayAsn: 65000,
  target: VpnTarget.transitGateway(hub, 'shared'),
  tunnels: [{ insideCidr: '169.254.10.0/30' }, { insideCidr: '169.254.11.0/30' }],
  // What the data centre advertises over BGP: routed to the hub from the spokes that reach shared.
  onPremisesCidrs: ['192.168.0.0/16'],
  directConnect: { amazonSideAsn: 64513, allowedPrefixes: ['10.0.0.0/8'] },
  logEncryptionKey: baseline.key,
  alarmActions: baseline.alarmActions,
});

app.synth();
