// Generator definitions read best on one line each.
/* eslint-disable @stylistic/max-len */
import { CfnParameter, Duration, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { findingsNotClearedByProps, formatFindings, OPS_TOPIC_ARN } from '../util';

/**
 * Property-based robustness: for generated prop sets, building a construct either yields a template that
 * passes aws-cdk-lib's CloudFormation schema validation (errors in test stacks) and the five cdk-nag packs
 * (findings a documented prop clears aside, as the generated set may leave that prop unset), or throws an Error whose message names one of the construct's props. Anything else (a TypeError, an
 * undefined access, a template CloudFormation would reject, an error that names no prop) fails.
 *
 * Seeded for reproducibility; PROPERTY_RUNS (default 40 in `npm test`, 2000 in `npx projen property:long`)
 * and PROPERTY_SEED change the run. Each case synthesizes a stack and runs five rule packs (about half a
 * second): `npm test` samples 40 per construct, the long run explores them in depth.
 */
export const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? (process.env.PROPERTY_REPORT ? 2000 : 40));
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20261126);

/** What one case did, for the long-run report. */
export interface CaseOutcome {
  readonly kind: 'synthesized' | 'rejected';
  readonly message?: string;
}

/** Runs one case; throws (fails the property) on anything but the two accepted outcomes. */
export function checkCase(build: (stack: Stack) => void, newStack: () => Stack, propNames: string[]): CaseOutcome {
  const stack = newStack();
  // Deploy-time values that generated Tokens refer to.
  new CfnParameter(stack, 'DeployTimeNumber', { type: 'Number' });
  new CfnParameter(stack, 'DeployTimeString', { type: 'String' });
  new CfnParameter(stack, 'DeployTimeList', { type: 'CommaDelimitedList' });
  // Not every generated case uses a Token: an unused parameter is expected here (reported on the stack).
  Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::W2001', reason: 'property-test parameters' });
  try {
    build(stack);
  } catch (error) {
    if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) {
      throw new Error(`construction threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    }
    if (!propNames.some((name) => error.message.includes(name))) {
      throw new Error(`the error names no prop: ${error.message}`);
    }
    return { kind: 'rejected', message: error.message.replace(/^[^:]*: /, '') };
  }
  // Synthesis runs the CloudFormation schema validation; a violation throws here and fails the case.
  Template.fromStack(stack);
  // Every pack: a finding fails the case unless a documented prop (which the generated set may leave
  // unset) clears it.
  const findings = findingsNotClearedByProps(stack);
  if (findings.length > 0) {
    throw new Error(`synthesized with compliance findings:\n${formatFindings(findings)}`);
  }
  return { kind: 'synthesized' };
}

/** A Token standing for a number known only at deploy time (a stack parameter). */
export const numberToken = fc.constant(null).map(() => Token.asNumber({ Ref: 'DeployTimeNumber' }));

/** A Token standing for a string known only at deploy time (a stack parameter). */
export const stringToken = fc.constant(null).map(() => Token.asString({ Ref: 'DeployTimeString' }));

/** A list Token: a CommaDelimitedList parameter, or Fn.split of one (both are known only at deploy time). */
export const listToken = fc.constantFrom('parameter', 'split').map((kind) => (kind === 'parameter'
  ? Token.asList({ Ref: 'DeployTimeList' })
  : Fn.split(',', Token.asString({ Ref: 'DeployTimeString' }))));

/** One element of the list parameter (Fn.select), a string Token inside a literal list. */
export const listElementToken = fc.nat(3).map((i) => Token.asString({ 'Fn::Select': [i, { Ref: 'DeployTimeList' }] }));

/**
 * A Duration a template takes in seconds: mostly valid whole seconds in [min, max], sometimes just outside,
 * a Token in seconds (passed through), a Token in minutes (refused: it cannot be converted at synth), NaN,
 * Infinity or a fraction of a second (refused, naming the prop).
 */
export function durationSeconds(min: number, max: number): fc.Arbitrary<Duration> {
  return fc.oneof(
    { weight: 16, arbitrary: fc.integer({ min, max }).map((v) => Duration.seconds(v)) },
    { weight: 1, arbitrary: fc.constantFrom(Math.max(0, min - 1), max + 1).map((v) => Duration.seconds(v)) },
    { weight: 2, arbitrary: numberToken.map((t) => Duration.seconds(t)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(Duration.minutes(Token.asNumber({ Ref: 'DeployTimeNumber' })), Duration.seconds(NaN), Duration.seconds(Infinity),
        Duration.seconds(min + 0.5), Duration.millis(min * 1000 + 1)),
    },
  );
}

/**
 * The placeholder VPC `Vpc.fromLookup` gives the first synthesis (before the CLI has looked the VPC up: ID
 * vpc-12345, CIDR 1.2.3.4/5, two dummy AZs). aws-cdk-lib's schema validation (a flag of the test app) rejects
 * its VPC and subnet IDs in any resource: those findings are acknowledged on the stack, for cases that use a
 * placeholder only.
 */
export function placeholderVpc(scope: Construct, id: string, vpcId: string): ec2.IVpc {
  Validations.of(Stack.of(scope)).acknowledge(
    { id: 'CloudFormation-Validate::E1151', reason: 'Vpc.fromLookup placeholder ID before the lookup' },
    { id: 'CloudFormation-Validate::F3031', reason: 'Vpc.fromLookup placeholder subnet IDs (s-12345, p-12345) before the lookup' },
  );
  return ec2.Vpc.fromLookup(scope, id, { vpcId });
}

/** Mostly valid values, sometimes invalid ones (1 in 13): both outcomes must be explored. */
export function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** An alarm action that needs no resource of its own: the ARN of an imported SNS topic. */
export const OPS_ALARM_ACTION: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: OPS_TOPIC_ARN }) };

/** Optional: the value or undefined (half the time). */
export function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

/** Runs the property and tallies the outcomes. */
export function runProperty<T>(arb: fc.Arbitrary<T>, run: (value: T) => CaseOutcome): { synthesized: number; rejected: number; reasons: Map<string, number> } {
  const tally = { synthesized: 0, rejected: 0, reasons: new Map<string, number>() };
  fc.assert(fc.property(arb, (value) => {
    const outcome = run(value);
    if (outcome.kind === 'synthesized') {
      tally.synthesized++;
    } else {
      tally.rejected++;
      const reason = (outcome.message ?? '').split(/[,(]/)[0].slice(0, 80);
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
    }
  }), { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED, endOnFailure: true });
  if (process.env.PROPERTY_REPORT) {
    const reasons = [...tally.reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `    ${n} x ${r}`).join('\n');
    process.stdout.write(`${expect.getState().currentTestName}: ${PROPERTY_RUNS} cases (seed ${PROPERTY_SEED}): `
      + `${tally.synthesized} synthesized cleanly, ${tally.rejected} rejected with a named prop\n${reasons}\n`);
  }
  return tally;
}
