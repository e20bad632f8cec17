/**
 * IP address truncation for privacy: after 30 days (retention job) or when an account is deleted, an
 * address keeps only its network part. IPv4 keeps /24 (203.0.113.77 → 203.0.113.0), IPv6 keeps /48
 * (2001:db8:1234:5678::1 → 2001:db8:1234::). The audit-log UPDATE trigger (migration 0001) accepts
 * exactly these shapes ('%.0' and '%::') or NULL.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The truncated form of `ip`, or null when it is not an IP address (e.g. 'unknown'). */
export function truncateIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.replace(/^::ffff:/i, '');
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0`;
  if (isIPv6(ip)) {
    const [head = '', tail = ''] = ip.toLowerCase().split('::');
    const headParts = head ? head.split(':') : [];
    const tailParts = tail ? tail.split(':') : [];
    const missing = 8 - headParts.length - tailParts.length;
    const full = ip.includes('::') ? [...headParts, ...Array<string>(missing).fill('0'), ...tailParts] : headParts;
    const prefix = full.slice(0, 3).map((h) => Number.parseInt(h, 16).toString(16));
    return `${prefix.join(':')}::`;
  }
  return null;
}
