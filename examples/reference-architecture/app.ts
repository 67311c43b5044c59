// The reference architectures composed into one app, the way a platform team would split them into stacks:
// - Network: the Transit Gateway hub (shared and prod segments) and the data-centre VPN with Direct Connect;
// - Prod: a spoke VPC for the workloads, attached to the hub from its own stack;
// - Orders: an orders topic fanning out to a processing queue (Lambda consumer) and an analytics queue;
// - Analytics: the clickstream pipeline into Redshift Serverless.
// Every stack has its key and alarm topic (examples/shared/baseline.ts) and is checked with the cdk-nag
// packs AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1 and Serverless.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { FanOutTopic, HubTransitGateway, HybridVpn, StreamToRedshift, VpnTarget } from '../../src';
import { Baseline } from '../shared/baseline';

class NetworkStack extends Stack {
  public readonly hub: HubTransitGateway;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const baseline = new Baseline(this, 'Baseline');
    const monitored = { logEncryptionKey: baseline.key, alarmActions: baseline.alarmActions };
    this.hub = new HubTransitGateway(this, 'Hub', { segments: ['shared', 'prod'], flowLogs: true, ...monitored });
    this.hub.connectSegments('prod', 'shared');
    new HybridVpn(this, 'DataCentre', {
      customerGatewayIp: '203.0.113.10',
      target: VpnTarget.transitGateway(this.hub, 'shared'),
      directConnect: { allowedPrefixes: ['10.0.0.0/8'] },
      ...monitored,
    });
  }
}

class ProdStack extends Stack {
  constructor(scope: Construct, id: string, hub: HubTransitGateway, props: StackProps) {
    super(scope, id, props);
    const vpc = new Baseline(this, 'Baseline').vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
        { name: 'transit', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
      ],
    });
    // The attachment and its routes are created in the hub's stack; this stack only owns the VPC.
    hub.attachVpc('Prod', { vpc, segment: 'prod', vpcRoutes: ['192.168.0.0/16'] });
  }
}

class OrdersStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const baseline = new Baseline(this, 'Baseline');
    const orders = new FanOutTopic(this, 'Orders', { alarmActions: baseline.alarmActions });
    const processing = orders.addQueue('Processing');
    orders.addQueue('Analytics', { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) } });

    const processor = baseline.consumerFunction(this, 'Processor', {
      code: lambda.Code.fromInline('exports.handler = async (event) => ({ batchItemFailures: [] });'), timeout: Duration.seconds(30), source: 'SQS',
    });
    processing.addLambdaConsumer(processor, { batchSize: 10, maxConcurrency: 5 });
  }
}

class AnalyticsStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const baseline = new Baseline(this, 'Baseline');
    new StreamToRedshift(this, 'Clicks', {
      table: { name: 'clicks', columns: [{ name: 'event_id', dataType: 'VARCHAR(64)' }, { name: 'occurred_at', dataType: 'TIMESTAMP' }] },
      encryptionKey: baseline.key,
      // The account's log archive with -c logArchiveBucket=NAME, else a log bucket in this stack (examples/shared/baseline.ts).
      accessLogsBucket: baseline.logArchive(this),
      alarmActions: baseline.alarmActions,
    });
  }
}

const app = new App();
// Every rule pack the library is checked against: AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1, Serverless.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app),
);
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };
const network = new NetworkStack(app, 'Network', { env });
new ProdStack(app, 'Prod', network.hub, { env });
new OrdersStack(app, 'Orders', { env });
new AnalyticsStack(app, 'Analytics', { env });
app.synth();
