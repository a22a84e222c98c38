/** An IPv6 address in RFC 5952 form (lower case, longest zero run compressed), as Nova stores access IPs. */
export function canonicalIpv6(ip: string): string {
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}
