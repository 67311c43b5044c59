import { Annotations, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct } from 'constructs';
import { IMonitoredPattern } from '../core/monitoring';
import { parseCidr, routeIdSuffix } from './private/cidr';
import { acknowledgeRules } from '../core/private/acknowledge';
import { wireAlarmActions } from '../core/private/alarms';
import { cloudWatchFlowLog } from '../core/private/flow-logs';
import { HandlerFunction, handlerFunction, policyResource } from '../core/private/handler-function';
import { watchResourceBudget } from '../core/private/resource-budget';
import { fail, isIpv4Cidr } from '../core/private/validation';

/** Amazon-side ASN ranges a Transit Gateway accepts (private 16-bit and 32-bit ranges). */
const ASN_RANGES: Array<[number, number]> = [[64_512, 65_534], [4_200_000_000, 4_294_967_294]];
/** The default number of routes in a VPC route table (a quota that can be raised to 1,000). */
const VPC_ROUTE_TABLE_QUOTA = 50;
const SEGMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/**
 * Properties for a HubTransitGateway.
 */
export interface HubTransitGatewayProps {
  /**
   * The BGP ASN on the AWS side: 64512-65534 or 4200000000-4294967294.
   *
   * @default 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * A description of the Transit Gateway.
   *
   * @default - the construct path
   */
  readonly description?: string;

  /**
   * The named route domains. Each segment has its own route table; attachments of a segment reach each
   * other, and segments are isolated from each other until `connectSegments`.
   *
   * @default ['default']
   */
  readonly segments?: string[];

  /**
   * Whether DNS resolution works across attached VPCs.
   *
   * @default true
   */
  readonly dnsSupport?: boolean;

  /**
   * Whether VPN connections may spread traffic over several tunnels (equal-cost multi-path, BGP only).
   *
   * @default true
   */
  readonly vpnEcmpSupport?: boolean;

  /**
   * Whether attachments requested by accounts the hub is shared with are accepted without review.
   *
   * @default false
   */
  readonly autoAcceptSharedAttachments?: boolean;

  /**
   * Principals to share the Transit Gateway with through AWS RAM: 12-digit account IDs, an organization
   * ARN or organizational unit ARNs. Principals outside your organization are not allowed.
   *
   * @default - not shared
   */
  readonly shareWith?: string[];

  /**
   * Whether to record Transit Gateway flow logs to CloudWatch Logs.
   *
   * @default false
   */
  readonly flowLogs?: boolean;

  /**
   * How long flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogsRetention?: logs.RetentionDays;

  /**
   * Whether to alarm on packets dropped for lack of a route and on packets dropped by blackhole routes.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Actions (an SNS topic, an incident tool) for every alarm of the hub, for the ALARM and OK states. More
   * can be added with `addAlarmAction`.
   *
   * @default - none: the alarms change state and show in the console only
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * A customer managed KMS key for the hub's log groups (flow logs, custom resource handlers). A key
   * defined in this app gets a key policy statement letting CloudWatch Logs in this region use it for this
   * account's log groups; an imported key must allow that already (a warning says so).
   *
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Options for `HubTransitGateway.attachVpc`.
 */
export interface AttachVpcOptions {
  /** The VPC to attach (it may be defined in another stack of the same app). */
  readonly vpc: ec2.IVpc;

  /** The segment whose route table the attachment is associated with. */
  readonly segment: string;

  /**
   * The subnets the attachment uses: one per Availability Zone.
   *
   * @default - a subnet group whose name mentions transit, tgw or attachment (dedicated attachment
   * subnets, as AWS recommends), else the private subnets, else the isolated ones; one per AZ
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Whether traffic of a flow stays in one AZ (needed for stateful appliances in the VPC).
   *
   * @default false
   */
  readonly applianceMode?: boolean;

  /**
   * The destination CIDRs routed to the Transit Gateway from the VPC's private and isolated route tables.
   * An empty list adds no route.
   *
   * @default - the CIDRs of every VPC reachable through the hub from this segment, kept up to date as
   * VPCs are attached and segments connected
   */
  readonly vpcRoutes?: string[];
}

/**
 * Options for `HubTransitGateway.addPeering`.
 */
export interface HubPeeringOptions {
  /** The ID of the Transit Gateway to peer with (in another region). */
  readonly peerTransitGatewayId: string;

  /** The region of the peer Transit Gateway. */
  readonly peerRegion: string;

  /**
   * The account of the peer Transit Gateway.
   *
   * @default - this stack's account
   */
  readonly peerAccountId?: string;

  /** The segment whose route table the peering attachment is associated with. */
  readonly segment: string;

  /**
   * CIDRs behind the peer, routed to the peering attachment in `segment` (peering attachments do not
   * propagate routes). The peer hub needs the routes back.
   *
   * @default - no static route
   */
  readonly peerCidrs?: string[];

  /**
   * Whether a custom resource accepts the attachment in the peer region and waits until it is available
   * before associating it and adding routes. Only possible when the peer is in this account; a peer in
   * another account must accept it there, and the association and routes wait for a later deployment.
   *
   * @default true
   */
  readonly accept?: boolean;
}

/**
 * A peering between a HubTransitGateway and a Transit Gateway in another region.
 */
export class HubPeering extends Construct {
  /** The peering attachment. */
  public readonly attachment: ec2.CfnTransitGatewayPeeringAttachment;

  /** The peering attachment ID. */
  public readonly transitGatewayAttachmentId: string;

  /** The acceptance custom resource, when `accept` is on. */
  public readonly acceptance?: CustomResource;

  constructor(scope: Construct, id: string, hub: HubTransitGateway, options: HubPeeringOptions, acceptor?: lambda.IFunction) {
    super(scope, id);
    const stack = Stack.of(this);
    this.attachment = new ec2.CfnTransitGatewayPeeringAttachment(this, 'Resource', {
      transitGatewayId: hub.transitGatewayId,
      peerTransitGatewayId: options.peerTransitGatewayId,
      peerRegion: options.peerRegion,
      peerAccountId: options.peerAccountId ?? stack.account,
      tags: [{ key: 'Name', value: `${stack.stackName}-${id}` }],
    });
    this.transitGatewayAttachmentId = this.attachment.attrTransitGatewayAttachmentId;
    if (acceptor !== undefined) {
      this.acceptance = new CustomResource(this, 'Acceptance', {
        serviceToken: acceptor.functionArn,
        resourceType: 'Custom::TransitGatewayPeeringAcceptance',
        properties: { AttachmentId: this.transitGatewayAttachmentId, PeerRegion: options.peerRegion },
      });
    }
    const segment = hub.segment(options.segment);
    const association = new ec2.CfnTransitGatewayRouteTableAssociation(this, 'Association', {
      transitGatewayAttachmentId: this.transitGatewayAttachmentId,
      transitGatewayRouteTableId: segment.routeTableId,
    });
    const dependents: Construct[] = [association];
    for (const cidr of options.peerCidrs ?? []) {
      dependents.push(new ec2.CfnTransitGatewayRoute(this, `Route${routeIdSuffix(cidr)}`, {
        transitGatewayRouteTableId: segment.routeTableId,
        destinationCidrBlock: cidr,
        transitGatewayAttachmentId: this.transitGatewayAttachmentId,
      }));
    }
    if (this.acceptance !== undefined) {
      // An association or route on a peering attachment fails until the attachment is available.
      for (const dependent of dependents) {
        dependent.node.addDependency(this.acceptance);
      }
    }
  }
}

/**
 * The kinds of attachment `HubTransitGateway.attachResource` looks up.
 */
export enum HubAttachmentResourceType {
  /** A Site-to-Site VPN connection. */
  VPN = 'vpn',
  /** A Direct Connect gateway. */
  DIRECT_CONNECT_GATEWAY = 'direct-connect-gateway',
}

/**
 * Options for `HubTransitGateway.attachResource`.
 */
export interface AttachResourceOptions {
  /** What is attached. */
  readonly resourceType: HubAttachmentResourceType;

  /** The ID of the VPN connection or Direct Connect gateway. */
  readonly resourceId: string;

  /** The segment to associate the attachment with. */
  readonly segment: string;
}

/**
 * A VPN connection or Direct Connect gateway attached to a HubTransitGateway: the attachment lookup, the
 * association with its segment and the propagations.
 */
export class HubResourceAttachment extends Construct {
  /** The attachment ID (from the lookup). */
  public readonly transitGatewayAttachmentId: string;

  /** The segment the attachment is associated with. */
  public readonly segment: string;

  /** The lookup custom resource; resources that use the attachment should depend on it. */
  public readonly lookup: CustomResource;

  /** @internal */
  public readonly _propagatedTo = new Set<string>();

  constructor(scope: Construct, id: string, hub: HubTransitGateway, options: AttachResourceOptions, lookupFunction: lambda.IFunction) {
    super(scope, id);
    this.segment = options.segment;
    this.lookup = new CustomResource(this, 'Lookup', {
      serviceToken: lookupFunction.functionArn,
      resourceType: 'Custom::TransitGatewayAttachmentLookup',
      properties: { TransitGatewayId: hub.transitGatewayId, ResourceType: options.resourceType, ResourceId: options.resourceId },
    });
    this.transitGatewayAttachmentId = this.lookup.getAttString('TransitGatewayAttachmentId');
    new ec2.CfnTransitGatewayRouteTableAssociation(this, 'Association', {
      transitGatewayAttachmentId: this.transitGatewayAttachmentId,
      transitGatewayRouteTableId: hub.segment(options.segment).routeTableId,
    });
  }
}

/**
 * A named route domain of a HubTransitGateway.
 */
export class HubSegment extends Construct {
  /** The segment name. */
  public readonly segmentName: string;

  /** The segment's route table. */
  public readonly routeTable: ec2.CfnTransitGatewayRouteTable;

  /** The route table ID. */
  public readonly routeTableId: string;

  constructor(scope: Construct, id: string, name: string, transitGatewayId: string) {
    super(scope, id);
    this.segmentName = name;
    this.routeTable = new ec2.CfnTransitGatewayRouteTable(this, 'RouteTable', {
      transitGatewayId,
      tags: [{ key: 'Name', value: `${Stack.of(this).stackName}-${name}` }],
    });
    this.routeTableId = this.routeTable.ref;
  }
}

/**
 * A VPC attached to a HubTransitGateway.
 */
export class HubVpcAttachment extends Construct {
  /** The attachment. */
  public readonly attachment: ec2.CfnTransitGatewayAttachment;

  /** The attachment ID, for static routes. */
  public readonly transitGatewayAttachmentId: string;

  /** The segment the attachment is associated with. */
  public readonly segment: string;

  /** The attached VPC. */
  public readonly vpc: ec2.IVpc;

  /** The VPC CIDR, when known at synth. */
  public readonly vpcCidr?: string;

  /** @internal */
  public readonly _fixedRoutes?: string[];

  /** @internal */
  public readonly _routeTableIds: string[];

  /** @internal */
  public readonly _routedCidrs = new Set<string>();

  /** @internal */
  public readonly _propagatedTo = new Set<string>();

  /** @internal */
  public _quotaWarned = false;

  constructor(scope: Construct, id: string, hub: HubTransitGateway, options: AttachVpcOptions, subnets: ec2.ISubnet[]) {
    super(scope, id);
    this.segment = options.segment;
    this.vpc = options.vpc;
    this.vpcCidr = literalVpcCidr(options.vpc);
    this._fixedRoutes = options.vpcRoutes;
    this.attachment = new ec2.CfnTransitGatewayAttachment(this, 'Resource', {
      transitGatewayId: hub.transitGatewayId,
      vpcId: options.vpc.vpcId,
      subnetIds: subnets.map((s) => s.subnetId),
      options: {
        ApplianceModeSupport: options.applianceMode ? 'enable' : 'disable',
        DnsSupport: 'enable',
        Ipv6Support: 'disable',
      },
      tags: [{ key: 'Name', value: `${Stack.of(this).stackName}-${id}` }],
    });
    this.transitGatewayAttachmentId = this.attachment.attrId;
    const seen = new Set<string>();
    this._routeTableIds = [...options.vpc.privateSubnets, ...options.vpc.isolatedSubnets]
      .map((s) => s.routeTable.routeTableId)
      .filter((id_) => (seen.has(id_) ? false : (seen.add(id_), true)));
  }
}

/**
 * A hub-and-spoke Transit Gateway: named segments (route domains) with their own route tables, VPC
 * attachments with routes in the spokes, sharing through AWS RAM, optional flow logs, and alarms on
 * dropped packets. Default route table association and propagation are off, so nothing is routed until a
 * segment says so.
 */
export class HubTransitGateway extends Construct implements IMonitoredPattern {
  /** The Transit Gateway. */
  public readonly transitGateway: ec2.CfnTransitGateway;

  /** The Transit Gateway ID. */
  public readonly transitGatewayId: string;

  /** The Transit Gateway ARN. */
  public readonly transitGatewayArn: string;

  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  /** The RAM resource share, when `shareWith` is set. */
  public readonly resourceShare?: ram.CfnResourceShare;

  /** The flow log group, when `flowLogs` is on. */
  public readonly flowLogGroup?: logs.ILogGroup;

  private readonly segments = new Map<string, HubSegment>();
  private readonly handlers = new Map<string, HandlerFunction>();
  private readonly logEncryptionKey?: kms.IKey;
  private readonly connections = new Set<string>();
  private readonly attachments: HubVpcAttachment[] = [];
  private readonly resourceAttachments: HubResourceAttachment[] = [];
  private readonly attachedVpcs = new Set<ec2.IVpc>();
  /** Per segment: its VPC attachments, and their literal CIDR ranges sorted by start (no overlaps inside). */
  private readonly bySegment = new Map<string, HubVpcAttachment[]>();
  private readonly rangesBySegment = new Map<string, CidrRange[]>();

  constructor(scope: Construct, id: string, props: HubTransitGatewayProps = {}) {
    super(scope, id);
    this.validateProps(props);
    watchResourceBudget(this);
    this.logEncryptionKey = props.logEncryptionKey;

    this.transitGateway = new ec2.CfnTransitGateway(this, 'Resource', {
      amazonSideAsn: props.amazonSideAsn ?? 64_512,
      description: props.description ?? this.node.path,
      dnsSupport: enable(props.dnsSupport ?? true),
      vpnEcmpSupport: enable(props.vpnEcmpSupport ?? true),
      autoAcceptSharedAttachments: enable(props.autoAcceptSharedAttachments ?? false),
      multicastSupport: 'disable',
      // Every segment has its own route table: nothing lands in a default table by accident.
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      tags: [{ key: 'Name', value: `${Stack.of(this).stackName}-${id}` }],
    });
    this.transitGatewayId = this.transitGateway.attrId;
    this.transitGatewayArn = Stack.of(this).formatArn({
      service: 'ec2', resource: 'transit-gateway', resourceName: this.transitGatewayId,
    });

    for (const name of props.segments ?? ['default']) {
      this.segments.set(name, new HubSegment(this, `Segment${name}`, name, this.transitGatewayId));
    }

    if (props.shareWith !== undefined) {
      this.resourceShare = new ram.CfnResourceShare(this, 'Share', {
        name: `${Stack.of(this).stackName}-${id}`,
        resourceArns: [this.transitGatewayArn],
        principals: props.shareWith,
        allowExternalPrincipals: false,
      });
    }

    if (props.flowLogs) {
      this.flowLogGroup = this.createFlowLogs(props.flowLogsRetention ?? logs.RetentionDays.ONE_YEAR);
    }

    if (props.alarms ?? true) {
      for (const [metricName, what] of [['PacketDropCountNoRoute', 'no route'], ['PacketDropCountBlackhole', 'a blackhole route']]) {
        this.alarms.push(new cloudwatch.Alarm(this, `${metricName.replace('PacketDropCount', 'Dropped')}Alarm`, {
          alarmDescription: `${this.node.path} dropped packets that matched ${what}`,
          metric: this.metric(metricName, { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
    }
    this.addAlarmAction(...props.alarmActions ?? []);
  }

  /** The segment with this name; an error when there is none. */
  public segment(name: string): HubSegment {
    const segment = this.segments.get(name);
    if (segment === undefined) {
      fail(this, `segment must be one of ${[...this.segments.keys()].join(', ')}, but '${name}' was provided`);
    }
    return segment;
  }

  /** The names of the segments. */
  public get segmentNames(): string[] {
    return [...this.segments.keys()];
  }

  /** The VPC attachments, in the order they were made. */
  public get vpcAttachments(): HubVpcAttachment[] {
    return [...this.attachments];
  }

  /**
   * Lets two segments reach each other: each propagates its attachments' routes into the other's route
   * table (e.g. prod and dev each connected to shared services, not to each other).
   */
  public connectSegments(a: string, b: string): void {
    this.segment(a);
    this.segment(b);
    if (a === b) {
      fail(this, `connectSegments needs two different segments, but '${a}' was given twice`);
    }
    const key = connectionKey(a, b);
    if (this.connections.has(key)) {
      return;
    }
    this.checkMergedRanges(a, b);
    this.connections.add(key);
    for (const attachment of [...this.attachments, ...this.resourceAttachments]) {
      this.propagate(attachment);
    }
    // The attachments of each side now reach those of the other.
    for (const x of this.bySegment.get(a) ?? []) {
      for (const y of this.bySegment.get(b) ?? []) {
        this.routeBetween(x, y);
      }
    }
  }

  /**
   * Attaches a VPC to a segment: the attachment (one subnet per AZ), its association with the segment's
   * route table, propagation into every segment it may reach, and routes in the VPC's private and isolated
   * route tables for the CIDRs it can reach through the hub.
   */
  public attachVpc(id: string, options: AttachVpcOptions): HubVpcAttachment {
    const segment = this.segment(options.segment);
    if (this.attachedVpcs.has(options.vpc)) {
      fail(this, `attachVpc: ${options.vpc.node.path} is attached already; a VPC has one attachment per Transit Gateway, but it was attached again as '${id}'`);
    }
    for (const cidr of options.vpcRoutes ?? []) {
      if (!Token.isUnresolved(cidr) && !isIpv4Cidr(cidr)) {
        fail(this, `vpcRoutes must hold IPv4 CIDR blocks such as 10.0.0.0/8, but '${cidr}' was provided for '${id}'`);
      }
    }
    const subnets = this.selectAttachmentSubnets(id, options);
    const cidr = literalVpcCidr(options.vpc);
    const range = cidr === undefined ? undefined : { ...parseCidr(cidr), cidr, path: options.vpc.node.path };
    if (range !== undefined) {
      for (const name of this.reachableSegments(options.segment)) {
        this.checkRange(range, this.rangesBySegment.get(name) ?? []);
      }
    }

    const attachment = new HubVpcAttachment(this, id, this, options, subnets);
    new ec2.CfnTransitGatewayRouteTableAssociation(attachment, 'Association', {
      transitGatewayAttachmentId: attachment.transitGatewayAttachmentId,
      transitGatewayRouteTableId: segment.routeTableId,
    });
    this.attachments.push(attachment);
    this.attachedVpcs.add(options.vpc);
    const members = this.bySegment.get(options.segment) ?? [];
    members.push(attachment);
    this.bySegment.set(options.segment, members);
    if (range !== undefined) {
      insertSorted(this.rangesBySegment, options.segment, range);
    }
    this.propagate(attachment);
    if (attachment._fixedRoutes !== undefined) {
      this.addRoutes(attachment, attachment._fixedRoutes);
    }
    for (const name of this.reachableSegments(options.segment)) {
      for (const other of this.bySegment.get(name) ?? []) {
        if (other !== attachment) {
          this.routeBetween(attachment, other);
        }
      }
    }
    return attachment;
  }

  /**
   * Peers the hub with a Transit Gateway in another region: the peering attachment, its acceptance in the
   * peer region (same account), its association with `segment`, and static routes to `peerCidrs`.
   */
  public addPeering(id: string, options: HubPeeringOptions): HubPeering {
    this.segment(options.segment);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(options.peerRegion) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(options.peerRegion)) {
      fail(this, `addPeering peerRegion must be a region name such as eu-west-1, but '${options.peerRegion}' was provided`);
    }
    if (!Token.isUnresolved(options.peerRegion) && !Token.isUnresolved(stack.region) && options.peerRegion === stack.region) {
      fail(this, `addPeering peerRegion must differ from the hub's region (${stack.region}): peering connects hubs in different regions`);
    }
    if (!Token.isUnresolved(options.peerTransitGatewayId) && !/^tgw-[0-9a-f]{8,17}$/.test(options.peerTransitGatewayId)) {
      fail(this, `addPeering peerTransitGatewayId must look like tgw-0123456789abcdef0, but '${options.peerTransitGatewayId}' was provided`);
    }
    const peerAccount = options.peerAccountId;
    if (peerAccount !== undefined && !Token.isUnresolved(peerAccount) && !/^\d{12}$/.test(peerAccount)) {
      fail(this, `addPeering peerAccountId must be a 12-digit account ID, but '${peerAccount}' was provided`);
    }
    const crossAccount = peerAccount !== undefined && !Token.isUnresolved(peerAccount)
      && !Token.isUnresolved(stack.account) && peerAccount !== stack.account;
    const accept = options.accept ?? !crossAccount;
    if (accept && crossAccount) {
      fail(this, `addPeering accept is possible only for a peer in this account (${stack.account}), but peerAccountId '${peerAccount}' was provided: accept it in the peer account and set accept to false`);
    }
    for (const cidr of options.peerCidrs ?? []) {
      this.validateDestination('addPeering peerCidrs', cidr);
    }
    const acceptor = accept ? this.peeringAcceptor() : undefined;
    const peering = new HubPeering(this, id, this, options, acceptor?.function);
    // The acceptor may accept exactly this attachment, on the peer's side.
    acceptor?.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:AcceptTransitGatewayPeeringAttachment'],
      resources: [stack.formatArn({
        service: 'ec2', region: options.peerRegion, resource: 'transit-gateway-attachment', resourceName: peering.transitGatewayAttachmentId,
      })],
    }));
    return peering;
  }

  /**
   * Associates the Transit Gateway attachment of a VPN connection or Direct Connect gateway (made outside
   * the hub) with a segment and propagates its routes into every segment that reaches it, now and after
   * later `connectSegments`. CloudFormation does not return such attachment IDs, so a custom resource looks
   * the attachment up and waits until it is available. The resources are created in `scope` (e.g. the
   * HybridVpn), so that the VPN may live in another stack than the hub.
   */
  public attachResource(scope: Construct, id: string, options: AttachResourceOptions): HubResourceAttachment {
    this.segment(options.segment);
    const attachment = new HubResourceAttachment(scope, id, this, options, this.attachmentLookup().function);
    this.resourceAttachments.push(attachment);
    this.propagate(attachment);
    return attachment;
  }

  /** The segments whose attachments reach those of `segment` (itself included). */
  public reachableSegments(segment: string): string[] {
    this.segment(segment);
    return [...this.segments.keys()].filter((name) => this.reaches(segment, name));
  }

  /** Routes a destination CIDR in a segment to an attachment (a VPC, VPN or peering attachment ID). */
  public addStaticRoute(segment: string, destinationCidrBlock: string, transitGatewayAttachmentId: string): ec2.CfnTransitGatewayRoute {
    this.validateDestination('addStaticRoute', destinationCidrBlock);
    return new ec2.CfnTransitGatewayRoute(this.segment(segment), `Route${routeIdSuffix(destinationCidrBlock)}`, {
      transitGatewayRouteTableId: this.segment(segment).routeTableId,
      destinationCidrBlock,
      transitGatewayAttachmentId,
    });
  }

  /** Drops traffic to a destination CIDR in a segment (e.g. to keep a range unreachable whatever propagates). */
  public addBlackholeRoute(segment: string, destinationCidrBlock: string): ec2.CfnTransitGatewayRoute {
    this.validateDestination('addBlackholeRoute', destinationCidrBlock);
    return new ec2.CfnTransitGatewayRoute(this.segment(segment), `Blackhole${routeIdSuffix(destinationCidrBlock)}`, {
      transitGatewayRouteTableId: this.segment(segment).routeTableId,
      destinationCidrBlock,
      blackhole: true,
    });
  }

  /** A Transit Gateway metric (namespace AWS/TransitGateway), e.g. BytesIn, PacketDropCountNoRoute. */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/TransitGateway',
      metricName,
      dimensionsMap: { TransitGateway: this.transitGatewayId },
      ...props,
    });
  }

  /**
   * Adds the given actions to every alarm of this construct, for the ALARM and OK states.
   */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    wireAlarmActions(this.alarms, actions);
  }

  /** Whether attachments of segment `from` reach those of segment `to`. */
  private reaches(from: string, to: string): boolean {
    return from === to || this.connections.has(connectionKey(from, to));
  }

  /** Propagates the attachment into every segment that reaches its own, once each. */
  private propagate(attachment: HubVpcAttachment | HubResourceAttachment): void {
    for (const [name, segment] of this.segments) {
      if (!this.reaches(name, attachment.segment) || attachment._propagatedTo.has(name)) {
        continue;
      }
      attachment._propagatedTo.add(name);
      new ec2.CfnTransitGatewayRouteTablePropagation(attachment, `PropagationTo${name}`, {
        transitGatewayAttachmentId: attachment.transitGatewayAttachmentId,
        transitGatewayRouteTableId: segment.routeTableId,
      });
    }
  }

  /** Routes each of two attachments that reach each other to the other's CIDR (unless its routes are fixed). */
  private routeBetween(x: HubVpcAttachment, y: HubVpcAttachment): void {
    if (x._fixedRoutes === undefined) {
      this.addRoutes(x, [y.vpcCidr ?? y.vpc.vpcCidrBlock]);
    }
    if (y._fixedRoutes === undefined) {
      this.addRoutes(y, [x.vpcCidr ?? x.vpc.vpcCidrBlock]);
    }
  }

  /** Adds routes to the hub in every private and isolated route table of the spoke, once per CIDR. */
  private addRoutes(attachment: HubVpcAttachment, cidrs: string[]): void {
    for (const cidr of cidrs) {
      if (attachment._routedCidrs.has(cidr)) {
        continue;
      }
      attachment._routedCidrs.add(cidr);
      attachment._routeTableIds.forEach((routeTableId, index) => {
        const route = new ec2.CfnRoute(attachment, `Route${index}To${routeIdSuffix(cidr)}`, {
          routeTableId,
          destinationCidrBlock: cidr,
          transitGatewayId: this.transitGatewayId,
        });
        // A route to a Transit Gateway needs the VPC attached first.
        route.node.addDependency(attachment.attachment);
      });
    }
    if (attachment._routedCidrs.size > VPC_ROUTE_TABLE_QUOTA - 5 && !attachment._quotaWarned) {
      attachment._quotaWarned = true;
      Annotations.of(attachment).addWarningV2('cdk-reference-patterns:vpcRouteQuota',
        `${attachment._routedCidrs.size} routes to the hub in each route table of ${attachment.vpc.node.path}: the default quota is ${VPC_ROUTE_TABLE_QUOTA} routes per route table; set vpcRoutes to a few summary CIDRs`);
    }
  }

  /** Fails when `range` overlaps a range of the sorted, overlap-free list (binary search: O(log n)). */
  private checkRange(range: CidrRange, sorted: CidrRange[]): void {
    const i = lowerBound(sorted, range.start);
    for (const other of [sorted[i - 1], sorted[i]]) {
      if (other !== undefined && other.start <= range.end && range.start <= other.end) {
        this.failOverlap(range, other);
      }
    }
  }

  /** Fails when two segments about to be connected hold overlapping ranges (a merge of two sorted lists). */
  private checkMergedRanges(a: string, b: string): void {
    const merged = [...(this.rangesBySegment.get(a) ?? []), ...(this.rangesBySegment.get(b) ?? [])].sort((x, y) => x.start - y.start);
    for (let i = 1; i < merged.length; i++) {
      if (merged[i].start <= merged[i - 1].end) {
        this.failOverlap(merged[i], merged[i - 1]);
      }
    }
  }

  private failOverlap(a: CidrRange, b: CidrRange): never {
    return fail(this, `VPC CIDRs must not overlap between VPCs that reach each other through the hub, but ${a.path} (${a.cidr}) overlaps ${b.path} (${b.cidr})`);
  }

  private selectAttachmentSubnets(id: string, options: AttachVpcOptions): ec2.ISubnet[] {
    const vpc = options.vpc;
    let selection = options.subnets;
    if (selection === undefined) {
      const groups = subnetGroupNames(vpc).filter((name) => /transit|tgw|attach/i.test(name));
      selection = groups.length > 0
        ? { subnetGroupName: groups[0] }
        : vpc.privateSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
      selection = { ...selection, onePerAz: true };
    }
    const subnets = vpc.selectSubnets(selection).subnets;
    if (subnets.length === 0) {
      fail(this, `attachVpc '${id}': the subnet selection of ${vpc.node.path} holds no subnet`);
    }
    const byAz = new Map<string, string>();
    for (const subnet of subnets) {
      const az = subnet.availabilityZone;
      if (Token.isUnresolved(az)) {
        continue;
      }
      if (byAz.has(az)) {
        fail(this, `attachVpc '${id}': subnets must be one per Availability Zone, but ${byAz.get(az)} and ${subnet.node.path} are both in ${az}`);
      }
      byAz.set(az, subnet.node.path);
    }
    return subnets;
  }

  private validateDestination(method: string, cidr: string): void {
    if (!Token.isUnresolved(cidr) && !isIpv4Cidr(cidr)) {
      fail(this, `${method} destinationCidrBlock must be an IPv4 CIDR block such as 10.20.0.0/16, but '${cidr}' was provided`);
    }
  }

  /** The function that looks up VPN and Direct Connect gateway attachments of this hub. */
  private attachmentLookup(): HandlerFunction {
    return this.handlers.get('AttachmentLookup') ?? this.handler('AttachmentLookup', 'attachment-lookup.handler',
      `Looks up the VPN and Direct Connect gateway attachments of ${this.node.path} and waits until they are available`,
      ['ec2:DescribeTransitGatewayAttachments']);
  }

  /** The function that accepts peering attachments, shared by the hub's peerings; its rights grow per peer. */
  private peeringAcceptor(): HandlerFunction {
    return this.handlers.get('PeeringAcceptor') ?? this.handler('PeeringAcceptor', 'peering-acceptor.handler',
      `Accepts Transit Gateway peering attachments of ${this.node.path} and waits until they are available`,
      ['ec2:DescribeTransitGatewayPeeringAttachments']);
  }

  /** A handler function whose managed policy allows `describeActions` (and grows with what is granted). */
  private handler(id: string, handler: string, description: string, describeActions: string[]): HandlerFunction {
    const fn = handlerFunction(this, id, {
      handler,
      description,
      // Attachments usually settle within minutes; the handlers answer CloudFormation before this runs out.
      timeout: Duration.minutes(15),
      logEncryptionKey: this.logEncryptionKey,
    });
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: describeActions,
      // EC2 Describe* actions do not support resource-level permissions: AWS requires "*".
      resources: ['*'],
    }));
    acknowledgeRules(policyResource(fn.role), {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${describeActions.join(', ')} does not support resource-level permissions; it is the only action granted on "*"`,
    });
    this.handlers.set(id, fn);
    return fn;
  }

  private createFlowLogs(retention: logs.RetentionDays): logs.LogGroup {
    return cloudWatchFlowLog(this, 'FlowLog', {
      resourceType: 'TransitGateway',
      resourceId: this.transitGatewayId,
      retention,
      encryptionKey: this.logEncryptionKey,
      // Transit Gateway flow logs aggregate over 60 seconds only.
      maxAggregationInterval: 60,
    });
  }

  private validateProps(props: HubTransitGatewayProps): void {
    const asn = props.amazonSideAsn;
    if (asn !== undefined && !Token.isUnresolved(asn)
      && !(Number.isInteger(asn) && ASN_RANGES.some(([min, max]) => asn >= min && asn <= max))) {
      fail(this, `amazonSideAsn must be a whole number in 64512-65534 or 4200000000-4294967294, but ${asn} was provided`);
    }
    const segments = props.segments;
    if (segments !== undefined) {
      if (segments.length === 0) {
        fail(this, 'segments must name at least one segment, but an empty list was provided');
      }
      const seen = new Set<string>();
      for (const name of segments) {
        if (!SEGMENT_NAME.test(name)) {
          fail(this, `segments names must start with a letter and hold up to 63 letters, digits, hyphens or underscores, but '${name}' was provided`);
        }
        if (seen.has(name)) {
          fail(this, `segments names must be unique, but '${name}' was provided twice`);
        }
        seen.add(name);
      }
    }
    for (const principal of props.shareWith ?? []) {
      if (Token.isUnresolved(principal)) {
        continue;
      }
      const ok = /^\d{12}$/.test(principal)
        || /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/.test(principal)
        || /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/.test(principal);
      if (!ok) {
        fail(this, `shareWith must hold 12-digit account IDs, an organization ARN or organizational unit ARNs, but '${principal}' was provided`);
      }
    }
    if (props.shareWith !== undefined && props.shareWith.length === 0) {
      fail(this, 'shareWith must list at least one principal when given, but an empty list was provided');
    }
    if (props.flowLogsRetention !== undefined && !props.flowLogs) {
      fail(this, 'flowLogsRetention applies only with flowLogs true, but flowLogs is false');
    }
  }
}

function enable(on: boolean): string {
  return on ? 'enable' : 'disable';
}

function connectionKey(a: string, b: string): string {
  return [a, b].sort().join('\u0000');
}


/** The VPC's primary CIDR as written in the app (an L2 Vpc's CfnVPC), when it is a literal. */
function literalVpcCidr(vpc: ec2.IVpc): string | undefined {
  const cfn = vpc.node.defaultChild;
  if (cfn instanceof ec2.CfnVPC && typeof cfn.cidrBlock === 'string' && !Token.isUnresolved(cfn.cidrBlock)) {
    return cfn.cidrBlock;
  }
  const cidr = vpc.vpcCidrBlock;
  return typeof cidr === 'string' && !Token.isUnresolved(cidr) ? cidr : undefined;
}

/** The subnet group names of a VPC (the aws-cdk:subnet-name of its subnets). */
function subnetGroupNames(vpc: ec2.IVpc): string[] {
  const names = new Set<string>();
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    const name = subnet.node.id.replace(/Subnet\d+$/, '');
    names.add(name);
  }
  return [...names];
}

/** A VPC's literal CIDR as a numeric range. */
interface CidrRange {
  readonly start: number;
  readonly end: number;
  readonly cidr: string;
  readonly path: string;
}

/** The index of the first range starting at or after `start`. */
function lowerBound(sorted: CidrRange[], start: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (sorted[mid].start < start) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function insertSorted(map: Map<string, CidrRange[]>, key: string, range: CidrRange): void {
  const list = map.get(key) ?? [];
  list.splice(lowerBound(list, range.start), 0, range);
  map.set(key, list);
}
