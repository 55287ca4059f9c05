/** Dotted-quad IPv4 addresses as unsigned 32-bit numbers, for pool arithmetic. */

export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return null;
  }
  let value = 0;
  for (const part of parts) {
    const octet = part.length >= 1 && part.length <= 3 && /^\d+$/.test(part) ? Number(part) : 256;
    if (octet > 255) {
      return null;
    }
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** The prefix length of a contiguous netmask (255.255.255.0 → 24); null for a mask like 255.0.255.0. */
export function netmaskBits(netmask: number): number | null {
  const hostBits = 2 ** 32 - 1 - netmask;
  // a contiguous mask leaves host bits of the form 0…01…1, i.e. one less than a power of two
  return Number.isInteger(Math.log2(hostBits + 1)) ? 32 - Math.log2(hostBits + 1) : null;
}
