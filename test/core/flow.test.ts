import { CfnParameter, Duration, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BufferedQueueWithDlq, FanOutTopic, HubTransitGateway, HybridVpn, RedshiftIngestion, RedshiftTarget, StreamToRedshift, VpnTarget,
} from '../../src';
import { filterLabel, Flow, FLOW_METADATA_TYPE, flowName, flowRef, flowText } from '../../src/core/private/flow';
import { createTestFunction, createTestStack } from '../util';
import { edgeText, flowEntries, flowGraph } from '../util/flow';
import { createTestVpc } from '../util/network';

const TABLE = { name: 'clicks', columns: [{ name: 'id', dataType: 'VARCHAR(64)' }, { name: 'ts', dataType: 'TIMESTAMP' }] };

describe('the flow recorder', () => {
  test('records one metadata entry per call, naming constructs by path and their stack by artifact id', () => {
    // GIVEN
    const stack = createTestStack('Flows');
    const scope = new Construct(stack, 'Thing');
    const queue = new sqs.Queue(scope, 'Queue');
    // WHEN
    const flow = Flow.of(scope);
    flow.group(flowRef(scope, 'OnPremises', true), 'onPremises', 'on-premises');
    const client = flow.node(flowRef(scope, 'Client', true), 'client', 'web', { group: flowRef(scope, 'OnPremises', true) });
    flow.node(queue, 'queue', flowName(queue), { detail: 'standard' });
    flow.edge(client, queue, { label: 'send' });
    // THEN
    expect(scope.node.metadata.map((m) => m.type)).toEqual([FLOW_METADATA_TYPE, FLOW_METADATA_TYPE, FLOW_METADATA_TYPE, FLOW_METADATA_TYPE]);
    expect(flowEntries(stack).map((e) => e.fragment)).toEqual([
      { groups: [{ id: 'Flows/Thing/OnPremises', kind: 'onPremises', label: 'on-premises' }] },
      { nodes: [{ id: 'Flows/Thing/Client', kind: 'client', label: 'web', group: 'Flows/Thing/OnPremises' }] },
      { nodes: [{ id: 'Flows/Thing/Queue', kind: 'queue', label: 'Thing/Queue', detail: 'standard', stack: 'Flows' }] },
      { edges: [{ from: 'Flows/Thing/Client', to: 'Flows/Thing/Queue', label: 'send' }] },
    ]);
  });

  test('shows a deploy-time value (a Token) as such, never as its encoded form', () => {
    const stack = createTestStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const count = new CfnParameter(stack, 'Count', { type: 'Number' }).valueAsNumber;
    expect(flowText(`queue ${name}`)).toBe('queue (deploy-time value)');
    expect(flowText(count)).toBe('(deploy-time value)');
    expect(flowText(5)).toBe('5');
    expect(Token.isUnresolved(flowText(name))).toBe(false);
  });

  test('summarizes a filter policy for an edge label', () => {
    expect(filterLabel({ kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order', 'refund'] }) })).toBe('filter kind=order|refund');
    expect(filterLabel({ price: sns.SubscriptionFilter.numericFilter({ greaterThan: 100 }) })).toBe('filter price={numeric:[>,100]}');
    expect(filterLabel(undefined, true)).toBe('filter message body');
    expect(filterLabel(undefined)).toBeUndefined();
    expect(filterLabel({ k: sns.SubscriptionFilter.stringFilter({ allowlist: ['x'.repeat(80)] }) })).toHaveLength(60);
  });

  test('an edge to a node no construct declared is refused when the graph is built', () => {
    const stack = createTestStack();
    Flow.of(stack).edge(flowRef(stack, 'A'), flowRef(stack, 'B'));
    expect(() => flowGraph(stack)).toThrow(/names the node Test\/A, which no construct declared/);
  });
});

describe('BufferedQueueWithDlq data flow', () => {
  const stack = createTestStack('Q');
  const jobs = new BufferedQueueWithDlq(stack, 'Jobs', { maxReceiveCount: 3 });
  jobs.addLambdaConsumer(createTestFunction(stack, 'Worker', Duration.seconds(10)), { batchSize: 5 });
  const vpc = createTestVpc(stack, 'Vpc', '10.0.0.0/16', false);
  const group = new autoscaling.AutoScalingGroup(stack, 'Workers', {
    vpc,
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
    minCapacity: 1,
  });
  jobs.scaleOnBacklog(group, { acceptableBacklogPerInstance: 10 });
  const graph = flowGraph(stack);

  test('draws the queue, its dead-letter queue and the redrive after maxReceiveCount receives', () => {
    expect(graph.nodes.get('Q/Jobs/Queue')).toMatchObject({ kind: 'queue', label: 'Jobs', stack: 'Q' });
    expect(graph.nodes.get('Q/Jobs/DeadLetterQueue')).toMatchObject({ kind: 'deadLetterQueue', label: 'Jobs DLQ' });
    expect(graph.edges.map((e) => edgeText(e, 'Q/'))).toContain('Jobs/Queue -> Jobs/DeadLetterQueue [redrive after 3 receives] (failure)');
  });

  test('draws each consumer: a Lambda function with its batch size, an Auto Scaling group with its backlog target', () => {
    expect(graph.nodes.get('Q/Worker')).toMatchObject({ kind: 'function', label: 'Worker' });
    expect(graph.nodes.get('Q/Workers')).toMatchObject({ kind: 'autoScalingGroup', label: 'Workers' });
    expect(graph.edges.map((e) => edgeText(e, 'Q/'))).toEqual(expect.arrayContaining([
      'Jobs/Queue -> Worker [poll, batch 5]',
      'Jobs/Queue -> Workers [poll, scale at 10 messages per instance]',
    ]));
  });

  test('leaves plumbing out: no key, alarm, role or policy node', () => {
    expect([...graph.nodes.values()].map((n) => n.kind).sort()).toEqual(['autoScalingGroup', 'deadLetterQueue', 'function', 'queue']);
  });
});

describe('FanOutTopic data flow', () => {
  const stack = createTestStack('T');
  const orders = new FanOutTopic(stack, 'Orders');
  orders.addQueue('Processing');
  orders.addQueue('Analytics', { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) } });
  orders.addHttpsEndpoint('https://hooks.example.com/orders?x=1');
  orders.addEmail('ops@example.com');
  const fn = createTestFunction(stack, 'Audit');
  orders.addLambda(fn);
  const graph = flowGraph(stack);

  test('draws the topic, each queue with its dead-letter queue, and the filter on the filtered subscription', () => {
    expect(graph.nodes.get('T/Orders/Topic')).toMatchObject({ kind: 'topic', label: 'Orders' });
    expect(graph.edges.map((e) => edgeText(e, 'T/Orders/'))).toEqual(expect.arrayContaining([
      'Topic -> Processing/Queue',
      'Topic -> Analytics/Queue [filter kind=order]',
      'Processing/Queue -> Processing/DeadLetterQueue [redrive after 5 receives] (failure)',
      'Analytics/Queue -> Analytics/DeadLetterQueue [redrive after 5 receives] (failure)',
    ]));
  });

  test('draws the HTTPS endpoint by host, the email recipient, the Lambda function and the shared subscription DLQ', () => {
    const labels = [...graph.nodes.values()].map((n) => `${n.kind}:${n.label}`);
    expect(labels).toEqual(expect.arrayContaining([
      'httpsEndpoint:hooks.example.com', 'email:ops@example.com', 'function:Audit', 'deadLetterQueue:Orders subscriptions DLQ',
    ]));
    expect(graph.edges.map((e) => edgeText(e, 'T/'))).toEqual(expect.arrayContaining([
      'Orders/Topic -> Audit [invoke]',
      'Orders/Topic -> Orders/SubscriptionDeadLetterQueue [undeliverable] (failure)',
    ]));
    // Endpoints outside AWS are drawn outside the stack.
    expect(graph.nodes.get([...graph.nodes.keys()].find((id) => graph.nodes.get(id)!.kind === 'email')!)!.stack).toBeUndefined();
  });

  test('draws a queue defined elsewhere that it subscribes', () => {
    const other = createTestStack('T2');
    const topic = new FanOutTopic(other, 'Orders');
    topic.addExistingQueue(new sqs.Queue(other, 'Legacy', { encryption: sqs.QueueEncryption.SQS_MANAGED }), {
      filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['refund'] }) },
    });
    expect(flowGraph(other).edges.map((e) => edgeText(e, 'T2/'))).toContain('Orders/Topic -> Legacy [filter kind=refund]');
  });
});

describe('StreamToRedshift data flow', () => {
  test('draws stream -> Firehose -> staging bucket -> COPY -> workgroup (in its VPC), and the other consumers', () => {
    const stack = createTestStack('S');
    const clicks = new StreamToRedshift(stack, 'Clicks', { table: TABLE, bufferingInterval: Duration.seconds(60), bufferingSizeMiB: 5 });
    clicks.addLambdaConsumer(createTestFunction(stack, 'Realtime'), { enhancedFanOut: true });
    const graph = flowGraph(stack);
    expect(graph.nodes.get('S/Clicks/Stream')).toMatchObject({ kind: 'stream', label: 'Clicks', detail: 'on-demand' });
    expect(graph.nodes.get('S/Clicks/DeliveryStream')).toMatchObject({ kind: 'deliveryStream' });
    expect(graph.nodes.get('S/Clicks/StagingBucket')).toMatchObject({ kind: 'bucket', label: 'Clicks staging' });
    expect(graph.nodes.get('S/Clicks/Workgroup')).toMatchObject({ kind: 'redshiftWorkgroup', group: 'S/Clicks/Vpc' });
    expect(graph.groups.get('S/Clicks/Vpc')).toMatchObject({ kind: 'vpc' });
    expect(graph.edges.map((e) => edgeText(e, 'S/'))).toEqual([
      'Clicks/Stream -> Clicks/DeliveryStream [read]',
      'Clicks/DeliveryStream -> Clicks/StagingBucket [stage batches]',
      'Clicks/StagingBucket -> Clicks/Workgroup [COPY into clicks every 60 s or 5 MiB]',
      'Clicks/StagingBucket -> Clicks/SkippedBatches [manifest of a skipped batch (EventBridge)] (failure)',
      'Clicks/Stream -> Realtime [enhanced fan-out]',
    ]);
  });

  test('draws streaming ingestion straight from the stream into the workgroup, without Firehose or a staging bucket', () => {
    const stack = createTestStack('S');
    new StreamToRedshift(stack, 'Clicks', { table: { name: 'clicks' }, ingestion: RedshiftIngestion.STREAMING });
    const graph = flowGraph(stack);
    expect([...graph.nodes.values()].map((n) => n.kind).sort()).toEqual(['redshiftWorkgroup', 'stream']);
    expect(graph.edges.map((e) => edgeText(e, 'S/'))).toEqual(['Clicks/Stream -> Clicks/Workgroup [streaming ingestion into clicks]']);
  });

  test('draws an existing workgroup, outside the stack', () => {
    const stack = createTestStack('S');
    new StreamToRedshift(stack, 'Clicks', {
      table: TABLE,
      redshift: RedshiftTarget.serverlessWorkgroup({
        workgroupName: 'analytics',
        endpoint: 'analytics.123456789012.us-east-1.redshift-serverless.amazonaws.com',
        database: 'dev',
        credentials: new secretsmanager.Secret(stack, 'Creds'),
      }),
    });
    const graph = flowGraph(stack);
    expect(graph.nodes.get('S/Clicks/Redshift')).toEqual({ id: 'S/Clicks/Redshift', kind: 'redshiftWorkgroup', label: 'analytics', detail: 'existing' });
    // The buffering defaults are the construct's (its own tests pin them); the label shows whatever they are.
    expect(graph.edges.map((e) => edgeText(e, 'S/'))).toContainEqual(expect.stringMatching(/^Clicks\/StagingBucket -> Clicks\/Redshift \[COPY into clicks every \d+ s or \d+ MiB\]$/));
  });
});

describe('HubTransitGateway data flow', () => {
  const stack = createTestStack('N');
  const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared', 'prod', 'dev'] });
  hub.connectSegments('prod', 'shared');
  const shared = hub.attachVpc('Shared', { vpc: createTestVpc(stack, 'SharedVpc', '10.0.0.0/16'), segment: 'shared' });
  hub.attachVpc('Prod', { vpc: createTestVpc(stack, 'ProdVpc', '10.1.0.0/16'), segment: 'prod' });
  hub.addBlackholeRoute('prod', '10.2.0.0/16');
  hub.addStaticRoute('dev', '10.0.0.0/16', shared.transitGatewayAttachmentId);
  hub.addPeering('Eu', { peerTransitGatewayId: 'tgw-0123456789abcdef0', peerRegion: 'eu-west-1', segment: 'shared', peerCidrs: ['10.50.0.0/16'] });
  hub.associateAttachment('Partner', { transitGatewayAttachmentId: 'tgw-attach-0123456789abcdef0', segment: 'dev' });
  const graph = flowGraph(stack);

  test('draws the Transit Gateway as a box of segment boxes, each attachment in its segment', () => {
    expect(graph.groups.get('N/Hub/Resource')).toMatchObject({ kind: 'transitGateway', detail: 'ASN 64512' });
    for (const name of ['shared', 'prod', 'dev']) {
      expect(graph.groups.get(`N/Hub/Segment${name}/RouteTable`)).toMatchObject({ kind: 'segment', label: `segment ${name}`, parent: 'N/Hub/Resource' });
    }
    expect(graph.nodes.get('N/Hub/Prod/Resource')).toMatchObject({ kind: 'vpcAttachment', group: 'N/Hub/Segmentprod/RouteTable' });
    expect(graph.nodes.get('N/ProdVpc')).toMatchObject({ kind: 'vpc', detail: '10.1.0.0/16' });
    expect(graph.nodes.get('N/Hub/Eu/Resource')).toMatchObject({ kind: 'peeringAttachment', detail: 'eu-west-1', group: 'N/Hub/Segmentshared/RouteTable' });
    expect(graph.nodes.get('N/Hub/Partner')).toMatchObject({ kind: 'attachment', detail: 'tgw-attach-0123456789abcdef0', group: 'N/Hub/Segmentdev/RouteTable' });
  });

  test('draws which segments reach which, the blackhole and the static route', () => {
    expect(graph.edges.map((e) => edgeText(e, 'N/Hub/'))).toEqual(expect.arrayContaining([
      'Segmentprod/RouteTable -> Segmentshared/RouteTable [routes propagated] (both)',
      'N/ProdVpc -> Prod/Resource (both)',
      'Segmentprod/RouteTable -> Segmentprod/Blackhole10x2x0x0m16 [blackhole] (blocked)',
      'Segmentdev/RouteTable -> Shared/Resource [static 10.0.0.0/16]',
    ]));
    expect(graph.edges.some((e) => e.from.includes('Segmentdev') && e.to.includes('Segmentshared'))).toBe(false);
  });
});

describe('HybridVpn data flow', () => {
  test('Transit Gateway target with Direct Connect: two tunnels as the backup, Direct Connect as the primary path', () => {
    const stack = createTestStack('H');
    const hub = new HubTransitGateway(stack, 'Hub', { segments: ['shared'] });
    new HybridVpn(stack, 'Office', {
      customerGatewayIp: '203.0.113.10',
      target: VpnTarget.transitGateway(hub, 'shared'),
      tunnels: [{ insideCidr: '169.254.10.0/30' }, { insideCidr: '169.254.11.0/30' }],
      onPremisesCidrs: ['192.168.0.0/16'],
      directConnect: { allowedPrefixes: ['10.0.0.0/8'] },
    });
    const graph = flowGraph(stack);
    expect(graph.groups.get('H/Office/OnPremises')).toMatchObject({ kind: 'onPremises', detail: '192.168.0.0/16' });
    expect(graph.nodes.get('H/Office/CustomerGateway')).toMatchObject({ kind: 'customerGateway', detail: '203.0.113.10, ASN 65000', group: 'H/Office/OnPremises' });
    expect(graph.groups.get('H/Office/Resource')).toMatchObject({ kind: 'vpnConnection', detail: 'BGP' });
    expect(graph.nodes.get('H/Office/Resource/Tunnel1')).toMatchObject({ kind: 'tunnel', detail: '169.254.10.0/30', group: 'H/Office/Resource' });
    expect(graph.nodes.get('H/Office/HubAttachment')).toMatchObject({ kind: 'vpnAttachment', group: 'H/Hub/Segmentshared/RouteTable' });
    expect(graph.edges.map((e) => edgeText(e, 'H/Office/'))).toEqual(expect.arrayContaining([
      'CustomerGateway -> Resource/Tunnel1 [IPsec] (backup)',
      'Resource/Tunnel1 -> HubAttachment [BGP (backup)] (backup)',
      'CustomerGateway -> Resource/Tunnel2 [IPsec] (backup)',
      'Resource/Tunnel2 -> HubAttachment [BGP (backup)] (backup)',
      'OnPremises -> DirectConnect [BGP] (primary)',
      'DirectConnect -> DirectConnectGateway [transit VIF] (primary)',
      'DirectConnectGateway -> DirectConnectHubAttachment [allowed 10.0.0.0/8] (primary)',
    ]));
    // Its own diagram: what it recorded, and the hub's segment it reaches, not the hub's other parts.
    const own = flowGraph(stack, 'H/Office');
    expect([...own.groups.keys()].sort()).toEqual(['H/Hub/Resource', 'H/Hub/Segmentshared/RouteTable', 'H/Office/OnPremises', 'H/Office/Resource']);
  });

  test('VPC target with static routes: the tunnels end on the virtual private gateway, which propagates into the VPC', () => {
    const stack = createTestStack('H');
    new HybridVpn(stack, 'Office', {
      customerGatewayIp: '203.0.113.10',
      target: VpnTarget.vpc(createTestVpc(stack, 'Vpc', '10.0.0.0/16')),
      staticRoutes: ['192.168.0.0/16'],
    });
    const graph = flowGraph(stack);
    expect(graph.nodes.get('H/Office/VpnGateway')).toMatchObject({ kind: 'vpnGateway', detail: 'ASN 64512' });
    expect(graph.edges.map((e) => edgeText(e, 'H/'))).toEqual(expect.arrayContaining([
      'Office/VpnGateway -> Vpc [route propagation] (both)',
      'Office/CustomerGateway -> Office/Resource/Tunnel1 [IPsec] (both)',
      'Office/Resource/Tunnel1 -> Office/VpnGateway [static 192.168.0.0/16] (both)',
    ]));
  });
});
