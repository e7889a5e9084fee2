import type { Command } from 'commander';
import { ChatmarkError } from '../../domain/errors.js';
import { action, type JsonOption, jsonOption, printJson, printLines } from '../output.js';
import { withStore } from './keys.js';

const CSV_COLUMNS = [
  'click_id',
  'at',
  'bot',
  'bot_reason',
  'device',
  'os',
  'browser',
  'referrer_host',
  'qr',
  'visitor',
  'ad_ids',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `chatmark report clicks --link <code> [--csv|--json]`: every click of a link, from the store. */
export function registerReportCommand(program: Command): void {
  const report = program
    .command('report')
    .description('reports from the store (clicks; funnel and attribution to come)');
  report
    .command('clicks')
    .description("export a link's clicks: a summary for a person, every click with --csv or --json")
    .requiredOption('--link <code>', "the link's short code")
    .option('--csv', 'print every click as CSV')
    .addOption(jsonOption())
    .action(
      action(async (options: { link: string; csv?: boolean } & JsonOption) => {
        if (options.csv && options.json)
          throw new ChatmarkError('usage', 'choose one of --csv and --json', 'csv');
        const { getLinkByCode } = await import('../../store/links.repository.js');
        const { listClicks, clickStats } = await import('../../store/clicks.repository.js');
        const { getSetting, REF_TOKEN_KEY_SETTING } = await import('../../store/settings.repository.js');
        const { createRefCodec } = await import('../../domain/ref-token.js');
        await withStore(async (store) => {
          const link = await getLinkByCode(store.db, options.link);
          if (!link)
            throw new ChatmarkError('link_not_found', `No link with the code "${options.link}"`, 'link');
          // A link exists only in a store the server has started on, so the key is there.
          const codec = createRefCodec((await getSetting(store.db, REF_TOKEN_KEY_SETTING)) ?? '');
          if (!options.csv && !options.json) {
            const stats = await clickStats(store.db, link.id, link.createdAt, Date.now() + 1);
            printLines(
              `${link.code} (${link.channel}): ${stats.clicks} clicks, ${stats.humanClicks} by people, ${stats.botClicks} by bots, ${stats.uniqueVisitors} unique visitors, ${stats.qrScans} QR scans`,
              ...stats.byDay.map(
                (d) => `  ${d.day}  ${d.humanClicks} people, ${d.clicks - d.humanClicks} bots`,
              ),
            );
            return;
          }
          if (options.csv) printLines(CSV_COLUMNS.join(','));
          const rows: Record<string, unknown>[] = [];
          for (let after: number | undefined; ;) {
            const page = await listClicks(store.db, { linkId: link.id, after, limit: 5000 });
            for (const c of page) {
              const row = {
                click_id: codec.encode(c.id),
                at: new Date(c.at).toISOString(),
                bot: c.bot,
                bot_reason: c.botReason,
                device: c.device,
                os: c.os,
                browser: c.browser,
                referrer_host: c.referrerHost,
                qr: c.qr,
                visitor: c.visitorHash,
                ad_ids: c.adIds ? JSON.stringify(c.adIds) : null,
              };
              if (options.csv)
                process.stdout.write(`${CSV_COLUMNS.map((k) => csvField(row[k])).join(',')}\n`);
              else rows.push(row);
            }
            const last = page.at(-1);
            if (page.length < 5000 || !last) break;
            after = last.id;
          }
          if (options.json) printJson({ link: link.code, clicks: rows });
        });
        return 0;
      }),
    );
}
