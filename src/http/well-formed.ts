import type { FastifyInstance } from 'fastify';
import { ChatmarkError } from '../domain/errors.js';

interface Node {
  readonly value: unknown;
  readonly key: string | null;
  readonly parent: Node | null;
}

function pathOf(node: Node, key: string | null): string {
  const parts = key === null ? [] : [key];
  for (let at: Node | null = node; at !== null && at.key !== null; at = at.parent) parts.push(at.key);
  parts.reverse();
  // A 20,000-deep path would make a 100 KB error message: its start and end name the place.
  return (parts.length > 32 ? [...parts.slice(0, 16), '…', ...parts.slice(-8)] : parts).join('.');
}

/**
 * The path (`utm.source`, `items.0.name`) of the first string or object key in `value` that is not
 * well-formed Unicode (a lone surrogate, which JSON's `\udc00` can spell), or null. Walks with its
 * own stack, not recursion, so a 20,000-deep body costs time in proportion to its size and never
 * the call stack.
 *
 * @example illFormedPath({ utm: { source: 'x\udc00' } }) === 'utm.source'
 */
export function illFormedPath(value: unknown): string | null {
  const stack: Node[] = [{ value, key: null, parent: null }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const current = node.value;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return pathOf(node, null) || '(value)';
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1)
        stack.push({ value: current[i], key: String(i), parent: node });
    } else if (current !== null && typeof current === 'object' && !Buffer.isBuffer(current)) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i]!;
        if (!key.isWellFormed()) return pathOf(node, key);
        stack.push({ value: child, key, parent: node });
      }
    }
  }
  return null;
}

/**
 * Refuses broken Unicode everywhere text enters the API: every string (and key) of the parsed
 * body, query and route params must be well-formed, else 422 `invalid_unicode` on its path. A
 * lone surrogate accepted once broke every later read of the row (encodeURIComponent throws on
 * it), so it is stopped at the door, before any route's own validation.
 */
export function registerWellFormed(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const field = illFormedPath(part);
      if (field !== null) {
        throw new ChatmarkError(
          'invalid_unicode',
          `${field} is not well-formed Unicode (it has a lone surrogate)`,
          field,
        );
      }
    }
  });
}
