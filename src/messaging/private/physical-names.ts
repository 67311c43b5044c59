import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../core/private/validation';

/** A physical name claimed by a construct of the app. */
interface Claim {
  readonly path: string;
  readonly stack: Stack;
}

/** Claims per app (construct tree root), by namespace and name. */
const claims = new WeakMap<IConstruct, Map<string, Claim>>();

/**
 * Records a physical name that must be unique in its account and region (SQS queue names, SNS topic
 * names) and refuses a second use in the same stack, or in another stack of the app deployed to the same
 * account and region. When either stack's account or region is not known at synth (an environment-agnostic
 * stack), the clash cannot be ruled out: a warning says so. Names that are Tokens are not checked.
 *
 * @param namespace what the name must be unique among, e.g. `SQS queue` (queues and dead-letter queues share one)
 */
export function claimPhysicalName(scope: IConstruct, namespace: string, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const root = scope.node.root;
  let byName = claims.get(root);
  if (byName === undefined) {
    byName = new Map();
    claims.set(root, byName);
  }
  const stack = Stack.of(scope);
  const key = `${namespace}\u0000${name}`;
  const other = byName.get(key);
  if (other === undefined) {
    byName.set(key, { path: scope.node.path, stack });
    return;
  }
  const known = (s: Stack) => !Token.isUnresolved(s.account) && !Token.isUnresolved(s.region);
  if (other.stack === stack || (known(stack) && known(other.stack) && stack.account === other.stack.account && stack.region === other.stack.region)) {
    fail(scope, `${prop} must be unique among ${namespace} names in an account and region, but '${name}' is already used by ${other.path}`);
  }
  if (!known(stack) || !known(other.stack)) {
    Annotations.of(scope).addWarningV2('cdk-reference-patterns:physicalName',
      `${prop} '${name}' is also used by ${other.path} in another stack whose account or region is not known at synth: deploying both to one account and region fails (${namespace} names are unique per account and region)`);
  }
}
