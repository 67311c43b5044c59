import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Shared synth-time validation. Every check skips values that are Tokens (they are only known at deploy
 * time) and throws a plain `Error` whose message names the construct path, the prop, what is allowed and
 * the value given, in the style of aws-cdk-lib's validate-queue-props:
 * `Test/Jobs: maxReceiveCount must be between 1 and 1000, but 0 was provided`.
 */
export function fail(scope: IConstruct, message: string): never {
  throw new Error(`${scope.node.path}: ${message}`);
}

/** Seconds of a Duration, or undefined when it is unset or a Token. */
export function secondsOf(duration: Duration | undefined): number | undefined {
  if (duration === undefined || duration.isUnresolved()) {
    return undefined;
  }
  return duration.toSeconds();
}

/**
 * The seconds of a Duration for the template: a number, or the Token itself when the Duration was built from
 * one (Tokens reach the template unchanged, never replaced by a default). A Token Duration in another unit
 * cannot be converted at synth: an error names the prop and says to give it in seconds.
 */
export function templateSeconds(scope: IConstruct, prop: string, duration: Duration | undefined): number | undefined {
  if (duration === undefined) {
    return undefined;
  }
  try {
    return duration.toSeconds();
  } catch {
    return fail(scope, `${prop} must be given with Duration.seconds() when its value is a Token (a Token cannot be converted at synth), but ${duration.toString()} was provided`);
  }
}

/** A whole number within [min, max]. */
export function validateInteger(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(scope, `${prop} must be a whole number between ${min} and ${max}, but ${value} was provided`);
  }
}

/** A Duration within [min, max] seconds. */
export function validateSeconds(scope: IConstruct, prop: string, duration: Duration | undefined, min: number, max: number): void {
  const seconds = secondsOf(duration);
  if (seconds === undefined) {
    return;
  }
  if (seconds < min || seconds > max) {
    fail(scope, `${prop} must be between ${min} and ${max} seconds, but ${seconds} was provided`);
  }
}

/** A name of at most `maxLength` characters drawn from `pattern` (a character-class regex). */
export function validateName(
  scope: IConstruct, prop: string, name: string | undefined, maxLength: number, pattern: RegExp, allowed: string,
): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (name.length < 1 || name.length > maxLength) {
    fail(scope, `${prop} must be 1 to ${maxLength} characters long, but '${name}' has ${name.length}`);
  }
  if (!pattern.test(name)) {
    fail(scope, `${prop} may contain only ${allowed}, but '${name}' was provided`);
  }
}

/** An IPv4 CIDR block such as 203.0.113.0/24. */
export function isIpv4Cidr(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) {
    return false;
  }
  const octets = match.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) && Number(match[5]) <= 32;
}

/** An IPv6 CIDR block such as 2001:db8::/32 (shape check: hex groups, at most one '::', prefix 0-128). */
export function isIpv6Cidr(value: string): boolean {
  const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  if (!match || Number(match[2]) > 128) {
    return false;
  }
  const address = match[1];
  if ((address.match(/::/g) ?? []).length > 1) {
    return false;
  }
  const groups = address.split(':').filter((g) => g !== '');
  return groups.length <= 8 && groups.every((g) => g.length <= 4);
}
