import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Limits a service sets on a resource policy. */
export interface PolicyQuotas {
  readonly service: string;
  readonly statements: number;
  readonly principals: number;
  readonly bytes: number;
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : value === undefined ? 0 : 1;
}

/**
 * What a rendered resource policy exceeds of the service's quotas, as the template will hold it (after
 * aws-cdk-lib merges statements that differ only in principals). The size counts unresolved references
 * as their short JSON form, so it is a lower bound: only a policy certainly too large is reported.
 */
export function policyQuotaProblems(scope: IConstruct, what: string, document: unknown, quotas: PolicyQuotas): string[] {
  const resolved = Stack.of(scope).resolve(document) as { Statement?: Array<{ Principal?: unknown }> } | undefined;
  const statements = resolved?.Statement ?? [];
  const principals = statements.reduce((sum, s) => sum + (typeof s.Principal === 'object' && s.Principal !== null
    ? Object.values(s.Principal).reduce<number>((n, v) => n + count(v), 0)
    : count(s.Principal)), 0);
  const bytes = Token.isUnresolved(JSON.stringify(resolved)) ? 0 : JSON.stringify(resolved).length;
  const problems: string[] = [];
  for (const [name, value, limit] of [['statements', statements.length, quotas.statements], ['principals', principals, quotas.principals], ['bytes', bytes, quotas.bytes]] as const) {
    if (value > limit) {
      problems.push(`${what} may hold at most ${limit} ${name} (${quotas.service}'s limit), but it has ${value}`);
    }
  }
  return problems;
}
