import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rules of eslint.config.js bite: each case lints a violating text under the path of a
// real file of the tree (so the rules see its folder, its imports resolve and the type checker
// knows it), and expects the rule's error. `npm run lint` is what enforces them on the tree.

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `text` linted as the file at `path`. */
async function rulesHit(path: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(root, path) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

/** A real file's source with `lines` added after its imports. */
function withLines(path: string, ...lines: string[]): string {
  return `${lines.join('\n')}\n${readFileSync(join(root, path), 'utf8')}`;
}

describe('lint rules of the layers', { timeout: 120_000 }, () => {
  it('passes the files as they are', async () => {
    for (const path of [
      'src/domain/phone.ts',
      'src/webhooks/telegram.ts',
      'src/http/auth.ts',
      'src/http/routes/links.ts',
    ]) {
      expect(await rulesHit(path, readFileSync(join(root, path), 'utf8'))).toEqual([]);
    }
  });

  it.each([
    ['src/domain/phone.ts', "import { secretKeySource } from '../services/secret-key.js';"],
    ['src/domain/phone.ts', "import type { Db } from '../store/db.js';"],
    ['src/domain/attribution/attribute.ts', "import { createApp } from '../../http/app.js';"],
    ['src/redirect/journal.ts', "import { createApp } from '../http/app.js';"],
    ['src/webhooks/telegram.ts', "import { recordWebhookEvents } from '../services/chats.service.js';"],
    ['src/services/links.service.ts', "import { createApp } from '../http/app.js';"],
    ['src/store/links.repository.ts', "import { createLink } from '../services/links.service.js';"],
  ])('%s may not %s', async (path, line) => {
    expect(await rulesHit(path, withLines(path, line, 'void 0;'))).toContain('import-x/no-restricted-paths');
  });

  it('lets routes import the store only as types', async () => {
    const path = 'src/http/routes/track.ts';
    const value = withLines(
      path,
      "import { insertVisit } from '../../store/visits.repository.js';",
      'void insertVisit;',
    );
    expect(await rulesHit(path, value)).toContain('@typescript-eslint/no-restricted-imports');
    const type = withLines(
      path,
      "import type { LandingVisit } from '../../store/visits.repository.js';",
      'export type V = LandingVisit;',
    );
    expect(await rulesHit(path, type)).toEqual([]);
  });

  it('lets the dashboard import server code only as types (values from src/domain only)', async () => {
    const path = 'web/src/pages/Links.tsx';
    const value = withLines(
      path,
      "import { linkStats } from '../../../src/http/contract/links.js';",
      'void linkStats;',
    );
    expect(await rulesHit(path, value)).toContain('@typescript-eslint/no-restricted-imports');
    const type = withLines(
      path,
      "import type { LinkStats } from '../../../src/http/contract/links.js';",
      'export type S = LinkStats;',
    );
    expect(await rulesHit(path, type)).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    // app.ts imports auth.ts: auth.ts importing app.ts back closes a cycle.
    const path = 'src/http/auth.ts';
    const text = withLines(path, "import { createApp } from './app.js';", 'export const again = createApp;');
    expect(await rulesHit(path, text)).toContain('import-x/no-cycle');
  });

  it('refuses a floating promise and a promise where a void callback is expected', async () => {
    const path = 'src/domain/phone.ts';
    const floating = withLines(path, 'export function f(p: () => Promise<void>) { p(); }');
    expect(await rulesHit(path, floating)).toContain('@typescript-eslint/no-floating-promises');
    const misused = withLines(path, 'export const g = (p: () => Promise<void>) => [1].forEach(p);');
    expect(await rulesHit(path, misused)).toContain('@typescript-eslint/no-misused-promises');
    const deliberate = withLines(path, 'export function h(p: () => Promise<void>) { void p(); }');
    expect(await rulesHit(path, deliberate)).toEqual([]);
  });
});
