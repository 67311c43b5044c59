import { Duration, Stack, Token, Tokenization } from 'aws-cdk-lib';
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

/**
 * What a string stands for, to tell whether two values are the same: the literal, or the resolved form of a
 * Token (two Token objects for one deploy-time value, such as `Fn.select(0, list)` made twice, are one value).
 */
export function valueKey(scope: IConstruct, value: string): string {
  return Token.isUnresolved(value) ? JSON.stringify(Stack.of(scope).resolve(value)) : value;
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
  if (!duration.isUnresolved()) {
    return wholeSeconds(scope, prop, duration);
  }
  try {
    return duration.toSeconds();
  } catch {
    return fail(scope, `${prop} must be given with Duration.seconds() when its value is a Token (a Token cannot be converted at synth), but ${duration.toString()} was provided`);
  }
}

/**
 * The whole seconds of a Duration known at synth, checked before aws-cdk-lib converts it (its own errors
 * name no prop): NaN, Infinity and a fraction of a second fail naming the prop. Undefined when unset; a
 * Token is returned as the Token, or fails (naming the prop) when it is not in seconds, as `templateSeconds`.
 */
export function wholeSeconds(scope: IConstruct, prop: string, duration: Duration | undefined): number | undefined {
  if (duration === undefined) {
    return undefined;
  }
  if (duration.isUnresolved()) {
    return templateSeconds(scope, prop, duration);
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isFinite(seconds) || !Number.isInteger(seconds)) {
    fail(scope, `${prop} must be a whole number of seconds, but ${duration.toString()} was provided`);
  }
  return seconds;
}

/**
 * Whether a list is a Token as a whole (a `CommaDelimitedList` parameter, `Fn.split`, a list attribute):
 * its elements are known only at deploy time.
 */
export function isListToken(values: readonly string[] | undefined): boolean {
  return values !== undefined && Token.isUnresolved(values as string[]);
}

/** Whether one element of a list is a Token: a string Token, or the encoding of a list Token spread into it. */
export function isTokenElement(value: string): boolean {
  return Token.isUnresolved(value) || Tokenization.reverseList([value]) !== undefined;
}

/**
 * The elements of a list that are known at synth: none for a list Token, and the literal elements of a
 * list that mixes literals and Tokens. Validation checks these only.
 */
export function literalElements(values: readonly string[] | undefined): string[] {
  if (values === undefined || isListToken(values)) {
    return [];
  }
  return values.filter((value) => !isTokenElement(value));
}

/**
 * Refuses a list Token where the construct makes one resource (or one structure) per element: the count
 * is needed at synth. Its elements may still be Tokens.
 */
export function requireLiteralList(scope: IConstruct, prop: string, values: readonly string[] | undefined, why: string): void {
  if (isListToken(values)) {
    fail(scope, `${prop} must be a list whose length is known at synth (${why}), but a list Token was provided: give a list of its elements, which may be Tokens (e.g. Fn.select)`);
  }
}

/**
 * Refuses an id already taken in `parent` (by an earlier call or a part of the construct) with a message
 * saying what holds it, instead of the construct library's "There is already a Construct with name".
 */
export function requireFreeId(scope: IConstruct, parent: IConstruct, method: string, id: string, what: string): void {
  const taken = parent.node.tryFindChild(id);
  if (taken !== undefined) {
    fail(scope, `${method} id '${id}' is taken already by ${taken.node.path}: give each ${what} its own id`);
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
  // NaN, Infinity, fractions and Tokens in another unit than seconds fail here, naming the prop.
  const seconds = wholeSeconds(scope, prop, duration);
  if (seconds === undefined || Token.isUnresolved(seconds)) {
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
