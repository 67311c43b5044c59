// Order fan-out: the order service publishes each order once to an encrypted topic; SNS pushes it to an
// order-processing queue and to an analytics queue that only takes orders (not refunds), each consumed
// independently. One KMS key serves the topic and all four queues; alarms go to the operations topic.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { FanOutTopic, ManagedPolicyRole } from '../../src';
import { Baseline } from '../shared/baseline';
import { ExampleFlow } from '../shared/flow';

export class OrderFanOutStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const baseline = new Baseline(this, 'Baseline');

    const orders = new FanOutTopic(this, 'Orders', { displayName: 'Orders', alarmActions: baseline.alarmActions });
    const processing = orders.addQueue('Processing');
    const analytics = orders.addQueue('Analytics', {
      filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) },
    });

    // The order service publishes; the consumers get their queues' grants where they are defined. Its
    // permissions live in a managed policy, not an inline one.
    const orderService = new ManagedPolicyRole(this, 'OrderServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    orders.grantPublish(orderService);

    // For the README diagram: who publishes, and the consumers each team runs outside this stack.
    const flow = new ExampleFlow(this);
    flow.edge(flow.node('OrderService', 'client', 'order service', { detail: 'ECS tasks' }), orders.topic, 'publish');
    flow.edge(processing.queue, flow.node('Fulfilment', 'client', 'order processing', { detail: 'consumer, elsewhere', outsideStack: true }), 'poll');
    flow.edge(analytics.queue, flow.node('Reporting', 'client', 'analytics', { detail: 'consumer, elsewhere', outsideStack: true }), 'poll');
  }
}

const app = new App();
// Every rule pack the library is checked against: AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1, Serverless.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app),
);
new OrderFanOutStack(app, 'OrderFanOut');
app.synth();
