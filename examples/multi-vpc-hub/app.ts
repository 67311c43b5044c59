// Multi-VPC hub: a network stack owns the Transit Gateway with three segments. Prod and dev each reach
// the shared-services VPC and not each other; every spoke gets routes to what it may reach, and each VPC
// attaches through its own dedicated /28 transit subnets. Spokes live in their own stacks, so the network
// stack stays far below CloudFormation's 500-resource limit as spokes are added.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { HubTransitGateway } from '../../src';
import { Baseline } from '../shared/baseline';

/** A spoke VPC: workload subnets plus small dedicated subnets for the Transit Gateway attachment. */
export class SpokeStack extends Stack {
  public readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, cidr: string, props?: StackProps) {
    super(scope, id, props);
    this.vpc = new Baseline(this, 'Baseline').vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
        { name: 'transit', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
      ],
    });
  }
}

const app = new App();
// Every rule pack the library is checked against: AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1, Serverless.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app),
);
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };

const shared = new SpokeStack(app, 'SharedServices', '10.0.0.0/16', { env });
const prod = new SpokeStack(app, 'Prod', '10.1.0.0/16', { env });
const dev = new SpokeStack(app, 'Dev', '10.2.0.0/16', { env });

const network = new Stack(app, 'Network', { env });
const baseline = new Baseline(network, 'Baseline');
const hub = new HubTransitGateway(network, 'Hub', {
  segments: ['shared', 'prod', 'dev'],
  flowLogs: true,
  logEncryptionKey: baseline.key,
  alarmActions: baseline.alarmActions,
});
hub.connectSegments('prod', 'shared');
hub.connectSegments('dev', 'shared');
hub.attachVpc('SharedServices', { vpc: shared.vpc, segment: 'shared' });
hub.attachVpc('Prod', { vpc: prod.vpc, segment: 'prod' });
hub.attachVpc('Dev', { vpc: dev.vpc, segment: 'dev' });
// prod's route table drops what prod's attachments send to the dev range, should a segment connected later
// propagate a route to it of the same or a shorter prefix (a more specific route would still win). It is a
// one-way guard: traffic from dev is looked up in dev's table (dev and prod are not connected here).
hub.addBlackholeRoute('prod', '10.2.0.0/16');

app.synth();
