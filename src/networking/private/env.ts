import { Token } from 'aws-cdk-lib';

/** An account and region, either of which may be a Token (an environment-agnostic stack). */
export interface Env {
  readonly account: string;
  readonly region: string;
}

/**
 * How `other` differs from `home` where both are known at synth: 'region', 'account', or undefined when
 * they match or cannot be compared (a Token on either side).
 */
export function envDifference(home: Env, other: Env): 'region' | 'account' | undefined {
  const known = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b);
  if (known(home.region, other.region) && home.region !== other.region) {
    return 'region';
  }
  if (known(home.account, other.account) && home.account !== other.account) {
    return 'account';
  }
  return undefined;
}
