/** The roles an API key can have, highest first: a key may do what its role and every lower role may do. */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
