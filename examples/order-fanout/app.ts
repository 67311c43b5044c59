// Order fan-out: the order service publishes each order once to an encrypted topic; SNS pushes it to an
// order-processing queue and to an analytics queue that only takes orders (not refunds), each consumed
// independently. One KMS key serves the topic and all four queues.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { FanOutTopic } from '../../src';

export class OrderFanOutStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const orders = new FanOutTopic(this, 'Orders', { displayName: 'Orders' });
    orders.addQueue('Processing');
    orders.addQueue('Analytics', {
      filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) },
    });

    // The order service publishes; the consumers get their queues' grants where they are defined.
    const orderService = new iam.Role(this, 'OrderServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    orders.grantPublish(orderService);
  }
}

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new OrderFanOutStack(app, 'OrderFanOut');
app.synth();
