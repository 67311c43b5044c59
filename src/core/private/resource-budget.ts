import { Annotations, Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** CloudFormation's limit of resources per stack. */
export const STACK_RESOURCE_LIMIT = 500;
/** Warn from this share of the limit on. */
const WARN_AT = 0.9;
const MARKER = 'cdk-reference-patterns:resourceBudget';

/**
 * Warns (once per stack, at synth) when a stack that holds one of this library's constructs nears
 * CloudFormation's 500-resource limit, saying how to split it. aws-cdk-lib fails synthesis past the limit;
 * the warning comes while there is still room to act.
 */
class ResourceBudget implements IAspect {
  private warned = false;

  public visit(node: IConstruct): void {
    if (this.warned || !Stack.isStack(node)) {
      return;
    }
    const count = node.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === node).length;
    if (count >= STACK_RESOURCE_LIMIT * WARN_AT) {
      this.warned = true;
      Annotations.of(node).addWarningV2(MARKER,
        `${node.node.path} holds ${count} resources; CloudFormation allows ${STACK_RESOURCE_LIMIT} per stack. Move spoke VPCs, subscriber queues or consumers into stacks of their own (the constructs accept resources from other stacks of the same app)`);
    }
  }
}

/** Registers the budget check on the construct's stack (once per stack). */
export function watchResourceBudget(scope: IConstruct): void {
  const stack = Stack.of(scope);
  const marked = stack as unknown as Record<string, unknown>;
  if (!marked[MARKER]) {
    marked[MARKER] = true;
    Aspects.of(stack).add(new ResourceBudget());
  }
}
