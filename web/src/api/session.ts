import { useSyncExternalStore } from 'react';
import type { Role } from '../../../src/http/contract/keys.js';

/**
 * The signed-in API key and its role, kept in sessionStorage: it lives as long as the tab, is
 * not shared with other tabs and is gone when the browser closes.
 */
export interface Session {
  key: string;
  role: Role;
}

const KEY = 'chatmark.apiKey';
const ROLE = 'chatmark.role';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  const key = sessionStorage.getItem(KEY);
  const role = sessionStorage.getItem(ROLE);
  if (!key || (role !== 'viewer' && role !== 'editor' && role !== 'admin')) return null;
  return { key, role };
}

function emit(): void {
  current = read();
  for (const listener of listeners) listener();
}

export function getSession(): Session | null {
  return current;
}

export function signIn(session: Session): void {
  sessionStorage.setItem(KEY, session.key);
  sessionStorage.setItem(ROLE, session.role);
  emit();
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ROLE);
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session, re-rendering on sign-in and sign-out. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession);
}

/** True when the signed-in key may create and change things (editor or admin). */
export function canWrite(session: Session | null): boolean {
  return session?.role === 'editor' || session?.role === 'admin';
}
