// Order processing: producers send orders to a buffered queue; a Lambda function consumes them in batches,
// reporting failed messages so only those are retried; poison messages land in the dead-letter queue and
// raise an alarm on the operations topic. Fulfilment jobs, which take minutes each, go to a second queue
// worked by an EC2 Auto Scaling group that scales on the backlog per instance (queue-driven Auto Scaling).
// The workers have no internet route: they reach SQS and KMS through interface endpoints.
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import * as path from 'path';
import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { BufferedQueueWithDlq, ManagedPolicyRole } from '../../src';
import { Baseline } from '../shared/baseline';
import { ExampleFlow } from '../shared/flow';

export class OrderProcessingStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The operations topic (encrypted) and the stack's key for logs.
    const baseline = new Baseline(this, 'Baseline');
    const ops = baseline.alarmTopic;

    const orders = new BufferedQueueWithDlq(this, 'Orders', {
      maxReceiveCount: 5,
      retentionPeriod: Duration.days(4),
      alarmActions: baseline.alarmActions,
    });

    // A least-privilege execution role (its own log group only, rights in a managed policy), 256 MB, traced.
    const processor = baseline.consumerFunction(this, 'Processor', {
      code: lambda.Code.fromAsset(path.join(__dirname, 'handler')), timeout: Duration.seconds(30), source: 'SQS',
    });
    // The queue's visibility timeout follows the consumer: 6 x 30 s + 10 s = 190 s. At most 10 concurrent batches.
    orders.addLambdaConsumer(processor, { batchSize: 25, maxBatchingWindow: Duration.seconds(10), maxConcurrency: 10 });

    // Fulfilment: long jobs on EC2 workers; the visibility timeout covers the longest job.
    const fulfilment = new BufferedQueueWithDlq(this, 'Fulfilment', { maxProcessingTime: Duration.minutes(15), alarmActions: baseline.alarmActions });
    const vpc = baseline.vpc(this, 'WorkerVpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'workers', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    // No route to the internet: the workers reach SQS and KMS (the queue's key) through interface endpoints
    // that admit only the workers' security group (below).
    const endpoints = [
      vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS, open: false }),
      vpc.addInterfaceEndpoint('Kms', { service: ec2.InterfaceVpcEndpointAwsService.KMS, open: false }),
    ];
    // Workers accept no inbound traffic; their only way out of the VPC is the endpoints (no internet route).
    const workerSecurityGroup = new ec2.SecurityGroup(this, 'WorkerSecurityGroup', { vpc, allowAllOutbound: false, description: 'Fulfilment workers' });
    const workers = new autoscaling.AutoScalingGroup(this, 'Workers', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      launchTemplate: new ec2.LaunchTemplate(this, 'WorkerTemplate', {
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
        machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
        requireImdsv2: true,
        securityGroup: workerSecurityGroup,
        detailedMonitoring: true,
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) }],
        role: new ManagedPolicyRole(this, 'WorkerRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
      }),
      minCapacity: 1,
      maxCapacity: 10,
      notifications: [{ topic: ops }],
    });
    // Auto Scaling publishes its notifications to the encrypted topic through the group's service-linked
    // role, which the key policy must name (SNS documents an IAM role, not a service principal, for Auto
    // Scaling). KMS refuses a key policy naming a role that does not exist, and the default
    // AWSServiceRoleForAutoScaling only exists once an Auto Scaling group was ever created in the account.
    // So the stack creates a service-linked role of its own (custom suffix: it cannot clash with the
    // default role, and the key admits only this group's role), gives it to the group, and creates the
    // key after it.
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    const suffix = this.stackName.slice(0, 30);
    const autoScalingRole = new iam.CfnServiceLinkedRole(this, 'WorkersServiceLinkedRole', {
      awsServiceName: 'autoscaling.amazonaws.com',
      customSuffix: suffix,
      description: `Auto Scaling role of ${workers.node.path}: its notifications to the encrypted operations topic`,
    });
    const autoScalingRoleArn = `arn:${this.partition}:iam::${this.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_${suffix}`;
    const cfnWorkers = workers.node.defaultChild as autoscaling.CfnAutoScalingGroup;
    cfnWorkers.serviceLinkedRoleArn = autoScalingRoleArn;
    workers.node.addDependency(autoScalingRole);
    baseline.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(autoScalingRoleArn)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'], // in a key policy, "*" means this key
    }));
    baseline.key.node.addDependency(autoScalingRole);
    for (const endpoint of endpoints) {
      endpoint.connections.allowDefaultPortFrom(workerSecurityGroup, 'Fulfilment workers');
    }
    fulfilment.grantConsumeMessages(workers);
    // Each worker keeps at most 10 jobs waiting: 10 jobs x 1 minute each = 10 minutes of acceptable latency.
    fulfilment.scaleOnBacklog(workers, { acceptableBacklogPerInstance: 10 });

    // For the README diagram: who sends the orders and the jobs (outside this stack).
    const flow = new ExampleFlow(this);
    flow.edge(flow.node('OrderProducers', 'client', 'order producers', { outsideStack: true }), orders.queue, 'send');
    flow.edge(flow.node('JobProducers', 'client', 'fulfilment job producers', { outsideStack: true }), fulfilment.queue, 'send');
  }
}

const app = new App();
// Every rule pack the library is checked against: AwsSolutions, NIST 800-53 rev 5, HIPAA Security, PCI DSS 3.2.1, Serverless.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app),
);
new OrderProcessingStack(app, 'OrderProcessing');
app.synth();
