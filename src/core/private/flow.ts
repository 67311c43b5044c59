import { Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * Data-flow descriptions: each construct says, as it builds, which AWS resources a user reasons about (nodes),
 * how they are grouped (a Transit Gateway and its segments, a VPC, a VPN connection, on-premises) and which
 * way data or traffic moves between them (edges, labelled with what matters: "filter kind=order", "redrive
 * after 5 receives", "COPY every 60 s", "BGP", "blackhole"). Plumbing stays out: roles, policies, log groups,
 * custom-resource providers, alarms.
 *
 * Each call adds one construct metadata entry of type `cdk-reference-patterns:flow` on the recording
 * construct, so the descriptions land in the cloud assembly (the stack artifact's metadata, per construct
 * path) and scripts/diagrams.ts draws the README diagrams from a synthesized app without loading it.
 * Metadata is not part of the CloudFormation template: templates and their snapshots do not change.
 *
 * The entry's data is a fragment `{ nodes?, groups?, edges? }` of the types below. A node or group id is
 * the construct path of the resource it stands for (`Orders/Orders/Topic`), or a path under the recording
 * construct for what is not a construct (`Net/DataCentre/Resource/Tunnel1`): stable, unique in the app, and
 * an edge can name a node that another construct declares (a FanOutTopic's edge to the queue its
 * BufferedQueueWithDlq declares; a HybridVpn's edge to the attachment its HubTransitGateway declares).
 */
export const FLOW_METADATA_TYPE = 'cdk-reference-patterns:flow';

/** What a node stands for: the renderer gives each its caption, shape and colour. */
export const FLOW_NODE_KINDS = [
  'topic', 'queue', 'deadLetterQueue', 'function', 'autoScalingGroup', 'httpsEndpoint', 'email',
  'stream', 'deliveryStream', 'bucket', 'redshiftWorkgroup', 'redshiftCluster',
  'api', 'table', 'distribution',
  'vpc', 'vpcAttachment', 'vpnAttachment', 'directConnectAttachment', 'peeringAttachment', 'attachment', 'blackhole',
  'vpnGateway', 'customerGateway', 'tunnel', 'directConnectGateway', 'directConnect', 'onPremises', 'client',
] as const;
export type FlowNodeKind = typeof FLOW_NODE_KINDS[number];

/** What a group stands for. */
export const FLOW_GROUP_KINDS = ['transitGateway', 'segment', 'vpc', 'vpnConnection', 'onPremises'] as const;
export type FlowGroupKind = typeof FLOW_GROUP_KINDS[number];

/**
 * How an edge is drawn: `data` (one way), `both` (traffic both ways), `primary` (the preferred path),
 * `backup` (the standby path), `failure` (where failed messages go), `blocked` (dropped).
 */
export const FLOW_EDGE_STYLES = ['data', 'both', 'primary', 'backup', 'failure', 'blocked'] as const;
export type FlowEdgeStyle = typeof FLOW_EDGE_STYLES[number];

/** A resource a user reasons about. */
export interface FlowNode {
  readonly id: string;
  readonly kind: FlowNodeKind;
  /** Its name, e.g. the construct id. */
  readonly label: string;
  /** A short fact shown under the caption, e.g. "3 shards", "ASN 64512". */
  readonly detail?: string;
  /** The artifact id of the stack that holds it; none for what is outside AWS (on-premises, clients). */
  readonly stack?: string;
  /** The group it is drawn in; without one it is drawn in its stack. */
  readonly group?: string;
}

/** A box around nodes: a Transit Gateway, a segment, a VPC, a VPN connection, on-premises. */
export interface FlowGroup {
  readonly id: string;
  readonly kind: FlowGroupKind;
  readonly label: string;
  readonly detail?: string;
  /** The artifact id of the stack that holds it; none for on-premises. */
  readonly stack?: string;
  /** The group it is drawn in; without one it is drawn in its stack. */
  readonly parent?: string;
}

/** The way data or traffic moves between two nodes or groups. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly style?: FlowEdgeStyle;
}

/** What one metadata entry holds. */
export interface FlowFragment {
  readonly nodes?: FlowNode[];
  readonly groups?: FlowGroup[];
  readonly edges?: FlowEdge[];
}

/** A node or group that is not a construct of its own (a tunnel, a route, an on-premises network). */
export interface FlowRef {
  readonly id: string;
  /** The artifact id of its stack, when it is in AWS. */
  readonly stack?: string;
}

/** Something a node, group or edge names: a construct (by its path) or a ref from `flowRef`. */
export type FlowTarget = IConstruct | FlowRef;

/** Options of `Flow.node`. */
export interface FlowNodeOptions {
  readonly detail?: string;
  /** The group to draw the node in. */
  readonly group?: FlowTarget;
}

/** Options of `Flow.group`. */
export interface FlowGroupOptions {
  readonly detail?: string;
  readonly parent?: FlowTarget;
}

/** Options of `Flow.edge`. */
export interface FlowEdgeOptions {
  readonly label?: string;
  /** @default 'data' */
  readonly style?: FlowEdgeStyle;
}

/**
 * A ref for what is not a construct: `name` under `scope`'s path, in `scope`'s stack unless `outsideAws`.
 */
export function flowRef(scope: IConstruct, name: string, outsideAws = false): FlowRef {
  return { id: `${scope.node.path}/${name}`, stack: outsideAws ? undefined : Stack.of(scope).artifactId };
}

/**
 * Text for a label: a deploy-time value (a Token) shows as "(deploy-time value)", since its value is not
 * known at synth (and metadata would resolve it into a CloudFormation intrinsic).
 */
export function flowText(value: string | number | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value === 'number') {
    // Number Tokens are large negative doubles.
    return Number.isFinite(value) && value > -1e15 ? String(value) : '(deploy-time value)';
  }
  return value.replace(/\$\{Token\[[^\]]*\]\}/g, '(deploy-time value)').replace(/#\{Token\[[^\]]*\]\}/g, '(deploy-time value)');
}

/** The path of `target` relative to its stack: a node's default name. */
export function flowName(target: IConstruct): string {
  const stackPath = Stack.of(target).node.path;
  const path = target.node.path;
  const relative = path.startsWith(`${stackPath}/`) ? path.slice(stackPath.length + 1) : path;
  return relative.replace(/\/Resource$/, '');
}

function refOf(target: FlowTarget): FlowRef {
  if (Construct.isConstruct(target)) {
    return { id: target.node.path, stack: Stack.of(target).artifactId };
  }
  return target;
}

/**
 * Records the data flow of one construct: each call adds one metadata entry on it. One call per created
 * resource, subscription, consumer or route, right after it.
 */
export class Flow {
  /** The recorder for `scope` (the construct whose metadata holds the entries). */
  public static of(scope: IConstruct): Flow {
    return new Flow(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Declares a node for `target`; returns its ref for edges. */
  public node(target: FlowTarget, kind: FlowNodeKind, label: string, options: FlowNodeOptions = {}): FlowRef {
    const ref = refOf(target);
    this.add({
      nodes: [{
        id: ref.id,
        kind,
        label: flowText(label)!,
        detail: flowText(options.detail),
        stack: ref.stack,
        group: options.group === undefined ? undefined : refOf(options.group).id,
      }],
    });
    return ref;
  }

  /** Declares a group for `target`; returns its ref for nodes and edges. */
  public group(target: FlowTarget, kind: FlowGroupKind, label: string, options: FlowGroupOptions = {}): FlowRef {
    const ref = refOf(target);
    this.add({
      groups: [{
        id: ref.id,
        kind,
        label: flowText(label)!,
        detail: flowText(options.detail),
        stack: ref.stack,
        parent: options.parent === undefined ? undefined : refOf(options.parent).id,
      }],
    });
    return ref;
  }

  /** Declares that data or traffic moves from `from` to `to`. */
  public edge(from: FlowTarget, to: FlowTarget, options: FlowEdgeOptions = {}): void {
    this.add({ edges: [{ from: refOf(from).id, to: refOf(to).id, label: flowText(options.label), style: options.style }] });
  }

  private add(fragment: FlowFragment): void {
    // JSON without undefined members: the manifest holds exactly what was said.
    this.scope.node.addMetadata(FLOW_METADATA_TYPE, JSON.parse(JSON.stringify(fragment)));
  }
}

/** A short description of an SNS filter policy for an edge label, e.g. "filter kind=order". */
export function filterLabel(filterPolicy?: Record<string, { conditions: unknown[] }>, bodyFiltered?: boolean): string | undefined {
  const parts = Object.entries(filterPolicy ?? {}).map(([key, filter]) => {
    const values = filter.conditions.map((c) => typeof c === 'string' || typeof c === 'number' ? String(c) : JSON.stringify(c).replace(/"/g, ''));
    return `${key}=${values.join('|')}`;
  });
  if (bodyFiltered) {
    parts.push('message body');
  }
  if (parts.length === 0) {
    return undefined;
  }
  const text = `filter ${parts.join(', ')}`;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
