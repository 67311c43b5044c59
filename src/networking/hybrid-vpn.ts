import { Annotations, Duration, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as directconnect from 'aws-cdk-lib/aws-directconnect';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HubAttachmentResourceType, HubResourceAttachment, HubTransitGateway } from './hub-transit-gateway';
import { parseCidr, routeIdSuffix } from './private/cidr';
import { IMonitoredPattern } from '../core/monitoring';
import { wireAlarmActions } from '../core/private/alarms';
import { logGroup } from '../core/private/log-groups';
import { watchResourceBudget } from '../core/private/resource-budget';
import { fail, isIpv4Cidr, secondsOf, validateInteger } from '../core/private/validation';

// Site-to-Site VPN tunnel option ranges (ModifyVpnTunnelOptions / VpnTunnelOptionsSpecification).
const PHASE1_LIFETIME = [900, 28_800];
const PHASE2_LIFETIME = [900, 3_600];
const REPLAY_WINDOW = [64, 2_048];
const MIN_DPD_TIMEOUT = 30;
const MIN_REKEY_MARGIN = 60;
/** Inside CIDRs AWS reserves (169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30). */
const RESERVED_INSIDE_CIDRS = ['169.254.0.0/30', '169.254.1.0/30', '169.254.2.0/30', '169.254.3.0/30',
  '169.254.4.0/30', '169.254.5.0/30', '169.254.169.252/30'];
/** Strong algorithms only: no AES-128, no SHA-1, no DH groups below 14 nor the RFC 5114 groups 22-24. */
const ENCRYPTION_ALGORITHMS = ['AES256', 'AES256-GCM-16'];
const INTEGRITY_ALGORITHMS = ['SHA2-256', 'SHA2-384', 'SHA2-512'];
const DH_GROUPS = [14, 15, 16, 17, 18, 19, 20, 21];
/** ASNs Site-to-Site VPN reserves (7224 everywhere, the others in one region each). */
const RESERVED_ASNS: Record<number, string | undefined> = {
  7224: undefined, 9059: 'eu-west-1', 10124: 'ap-northeast-1', 17943: 'ap-southeast-1',
};
const MAX_BGP_ASN = 2_147_483_647;
const MAX_EXTENDED_ASN = 4_294_967_294;
const AMAZON_ASN_RANGES: Array<[number, number]> = [[64_512, 65_534], [4_200_000_000, 4_294_967_294]];

/** What a tunnel does when dead peer detection times out. */
export enum DpdTimeoutAction {
  /** Restart the IKE session (the tunnel comes back without the customer gateway initiating). */
  RESTART = 'restart',
  /** End the IKE session and clear the tunnel. */
  CLEAR = 'clear',
  /** Do nothing. */
  NONE = 'none',
}

/** Who starts the IKE negotiation of a tunnel. */
export enum VpnStartupAction {
  /** The customer gateway starts it. */
  ADD = 'add',
  /** AWS starts it (IKEv2 only). */
  START = 'start',
}

/** The bandwidth of each tunnel. */
export enum VpnTunnelBandwidth {
  /** Up to 1.25 Gbps per tunnel. */
  STANDARD = 'standard',
  /** Up to 5 Gbps per tunnel (Transit Gateway only). */
  LARGE = 'large',
}

/**
 * Options for a VPN that ends on a virtual private gateway of a VPC.
 */
export interface VpnGatewayOptions {
  /**
   * The virtual private gateway's BGP ASN (its own, not the customer gateway's).
   *
   * @default 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * The subnets whose route tables receive the routes the gateway learns.
   *
   * @default - the private and isolated subnets
   */
  readonly routePropagation?: ec2.SubnetSelection[];
}

/**
 * Where a HybridVpn ends: a VPC (through a new virtual private gateway) or a HubTransitGateway segment.
 */
export abstract class VpnTarget {
  /** A VPC, through a virtual private gateway of its own with route propagation. */
  public static vpc(vpc: ec2.IVpc, options: VpnGatewayOptions = {}): VpnTarget {
    return new class extends VpnTarget {
      public readonly targetVpc = vpc;
      public readonly vpnGatewayOptions = options;
    }();
  }

  /** A segment of a HubTransitGateway. */
  public static transitGateway(hub: HubTransitGateway, segment: string): VpnTarget {
    return new class extends VpnTarget {
      public readonly targetHub = hub;
      public readonly targetSegment = segment;
    }();
  }

  /** The VPC, for a VPC target. */
  public readonly targetVpc?: ec2.IVpc;
  /** The gateway options, for a VPC target. */
  public readonly vpnGatewayOptions?: VpnGatewayOptions;
  /** The hub, for a Transit Gateway target. */
  public readonly targetHub?: HubTransitGateway;
  /** The segment, for a Transit Gateway target. */
  public readonly targetSegment?: string;
}

/**
 * One of the two tunnels of a HybridVpn.
 */
export interface VpnTunnel {
  /**
   * The tunnel's inside CIDR: a /30 in 169.254.0.0/16 other than the blocks AWS reserves.
   *
   * @default - chosen by AWS
   */
  readonly insideCidr?: string;

  /**
   * A Secrets Manager secret whose SecretString is the tunnel's pre-shared key (8-64 characters of letters,
   * digits, periods and underscores, not starting with 0). Only a dynamic reference to it enters the
   * template.
   *
   * @default - AWS generates the key and stores it in Secrets Manager
   */
  readonly preSharedKeySecret?: secretsmanager.ISecret;
}

/**
 * Direct Connect for a HybridVpn: a Direct Connect gateway associated with the same gateway as the VPN,
 * so that Direct Connect carries the traffic and the VPN is the backup path.
 */
export interface VpnDirectConnectOptions {
  /**
   * An existing Direct Connect gateway.
   *
   * @default - a new Direct Connect gateway
   */
  readonly directConnectGatewayId?: string;

  /**
   * The BGP ASN of a new Direct Connect gateway: 64512-65534 or 4200000000-4294967294.
   *
   * @default 64513
   */
  readonly amazonSideAsn?: number;

  /**
   * The prefixes advertised to on-premises over Direct Connect. Required with a Transit Gateway.
   *
   * @default - the VPC CIDR (virtual private gateway target)
   */
  readonly allowedPrefixes?: string[];
}

/**
 * Properties for a HybridVpn.
 */
export interface HybridVpnProps {
  /** The public IPv4 address of the customer gateway device. */
  readonly customerGatewayIp: string;

  /**
   * The customer gateway's BGP ASN: 1-2147483647, or 2147483648-4294967294 as a 4-byte ASN.
   *
   * @default 65000
   */
  readonly customerGatewayAsn?: number;

  /**
   * A name for the customer gateway device.
   *
   * @default - none
   */
  readonly customerGatewayDeviceName?: string;

  /** Where the VPN ends: `VpnTarget.vpc(vpc)` or `VpnTarget.transitGateway(hub, segment)`. */
  readonly target: VpnTarget;

  /**
   * Static routing with these on-premises prefixes instead of BGP. BGP is preferred: it fails over
   * between tunnels by itself and is needed for ECMP on a Transit Gateway.
   *
   * @default - BGP (dynamic routing)
   */
  readonly staticRoutes?: string[];

  /**
   * The two tunnels' inside CIDRs and pre-shared keys.
   *
   * @default - two tunnels with AWS-chosen inside CIDRs and AWS-generated keys stored in Secrets Manager
   */
  readonly tunnels?: VpnTunnel[];

  /**
   * Phase 1 and phase 2 encryption algorithms (AES256, AES256-GCM-16).
   *
   * @default ['AES256', 'AES256-GCM-16']
   */
  readonly encryptionAlgorithms?: string[];

  /**
   * Phase 1 and phase 2 integrity algorithms (SHA2-256, SHA2-384, SHA2-512).
   *
   * @default ['SHA2-256', 'SHA2-384', 'SHA2-512']
   */
  readonly integrityAlgorithms?: string[];

  /**
   * Phase 1 and phase 2 Diffie-Hellman groups (14-21).
   *
   * @default [14, 15, 16, 17, 18, 19, 20, 21]
   */
  readonly dhGroups?: number[];

  /**
   * The phase 1 (IKE) lifetime: 900-28,800 seconds.
   *
   * @default Duration.hours(8)
   */
  readonly phase1Lifetime?: Duration;

  /**
   * The phase 2 (IPsec) lifetime: 900-3,600 seconds, less than the phase 1 lifetime.
   *
   * @default Duration.hours(1)
   */
  readonly phase2Lifetime?: Duration;

  /**
   * How long before the phase 2 lifetime ends AWS rekeys: 60 seconds to half the phase 2 lifetime.
   *
   * @default Duration.seconds(270)
   */
  readonly rekeyMarginTime?: Duration;

  /**
   * The random share of the rekey margin, 0-100 percent.
   *
   * @default 100
   */
  readonly rekeyFuzzPercentage?: number;

  /**
   * The IKE replay window: 64-2,048 packets.
   *
   * @default 1024
   */
  readonly replayWindowSize?: number;

  /**
   * Dead peer detection timeout: at least 30 seconds.
   *
   * @default Duration.seconds(30)
   */
  readonly dpdTimeout?: Duration;

  /**
   * What happens when dead peer detection times out.
   *
   * @default DpdTimeoutAction.RESTART
   */
  readonly dpdTimeoutAction?: DpdTimeoutAction;

  /**
   * Who starts the IKE negotiation.
   *
   * @default VpnStartupAction.ADD
   */
  readonly startupAction?: VpnStartupAction;

  /**
   * How long tunnel (and BGP) logs are kept in CloudWatch Logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Whether the VPN uses AWS Global Accelerator (Transit Gateway only).
   *
   * @default false
   */
  readonly acceleration?: boolean;

  /**
   * The bandwidth of each tunnel.
   *
   * @default VpnTunnelBandwidth.STANDARD
   */
  readonly tunnelBandwidth?: VpnTunnelBandwidth;

  /**
   * Direct Connect as the primary path, with the VPN as its backup.
   *
   * @default - no Direct Connect
   */
  readonly directConnect?: VpnDirectConnectOptions;

  /**
   * Whether to alarm when a tunnel is down and when both are.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Actions (an SNS topic, an incident tool) for every alarm, for the ALARM and OK states. More can be
   * added with `addAlarmAction`.
   *
   * @default - none: the alarms change state and show in the console only
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * A customer managed KMS key for the tunnel log group. A key defined in this app gets a key policy
   * statement letting CloudWatch Logs in this region use it for this account's log groups; an imported key
   * must allow that already (a warning says so).
   *
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * A Site-to-Site VPN from an on-premises customer gateway to a VPC (virtual private gateway) or to a
 * HubTransitGateway segment, with hardened tunnels (IKEv2 only, AES-256 and SHA-2, DH groups 14-21, DPD
 * restart), keys kept out of the template, tunnel and BGP logs, alarms, and optionally a Direct Connect
 * gateway as the primary path.
 */
export class HybridVpn extends Construct implements IMonitoredPattern {
  /** The VPN connection. */
  public readonly vpnConnection: ec2.CfnVPNConnection;

  /** The VPN connection ID. */
  public readonly vpnConnectionId: string;

  /** The customer gateway. */
  public readonly customerGateway: ec2.CfnCustomerGateway;

  /** The virtual private gateway, for a VPC target. */
  public readonly vpnGateway?: ec2.CfnVPNGateway;

  /** The VPN's attachment on the hub, for a Transit Gateway target. */
  public readonly hubAttachment?: HubResourceAttachment;

  /** The Direct Connect gateway, when created here. */
  public readonly directConnectGateway?: directconnect.CfnDirectConnectGateway;

  /** The log group of tunnel and BGP logs. */
  public readonly logGroup: logs.LogGroup;

  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  private readonly target: VpnTarget;

  constructor(scope: Construct, id: string, props: HybridVpnProps) {
    super(scope, id);
    this.target = props.target;
    watchResourceBudget(this);
    const stack = Stack.of(this);
    const target = props.target;
    const asn = props.customerGatewayAsn ?? 65_000;
    const bgp = props.staticRoutes === undefined;
    this.validateProps(props, asn);

    this.customerGateway = new ec2.CfnCustomerGateway(this, 'CustomerGateway', {
      type: 'ipsec.1',
      ipAddress: props.customerGatewayIp,
      ...(asn > MAX_BGP_ASN ? { bgpAsnExtended: asn } : { bgpAsn: asn }),
      deviceName: props.customerGatewayDeviceName,
      tags: [{ key: 'Name', value: `${stack.stackName}-${id}` }],
    });

    let vpnGatewayId: string | undefined;
    let gatewayAttachment: ec2.CfnVPCGatewayAttachment | undefined;
    if (target.targetVpc !== undefined) {
      this.vpnGateway = new ec2.CfnVPNGateway(this, 'VpnGateway', {
        type: 'ipsec.1',
        amazonSideAsn: target.vpnGatewayOptions?.amazonSideAsn ?? 64_512,
        tags: [{ key: 'Name', value: `${stack.stackName}-${id}` }],
      });
      vpnGatewayId = this.vpnGateway.ref;
      gatewayAttachment = new ec2.CfnVPCGatewayAttachment(this, 'VpnGatewayAttachment', {
        vpcId: target.targetVpc.vpcId,
        vpnGatewayId,
      });
      const selections = target.vpnGatewayOptions?.routePropagation;
      const subnets = selections === undefined
        ? [...target.targetVpc.privateSubnets, ...target.targetVpc.isolatedSubnets]
        : selections.flatMap((selection) => target.targetVpc!.selectSubnets(selection).subnets);
      const routeTableIds = new Set(subnets.map((subnet) => subnet.routeTable.routeTableId));
      if (routeTableIds.size > 0) {
        const propagation = new ec2.CfnVPNGatewayRoutePropagation(this, 'RoutePropagation', {
          routeTableIds: [...routeTableIds],
          vpnGatewayId,
        });
        propagation.node.addDependency(gatewayAttachment);
      }
    }

    this.logGroup = logGroup(this, 'TunnelLogs', { retention: props.logRetention, encryptionKey: props.logEncryptionKey });
    const suppliedKeys = (props.tunnels ?? []).filter((t) => t.preSharedKeySecret !== undefined).length;
    const tunnels: VpnTunnel[] = props.tunnels ?? [{}, {}];
    const algorithms = {
      encryption: props.encryptionAlgorithms ?? ENCRYPTION_ALGORITHMS,
      integrity: props.integrityAlgorithms ?? INTEGRITY_ALGORITHMS,
      dh: props.dhGroups ?? DH_GROUPS,
    };

    this.vpnConnection = new ec2.CfnVPNConnection(this, 'Resource', {
      type: 'ipsec.1',
      customerGatewayId: this.customerGateway.ref,
      vpnGatewayId,
      transitGatewayId: target.targetHub?.transitGatewayId,
      staticRoutesOnly: bgp ? false : true,
      enableAcceleration: props.acceleration,
      tunnelBandwidth: props.tunnelBandwidth,
      // Keys AWS generates are kept in Secrets Manager, not returned in the configuration download.
      preSharedKeyStorage: suppliedKeys === 0 ? 'SecretsManager' : undefined,
      vpnTunnelOptionsSpecifications: tunnels.map((tunnel) => ({
        tunnelInsideCidr: tunnel.insideCidr,
        preSharedKey: tunnel.preSharedKeySecret
          ? SecretValue.secretsManager(tunnel.preSharedKeySecret.secretArn).unsafeUnwrap() // a dynamic reference, not the key
          : undefined,
        ikeVersions: [{ value: 'ikev2' }],
        phase1EncryptionAlgorithms: algorithms.encryption.map((value) => ({ value })),
        phase2EncryptionAlgorithms: algorithms.encryption.map((value) => ({ value })),
        phase1IntegrityAlgorithms: algorithms.integrity.map((value) => ({ value })),
        phase2IntegrityAlgorithms: algorithms.integrity.map((value) => ({ value })),
        phase1DhGroupNumbers: algorithms.dh.map((value) => ({ value })),
        phase2DhGroupNumbers: algorithms.dh.map((value) => ({ value })),
        phase1LifetimeSeconds: secondsOf(props.phase1Lifetime) ?? 28_800,
        phase2LifetimeSeconds: secondsOf(props.phase2Lifetime) ?? 3_600,
        rekeyMarginTimeSeconds: secondsOf(props.rekeyMarginTime) ?? 270,
        rekeyFuzzPercentage: props.rekeyFuzzPercentage ?? 100,
        replayWindowSize: props.replayWindowSize ?? 1_024,
        dpdTimeoutSeconds: secondsOf(props.dpdTimeout) ?? MIN_DPD_TIMEOUT,
        dpdTimeoutAction: props.dpdTimeoutAction ?? DpdTimeoutAction.RESTART,
        startupAction: props.startupAction ?? VpnStartupAction.ADD,
        logOptions: {
          cloudwatchLogOptions: {
            logEnabled: true,
            logGroupArn: this.logGroup.logGroupArn,
            logOutputFormat: 'json',
            ...(bgp ? { bgpLogEnabled: true, bgpLogGroupArn: this.logGroup.logGroupArn, bgpLogOutputFormat: 'json' } : {}),
          },
        },
      })),
      tags: [{ key: 'Name', value: `${stack.stackName}-${id}` }],
    });
    if (gatewayAttachment) {
      this.vpnConnection.node.addDependency(gatewayAttachment);
    }
    this.vpnConnectionId = this.vpnConnection.ref;

    if (target.targetHub !== undefined) {
      this.hubAttachment = target.targetHub.attachResource(this, 'HubAttachment', {
        resourceType: HubAttachmentResourceType.VPN,
        resourceId: this.vpnConnectionId,
        segment: target.targetSegment!,
      });
      for (const cidr of props.staticRoutes ?? []) {
        const route = new ec2.CfnTransitGatewayRoute(this.hubAttachment, `Route${routeIdSuffix(cidr)}`, {
          transitGatewayRouteTableId: target.targetHub.segment(target.targetSegment!).routeTableId,
          destinationCidrBlock: cidr,
          transitGatewayAttachmentId: this.hubAttachment.transitGatewayAttachmentId,
        });
        route.node.addDependency(this.hubAttachment.lookup);
      }
      if (!bgp) {
        Annotations.of(this).addWarningV2('cdk-reference-patterns:staticVpnOnTgw',
          'staticRoutes on a Transit Gateway: traffic uses one tunnel at a time (ECMP across tunnels needs BGP) and failover waits for dead peer detection');
      }
    } else {
      for (const cidr of props.staticRoutes ?? []) {
        new ec2.CfnVPNConnectionRoute(this, `Route${routeIdSuffix(cidr)}`, {
          vpnConnectionId: this.vpnConnectionId,
          destinationCidrBlock: cidr,
        });
      }
    }

    if (props.directConnect !== undefined) {
      this.directConnectGateway = this.addDirectConnect(props.directConnect, vpnGatewayId);
      // A Transit Gateway prefers static routes over every propagated one, Direct Connect's included:
      // https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html (route evaluation order)
      if (!bgp && target.targetHub !== undefined) {
        Annotations.of(this).addWarningV2('cdk-reference-patterns:staticVpnBeatsDirectConnect',
          'staticRoutes with directConnect on a Transit Gateway: static VPN routes take precedence over routes propagated from Direct Connect, so the VPN, not Direct Connect, carries the traffic; use BGP to keep Direct Connect primary');
      }
    }

    if (props.alarms ?? true) {
      this.alarms.push(new cloudwatch.Alarm(this, 'TunnelDownAlarm', {
        alarmDescription: `A tunnel of ${this.node.path} is down: the VPN runs without redundancy`,
        // The VPN-level TunnelState averages the tunnels: below 1 means at least one is down.
        metric: this.metricTunnelState({ statistic: cloudwatch.Stats.MINIMUM }),
        threshold: 1,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }));
      this.alarms.push(new cloudwatch.Alarm(this, 'AllTunnelsDownAlarm', {
        alarmDescription: `Both tunnels of ${this.node.path} are down: on-premises is unreachable through the VPN`,
        metric: this.metricTunnelState({ statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }));
    }
    this.addAlarmAction(...props.alarmActions ?? []);
  }

  /**
   * The VPN's TunnelState (AWS/VPN): 1 when both tunnels are up, 0 when both are down, in between when one is.
   */
  public metricTunnelState(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/VPN',
      metricName: 'TunnelState',
      dimensionsMap: { VpnId: this.vpnConnectionId },
      period: Duration.minutes(5),
      ...props,
    });
  }

  /**
   * Adds the given actions to every alarm of this construct, for the ALARM and OK states.
   */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    wireAlarmActions(this.alarms, actions);
  }

  private addDirectConnect(options: VpnDirectConnectOptions, vpnGatewayId?: string): directconnect.CfnDirectConnectGateway | undefined {
    const target = this.target;
    let gateway: directconnect.CfnDirectConnectGateway | undefined;
    let gatewayId = options.directConnectGatewayId;
    if (gatewayId === undefined) {
      gateway = new directconnect.CfnDirectConnectGateway(this, 'DirectConnectGateway', {
        directConnectGatewayName: `${Stack.of(this).stackName}-${this.node.id}`.slice(0, 100),
        amazonSideAsn: String(options.amazonSideAsn ?? 64_513),
      });
      gatewayId = gateway.attrDirectConnectGatewayId;
    }
    const allowed = options.allowedPrefixes
      ?? (target.targetVpc !== undefined ? [target.targetVpc.vpcCidrBlock] : undefined);
    const association = new directconnect.CfnDirectConnectGatewayAssociation(this, 'DirectConnectAssociation', {
      directConnectGatewayId: gatewayId,
      associatedGatewayId: vpnGatewayId ?? target.targetHub!.transitGatewayId,
      allowedPrefixesToDirectConnectGateway: allowed,
    });
    if (target.targetHub !== undefined) {
      const attachment = target.targetHub.attachResource(this, 'DirectConnectHubAttachment', {
        resourceType: HubAttachmentResourceType.DIRECT_CONNECT_GATEWAY,
        resourceId: gatewayId,
        segment: target.targetSegment!,
      });
      attachment.node.addDependency(association);
    }
    return gateway;
  }

  private validateProps(props: HybridVpnProps, asn: number): void {
    const target = props.target;
    const region = Stack.of(this).region;
    const ip = props.customerGatewayIp;
    if (!Token.isUnresolved(ip) && !isPublicIpv4(ip)) {
      fail(this, `customerGatewayIp must be a public IPv4 address such as 203.0.113.10, but '${ip}' was provided`);
    }
    if (!Token.isUnresolved(asn)) {
      if (!Number.isInteger(asn) || asn < 1 || asn > MAX_EXTENDED_ASN) {
        fail(this, `customerGatewayAsn must be a whole number from 1 to ${MAX_EXTENDED_ASN}, but ${asn} was provided`);
      }
      if (asn in RESERVED_ASNS && (RESERVED_ASNS[asn] === undefined || RESERVED_ASNS[asn] === region || Token.isUnresolved(region))) {
        fail(this, `customerGatewayAsn ${asn} is reserved by Site-to-Site VPN${RESERVED_ASNS[asn] ? ` in ${RESERVED_ASNS[asn]}` : ''}: choose another ASN`);
      }
    }
    if ((target.targetVpc === undefined) === (target.targetHub === undefined)) {
      fail(this, 'target must be VpnTarget.vpc(vpc) or VpnTarget.transitGateway(hub, segment)');
    }
    if (target.targetHub !== undefined) {
      target.targetHub.segment(target.targetSegment!);
    }
    const vgwAsn = target.vpnGatewayOptions?.amazonSideAsn;
    if (vgwAsn !== undefined && !Token.isUnresolved(vgwAsn) && !inRanges(vgwAsn, AMAZON_ASN_RANGES)) {
      fail(this, `target amazonSideAsn must be a whole number in 64512-65534 or 4200000000-4294967294, but ${vgwAsn} was provided`);
    }
    const amazonAsn = target.targetVpc !== undefined ? vgwAsn ?? 64_512 : Number(target.targetHub!.transitGateway.amazonSideAsn ?? 64_512);
    if (props.staticRoutes === undefined && !Token.isUnresolved(asn) && !Token.isUnresolved(amazonAsn) && asn === amazonAsn) {
      fail(this, `customerGatewayAsn must differ from the AWS side's ASN (${amazonAsn}) for BGP, but ${asn} was provided`);
    }

    if (props.staticRoutes !== undefined) {
      if (props.staticRoutes.length === 0) {
        fail(this, 'staticRoutes must list at least one prefix when given (leave it unset for BGP), but an empty list was provided');
      }
      for (const cidr of props.staticRoutes) {
        if (!Token.isUnresolved(cidr) && !isIpv4Cidr(cidr)) {
          fail(this, `staticRoutes must hold IPv4 CIDR blocks such as 192.168.0.0/16, but '${cidr}' was provided`);
        }
      }
    }

    const tunnels = props.tunnels;
    if (tunnels !== undefined) {
      if (tunnels.length !== 2) {
        fail(this, `tunnels must describe exactly the 2 tunnels of a VPN connection, but ${tunnels.length} were provided`);
      }
      const keyed = tunnels.filter((t) => t.preSharedKeySecret !== undefined).length;
      if (keyed === 1) {
        fail(this, 'tunnels must both take their preSharedKeySecret or both leave it to AWS, but only one was given');
      }
      const cidrs: string[] = [];
      tunnels.forEach((tunnel, index) => {
        const cidr = tunnel.insideCidr;
        if (cidr === undefined || Token.isUnresolved(cidr)) {
          return;
        }
        const prop = `tunnels[${index}].insideCidr`;
        if (!isIpv4Cidr(cidr) || !cidr.endsWith('/30') || !cidr.startsWith('169.254.')) {
          fail(this, `${prop} must be a /30 block in 169.254.0.0/16, but '${cidr}' was provided`);
        }
        if (parseCidr(cidr).start !== parseCidr(cidr.replace(/\/30$/, '/32')).start) {
          fail(this, `${prop} must start on a /30 boundary (the last octet a multiple of 4), but '${cidr}' was provided`);
        }
        if (RESERVED_INSIDE_CIDRS.includes(cidr)) {
          fail(this, `${prop} must not be one of the blocks AWS reserves (${RESERVED_INSIDE_CIDRS.join(', ')}), but '${cidr}' was provided`);
        }
        if (cidrs.includes(cidr)) {
          fail(this, `tunnels must have distinct inside CIDRs, but '${cidr}' was provided twice`);
        }
        cidrs.push(cidr);
      });
    }

    checkList(this, 'encryptionAlgorithms', props.encryptionAlgorithms, ENCRYPTION_ALGORITHMS);
    checkList(this, 'integrityAlgorithms', props.integrityAlgorithms, INTEGRITY_ALGORITHMS);
    checkList(this, 'dhGroups', props.dhGroups, DH_GROUPS);

    const phase1 = secondsOf(props.phase1Lifetime);
    const phase2 = secondsOf(props.phase2Lifetime);
    rangeSeconds(this, 'phase1Lifetime', phase1, PHASE1_LIFETIME[0], PHASE1_LIFETIME[1]);
    rangeSeconds(this, 'phase2Lifetime', phase2, PHASE2_LIFETIME[0], PHASE2_LIFETIME[1]);
    const p1 = phase1 ?? 28_800;
    const p2 = phase2 ?? 3_600;
    if (p2 >= p1) {
      fail(this, `phase2Lifetime (${p2} seconds) must be less than phase1Lifetime (${p1} seconds)`);
    }
    rangeSeconds(this, 'rekeyMarginTime', secondsOf(props.rekeyMarginTime), MIN_REKEY_MARGIN, Math.floor(p2 / 2));
    validateInteger(this, 'rekeyFuzzPercentage', props.rekeyFuzzPercentage, 0, 100);
    validateInteger(this, 'replayWindowSize', props.replayWindowSize, REPLAY_WINDOW[0], REPLAY_WINDOW[1]);
    const dpd = secondsOf(props.dpdTimeout);
    if (dpd !== undefined && (dpd < MIN_DPD_TIMEOUT || !Number.isInteger(dpd))) {
      fail(this, `dpdTimeout must be a whole number of seconds, at least ${MIN_DPD_TIMEOUT}, but ${dpd} was provided`);
    }

    if (props.acceleration && target.targetHub === undefined) {
      fail(this, 'acceleration is available only with a Transit Gateway target (VpnTarget.transitGateway), but the target is a VPC');
    }
    if (props.tunnelBandwidth === VpnTunnelBandwidth.LARGE && target.targetHub === undefined) {
      fail(this, 'tunnelBandwidth LARGE is available only with a Transit Gateway target, but the target is a VPC');
    }

    const dx = props.directConnect;
    if (dx !== undefined) {
      if (dx.directConnectGatewayId !== undefined && dx.amazonSideAsn !== undefined) {
        fail(this, 'directConnect.amazonSideAsn applies only to a new Direct Connect gateway, but directConnectGatewayId was provided too');
      }
      if (dx.amazonSideAsn !== undefined && !Token.isUnresolved(dx.amazonSideAsn) && !inRanges(dx.amazonSideAsn, AMAZON_ASN_RANGES)) {
        fail(this, `directConnect.amazonSideAsn must be a whole number in 64512-65534 or 4200000000-4294967294, but ${dx.amazonSideAsn} was provided`);
      }
      const dxAsn = dx.directConnectGatewayId === undefined ? dx.amazonSideAsn ?? 64_513 : undefined;
      if (dxAsn !== undefined && target.targetHub !== undefined && !Token.isUnresolved(amazonAsn) && dxAsn === amazonAsn) {
        fail(this, `directConnect.amazonSideAsn must differ from the Transit Gateway's ASN (${amazonAsn}), but ${dxAsn} was provided`);
      }
      if (target.targetHub !== undefined && (dx.allowedPrefixes === undefined || dx.allowedPrefixes.length === 0)) {
        fail(this, 'directConnect.allowedPrefixes must list the prefixes to advertise over Direct Connect with a Transit Gateway target, but none were provided');
      }
      if (dx.allowedPrefixes !== undefined && dx.allowedPrefixes.length === 0) {
        // AllowedPrefixesToDirectConnectGateway takes at least one prefix; unset, the VPC's CIDR is advertised.
        fail(this, 'directConnect.allowedPrefixes must list at least one prefix when given (leave it unset to advertise the VPC\'s CIDR), but an empty list was provided');
      }
      for (const cidr of dx.allowedPrefixes ?? []) {
        if (!Token.isUnresolved(cidr) && !isIpv4Cidr(cidr)) {
          fail(this, `directConnect.allowedPrefixes must hold IPv4 CIDR blocks, but '${cidr}' was provided`);
        }
      }
    }
  }
}

function inRanges(value: number, ranges: Array<[number, number]>): boolean {
  return Number.isInteger(value) && ranges.some(([min, max]) => value >= min && value <= max);
}

function rangeSeconds(scope: Construct, prop: string, seconds: number | undefined, min: number, max: number): void {
  if (seconds !== undefined && (seconds < min || seconds > max || !Number.isInteger(seconds))) {
    fail(scope, `${prop} must be a whole number of seconds from ${min} to ${max}, but ${seconds} was provided`);
  }
}

function checkList<T extends string | number>(scope: Construct, prop: string, values: T[] | undefined, allowed: T[]): void {
  if (values === undefined) {
    return;
  }
  if (values.length === 0) {
    fail(scope, `${prop} must list at least one of ${allowed.join(', ')}, but an empty list was provided`);
  }
  for (const value of values) {
    if (!allowed.includes(value)) {
      fail(scope, `${prop} may hold only ${allowed.join(', ')} (strong algorithms), but ${JSON.stringify(value)} was provided`);
    }
  }
}

/** A dotted-quad IPv4 address outside private, shared, loopback, link-local, multicast and reserved ranges. */
function isPublicIpv4(ip: string): boolean {
  if (!isIpv4Cidr(`${ip}/32`)) {
    return false;
  }
  const address = parseCidr(`${ip}/32`).start;
  const blocked = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
    '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/3'];
  return !blocked.some((cidr) => {
    const range = parseCidr(cidr);
    return address >= range.start && address <= range.end;
  });
}
