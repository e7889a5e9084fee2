import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The origin to hand out in short links and webhook URLs: the configured public origin, else the
 * origin the API was called on (what a person using the dashboard or the API on this host expects
 * to share).
 *
 * @example publicOrigin(config, request) // 'https://go.example.com'
 */
export const publicOrigin = (config: Config, request: FastifyRequest): string =>
  config.baseUrl ?? `${request.protocol}://${request.host}`;
