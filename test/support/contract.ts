import { expect } from 'vitest';
import type { z } from 'zod';

/**
 * Asserts that an answer is exactly what its contract schema says: parsing it changes nothing, so no
 * field is missing, mistyped, or sent without being in the schema (zod drops unknown keys).
 * For routes whose answers are not checked as they are written (the reports: see
 * src/http/routes/reports.ts).
 */
export function expectContract(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data).toEqual(body);
}
