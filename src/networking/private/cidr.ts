import * as crypto from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** IPv4 CIDR arithmetic for synth-time checks (the input is already validated as an IPv4 CIDR). */
export function parseCidr(cidr: string): { start: number; end: number; prefix: number } {
  const [address, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(value / size) * size;
  return { start, end: start + size - 1, prefix };
}

/** Whether the literal IPv4 CIDR `outer` contains (is the same as or wider than) `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  return a.start <= b.start && b.end <= a.end;
}

/** A construct-id-safe suffix for a CIDR: 10.1.0.0/16 -> 10x1x0x0m16. */
export function routeIdSuffix(cidr: string): string {
  // A Token's string form is stable for a given construction order, so its hash is too.
  return Token.isUnresolved(cidr)
    ? `Cidr${crypto.createHash('sha256').update(cidr).digest('hex').slice(0, 8)}`
    : cidr.replace(/\./g, 'x').replace('/', 'm');
}

/** The longest value an EC2 tag takes (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions). */
export const MAX_TAG_VALUE = 256;

/**
 * The Name tag of a resource: `<stack name>-<id>`. A tag value holds at most 256 characters; a longer
 * name keeps its first 247 characters and ends in `-` and 8 hex digits of its hash, so that it stays
 * deterministic and distinct.
 */
export function nameTag(scope: IConstruct, id: string): { key: string; value: string } {
  return { key: 'Name', value: truncateName(`${Stack.of(scope).stackName}-${id}`, MAX_TAG_VALUE) };
}

/** `name` cut to `max` characters deterministically (a hash of the whole name replaces the tail). */
export function truncateName(name: string, max: number): string {
  if (name.length <= max) {
    return name;
  }
  const hash = crypto.createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - hash.length - 1)}-${hash}`;
}

/** Unique values in first-seen order. */
export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
