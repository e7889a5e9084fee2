import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { DialectInfo } from '../dialect.js';
import * as m001 from './001-links-and-clicks.js';
import * as m002 from './002-events-and-contacts.js';
import * as m003 from './003-experiments.js';
import * as m004 from './004-clustered-rollups.js';
import * as m005 from './005-event-touches.js';
import * as m006 from './006-daily-click-rollups.js';
import * as m007 from './007-report-slices.js';
import * as m008 from './008-link-versions.js';
import * as m009 from './009-report-slice-use.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see 001: migrations see the schema of their own time
type Up = (db: Kysely<any>, dialect: DialectInfo) => Promise<void>;

/** Every migration, in order. Written once with Kysely's schema builder for both engines. */
const MIGRATIONS: ReadonlyArray<readonly [string, Up]> = [
  ['001-links-and-clicks', m001.up],
  ['002-events-and-contacts', m002.up],
  ['003-experiments', m003.up],
  ['004-clustered-rollups', m004.up],
  ['005-event-touches', m005.up],
  ['006-daily-click-rollups', m006.up],
  ['007-report-slices', m007.up],
  ['008-link-versions', m008.up],
  ['009-report-slice-use', m009.up],
];

export function migrationProvider(dialect: DialectInfo): MigrationProvider {
  return {
    async getMigrations() {
      const migrations: Record<string, Migration> = {};
      for (const [name, up] of MIGRATIONS) migrations[name] = { up: (db) => up(db, dialect) };
      return migrations;
    },
  };
}
