import * as crypto from 'crypto';
import { Token } from 'aws-cdk-lib';

/** IPv4 CIDR arithmetic for synth-time checks (the input is already validated as an IPv4 CIDR). */
export function parseCidr(cidr: string): { start: number; end: number; prefix: number } {
  const [address, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(value / size) * size;
  return { start, end: start + size - 1, prefix };
}

/** A construct-id-safe suffix for a CIDR: 10.1.0.0/16 -> 10x1x0x0m16. */
export function routeIdSuffix(cidr: string): string {
  // A Token's string form is stable for a given construction order, so its hash is too.
  return Token.isUnresolved(cidr)
    ? `Cidr${crypto.createHash('sha256').update(cidr).digest('hex').slice(0, 8)}`
    : cidr.replace(/\./g, 'x').replace('/', 'm');
}
