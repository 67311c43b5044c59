// Diagram-only: what an example adds to the data flow its constructs describe (producers, consumers outside
// the constructs) for the README diagrams, which scripts/diagrams.ts draws from the synthesized app. It
// writes the construct metadata the library's constructs write (type 'cdk-reference-patterns:flow', format
// in src/core/private/flow.ts) and changes no template: leave it and its calls out of your own app.
import { Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/** A node or group: a construct (by its path) or something named under a scope. */
export interface FlowRef {
  readonly id: string;
  readonly stack?: string;
}

/** What the example's nodes stand for (a subset of the library's kinds). */
export type ExampleNodeKind = 'client' | 'function' | 'autoScalingGroup' | 'onPremises';

/** Edge styles, as in the library. */
export type ExampleEdgeStyle = 'data' | 'both' | 'primary' | 'backup' | 'failure' | 'blocked';

function refOf(target: IConstruct | FlowRef): FlowRef {
  return Construct.isConstruct(target) ? { id: target.node.path, stack: Stack.of(target).artifactId } : target;
}

/** Records an example's nodes and edges as metadata on `scope`. */
export class ExampleFlow {
  constructor(private readonly scope: IConstruct) {}

  /**
   * A node: for a construct of the example, or for something the app does not define (`name` under the
   * scope; in the scope's stack unless `outsideStack`).
   */
  public node(target: IConstruct | string, kind: ExampleNodeKind, label: string, options: { detail?: string; outsideStack?: boolean } = {}): FlowRef {
    const ref = typeof target === 'string'
      ? { id: `${this.scope.node.path}/${target}`, stack: options.outsideStack ? undefined : Stack.of(this.scope).artifactId }
      : refOf(target);
    this.scope.node.addMetadata('cdk-reference-patterns:flow', JSON.parse(JSON.stringify({
      nodes: [{ id: ref.id, kind, label, detail: options.detail, stack: ref.stack }],
    })));
    return ref;
  }

  /** Data or traffic moving from `from` to `to` (constructs, or refs from `node`). */
  public edge(from: IConstruct | FlowRef, to: IConstruct | FlowRef, label?: string, style?: ExampleEdgeStyle): void {
    this.scope.node.addMetadata('cdk-reference-patterns:flow', JSON.parse(JSON.stringify({
      edges: [{ from: refOf(from).id, to: refOf(to).id, label, style }],
    })));
  }
}
