/** IPv4 CIDR arithmetic for synth-time checks (the input is already validated as an IPv4 CIDR). */
export function parseCidr(cidr: string): { start: number; end: number; prefix: number } {
  const [address, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(value / size) * size;
  return { start, end: start + size - 1, prefix };
}
