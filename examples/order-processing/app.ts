// Order processing: producers send orders to a buffered queue; a Lambda function consumes them in batches,
// reporting failed messages so only those are retried; poison messages land in the dead-letter queue and
// raise an alarm on the operations topic. Fulfilment jobs, which take minutes each, go to a second queue
// worked by an EC2 Auto Scaling group that scales on the backlog per instance (queue-driven Auto Scaling).
//
// In your own app, import from 'cdk-reference-patterns' instead of '../../src'.
import * as path from 'path';
import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { BufferedQueueWithDlq } from '../../src';

export class OrderProcessingStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const orders = new BufferedQueueWithDlq(this, 'Orders', {
      maxReceiveCount: 5,
      retentionPeriod: Duration.days(4),
    });

    // A least-privilege execution role: logs to its own log group only (no AWS-managed policy).
    const logGroup = new logs.LogGroup(this, 'ProcessorLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const role = new iam.Role(this, 'ProcessorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);

    const processor = new lambda.Function(this, 'Processor', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'handler')),
      timeout: Duration.seconds(30),
      role,
      logGroup,
    });
    // The queue's visibility timeout follows the consumer: 6 x 30 s + 10 s = 190 s.
    orders.addLambdaConsumer(processor, { batchSize: 25, maxBatchingWindow: Duration.seconds(10) });

    const opsKey = new kms.Key(this, 'OpsTopicKey', { enableKeyRotation: true });
    const ops = new sns.Topic(this, 'OpsTopic', { masterKey: opsKey, enforceSSL: true });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    opsKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    orders.addAlarmAction(new cloudwatchActions.SnsAction(ops));

    // Fulfilment: long jobs on EC2 workers; the visibility timeout covers the longest job.
    const fulfilment = new BufferedQueueWithDlq(this, 'Fulfilment', { maxProcessingTime: Duration.minutes(15) });
    const vpc = new ec2.Vpc(this, 'WorkerVpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'egress', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'workers', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    vpc.addFlowLog('FlowLog');
    const workers = new autoscaling.AutoScalingGroup(this, 'Workers', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate: new ec2.LaunchTemplate(this, 'WorkerTemplate', {
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
        machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
        requireImdsv2: true,
        detailedMonitoring: true,
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) }],
        role: new iam.Role(this, 'WorkerRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
      }),
      minCapacity: 1,
      maxCapacity: 10,
      notifications: [{ topic: ops }],
    });
    // Auto Scaling publishes its notifications to the encrypted topic through its service-linked role.
    opsKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(`arn:${this.partition}:iam::${this.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'], // in a key policy, "*" means this key
    }));
    fulfilment.grantConsumeMessages(workers);
    // Each worker keeps at most 10 jobs waiting: 10 jobs x 1 minute each = 10 minutes of acceptable latency.
    fulfilment.scaleOnBacklog(workers, { acceptableBacklogPerInstance: 10 });
    fulfilment.addAlarmAction(new cloudwatchActions.SnsAction(ops));
  }
}

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new OrderProcessingStack(app, 'OrderProcessing');
app.synth();
