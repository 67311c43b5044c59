import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * An IAM role whose permissions, however they are granted (`grant*` methods of any construct,
 * `addToPolicy`, `addToPrincipalPolicy`), go to one customer managed policy attached to it, instead of the
 * inline default policy an `iam.Role` gets.
 *
 * AWS Config's `iam-no-inline-policy-check` and cdk-nag's IAMNoInlinePolicy rule (NIST 800-53 rev 5, HIPAA
 * Security, PCI DSS 3.2.1) flag inline policies: a managed policy is versioned, can be reviewed and rolled
 * back on its own. Every role this library creates is one of these; use it for your own roles (a Lambda
 * function's, a flow log's) so that grants from this library's constructs do not add inline policies.
 *
 * The managed policy is created with the first statement (an empty one is not valid), as the child
 * `Policy` of the role; resources that depend on the role depend on it too.
 */
export class ManagedPolicyRole extends iam.Role {
  private managedPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  /** The managed policy holding the role's granted permissions, once a permission was granted. */
  public get permissionsPolicy(): iam.IManagedPolicy | undefined {
    return this.managedPolicy;
  }

  /** Adds the statement to the role's managed policy (created on first use). */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (this.managedPolicy === undefined) {
      this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', {
        roles: [this],
        description: `Permissions of ${this.node.path}`,
      });
    }
    this.managedPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }
}
