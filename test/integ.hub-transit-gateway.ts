// Integration test: a hub with shared/prod/dev segments and three spoke VPCs. The snapshot is written
// without deploying (`npx projen integ:update`) and verified by `npm test`.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HubTransitGateway } from '../src';
import { boundDefaultSecurityGroupRestriction } from './util/network';

const app = new App();
const stack = new Stack(app, 'HubTransitGatewayInteg');

function spoke(id: string, cidr: string): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      { name: 'transit', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
    ],
  });
  boundDefaultSecurityGroupRestriction(vpc);
  return vpc;
}

const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared', 'prod', 'dev'], flowLogs: true });
hub.connectSegments('prod', 'shared');
hub.connectSegments('dev', 'shared');
hub.attachVpc('Shared', { vpc: spoke('SharedVpc', '10.0.0.0/16'), segment: 'shared' });
hub.attachVpc('Prod', { vpc: spoke('ProdVpc', '10.1.0.0/16'), segment: 'prod' });
hub.attachVpc('Dev', { vpc: spoke('DevVpc', '10.2.0.0/16'), segment: 'dev' });
hub.addBlackholeRoute('prod', '10.2.0.0/16');

new IntegTest(app, 'HubTransitGatewayTest', { testCases: [stack] });
