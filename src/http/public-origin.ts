import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** `host[:port]` split; an IPv6 literal keeps its brackets. */
function splitHost(value: string): { name: string; port: string | null } {
  const end = value.startsWith('[') ? value.indexOf(']') + 1 : value.lastIndexOf(':');
  if (end <= 0 || end >= value.length || value[end] !== ':') return { name: value, port: null };
  return { name: value.slice(0, end), port: value.slice(end + 1) };
}

/** Whether `host` (a Host header) is one the operator allowed: the same name, and port if the entry has one. */
export function hostAllowed(allowed: readonly string[], host: string): boolean {
  const { name, port } = splitHost(host.toLowerCase());
  return allowed.some((entry) => {
    const allowedHost = splitHost(entry);
    return allowedHost.name === name && (allowedHost.port === null || allowedHost.port === port);
  });
}

/**
 * The origin to hand out in short links and webhook URLs. The configured public origin when there
 * is one; else the origin the API was called on, but only when its host is one the operator allowed
 * (`CHATMARK_ALLOWED_HOSTS`, by default this machine's names on the server port), because a `Host`
 * or `X-Forwarded-Host` header is whatever the caller sent: following it would let anyone who can
 * make the dashboard or an API client call through them hand out links to their own domain. Any
 * other host gets `http://localhost:<PORT>`, an origin that is plainly wrong to share rather than
 * plausibly someone else's.
 *
 * @example publicOrigin(config, request) // 'https://go.example.com'
 */
export function publicOrigin(config: Config, request: FastifyRequest): string {
  if (config.baseUrl) return config.baseUrl;
  const host = request.host;
  if (hostAllowed(config.allowedHosts, host)) return `${request.protocol}://${host.toLowerCase()}`;
  return `http://localhost:${config.port}`;
}
