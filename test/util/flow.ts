import { IConstruct } from 'constructs';
import { buildGraph, FlowEntry, FlowGraph } from '../../scripts/diagrams';
import { FLOW_METADATA_TYPE, FlowEdge, FlowFragment } from '../../src/core/private/flow';

/** The flow descriptions recorded in a construct tree (no synthesis), in tree order. */
export function flowEntries(root: IConstruct): FlowEntry[] {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === FLOW_METADATA_TYPE)
    .map((m) => ({ path: c.node.path, fragment: m.data as FlowFragment })));
}

/**
 * The merged data-flow graph of a construct tree as scripts/diagrams.ts builds it (an edge naming an
 * undeclared node throws), optionally only what `under` recorded and the nodes it reaches.
 */
export function flowGraph(root: IConstruct, under?: string): FlowGraph {
  return buildGraph({ stacks: new Map(), entries: flowEntries(root) }, under);
}

/** An edge of the graph as `from -> to [label]`, with node ids relative to `prefix`, for readable assertions. */
export function edgeText(edge: FlowEdge, prefix = ''): string {
  const short = (id: string) => id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return `${short(edge.from)} -> ${short(edge.to)}${edge.label === undefined ? '' : ` [${edge.label}]`}${edge.style === undefined || edge.style === 'data' ? '' : ` (${edge.style})`}`;
}
