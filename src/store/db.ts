import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** What repository functions take: the database or a transaction on it (Kysely's example app). */
export type Db = Kysely<Database> | Transaction<Database>;

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** True for the unique-constraint error of either engine (SQLite's code or PostgreSQL's 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
