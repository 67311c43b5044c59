// The reference architectures composed into one app, the way a platform team would split them into stacks:
// - Network: the Transit Gateway hub (shared and prod segments) and the data-centre VPN with Direct Connect;
// - Prod: a spoke VPC for the workloads, attached to the hub from its own stack;
// - Orders: an orders topic fanning out to a processing queue (Lambda consumer) and an analytics queue;
// - Analytics: the clickstream pipeline into Redshift Serverless.
// Every stack is checked with the cdk-nag AwsSolutions pack.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { FanOutTopic, HubTransitGateway, HybridVpn, StreamToRedshift, VpnTarget } from '../../src';

class NetworkStack extends Stack {
  public readonly hub: HubTransitGateway;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.hub = new HubTransitGateway(this, 'Hub', { segments: ['shared', 'prod'], flowLogs: true });
    this.hub.connectSegments('prod', 'shared');
    new HybridVpn(this, 'DataCentre', {
      customerGatewayIp: '203.0.113.10',
      target: VpnTarget.transitGateway(this.hub, 'shared'),
      directConnect: { allowedPrefixes: ['10.0.0.0/8'] },
    });
  }
}

class ProdStack extends Stack {
  constructor(scope: Construct, id: string, hub: HubTransitGateway, props: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
        { name: 'transit', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 28 },
      ],
    });
    vpc.addFlowLog('FlowLog');
    // The attachment and its routes are created in the hub's stack; this stack only owns the VPC.
    hub.attachVpc('Prod', { vpc, segment: 'prod', vpcRoutes: ['192.168.0.0/16'] });
  }
}

class OrdersStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const orders = new FanOutTopic(this, 'Orders');
    const processing = orders.addQueue('Processing');
    orders.addQueue('Analytics', { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) } });

    const logGroup = new logs.LogGroup(this, 'ProcessorLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'ProcessorRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const processor = new lambda.Function(this, 'Processor', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (event) => ({ batchItemFailures: [] });'),
      timeout: Duration.seconds(30),
      role,
      logGroup,
    });
    processing.addLambdaConsumer(processor, { batchSize: 10 });
  }
}

class AnalyticsStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    new StreamToRedshift(this, 'Clicks', {
      table: { name: 'clicks', columns: [{ name: 'event_id', dataType: 'VARCHAR(64)' }, { name: 'occurred_at', dataType: 'TIMESTAMP' }] },
    });
  }
}

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };
const network = new NetworkStack(app, 'Network', { env });
new ProdStack(app, 'Prod', network.hub, { env });
new OrdersStack(app, 'Orders', { env });
new AnalyticsStack(app, 'Analytics', { env });
app.synth();
