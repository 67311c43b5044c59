// Integration test: a VPN to a VPC's virtual private gateway and a VPN to a hub segment. The snapshot is
// written without deploying (`npx projen integ:update`) and verified by `npm test`.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HubTransitGateway, HybridVpn, VpnTarget } from '../src';
import { boundDefaultSecurityGroupRestriction } from './util/network';

const app = new App();
const stack = new Stack(app, 'HybridVpnInteg');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
});
boundDefaultSecurityGroupRestriction(vpc);
new HybridVpn(stack, 'ToVpc', { customerGatewayIp: '203.0.113.10', target: VpnTarget.vpc(vpc, { amazonSideAsn: 64600 }) });

const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared'] });
new HybridVpn(stack, 'ToHub', {
  customerGatewayIp: '203.0.113.11',
  target: VpnTarget.transitGateway(hub, 'shared'),
  tunnels: [{ insideCidr: '169.254.10.0/30' }, { insideCidr: '169.254.11.0/30' }],
});

new IntegTest(app, 'HybridVpnTest', { testCases: [stack] });
