import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** `host[:port]` split; an IPv6 literal keeps its brackets. */
function splitHost(value: string): { name: string; port: string | null } {
  const end = value.startsWith('[') ? value.indexOf(']') + 1 : value.lastIndexOf(':');
  if (end <= 0 || end >= value.length || value[end] !== ':') return { name: value, port: null };
  return { name: value.slice(0, end), port: value.slice(end + 1) };
}

/**
 * Whether `host` (a Host header) is one the operator allowed: the same name, and the same port when
 * the entry names one (`serverPort`: every entry is on that port).
 */
export function hostAllowed(allowed: readonly string[], host: string, serverPort?: number): boolean {
  const { name, port } = splitHost(host.toLowerCase());
  return allowed.some((entry) => {
    const allowedHost = splitHost(entry);
    const allowedPort = serverPort === undefined ? allowedHost.port : String(serverPort);
    return allowedHost.name === name && (allowedPort === null || allowedPort === port);
  });
}

/**
 * The origin to hand out in short links and webhook URLs. The configured public origin when there
 * is one; else the origin the API was called on, but only when its host is one the operator allowed
 * (`CHATMARK_ALLOWED_HOSTS`, by default this machine's names on the server port), because a `Host`
 * or `X-Forwarded-Host` header is whatever the caller sent: following it would let anyone who can
 * make the dashboard or an API client call through them hand out links to their own domain. Any
 * other host gets `http://localhost:<server port>`, an origin that is plainly wrong to share rather
 * than plausibly someone else's.
 *
 * @example publicOrigin(config, request) // 'https://go.example.com'
 */
export function publicOrigin(config: Config, request: FastifyRequest): string {
  if (config.baseUrl) return config.baseUrl;
  // The port the request reached this server on: PORT, or the one chosen when PORT is 0.
  const serverPort = request.socket?.localPort || config.port;
  const { hosts, onServerPort } = config.allowedHosts;
  const host = request.host;
  // A port still unknown (PORT=0 and no socket: `inject`) cannot be checked: the names allow any.
  const requiredPort = onServerPort && serverPort !== 0 ? serverPort : undefined;
  if (hostAllowed(hosts, host, requiredPort)) {
    return `${request.protocol}://${host.toLowerCase()}`;
  }
  return `http://localhost:${serverPort}`;
}
