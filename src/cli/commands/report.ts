import type { Command } from 'commander';
import { csvRow } from '../../domain/csv.js';
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

/** `chatmark report clicks --link <code> [--csv|--json]`: every click of a link, from the store. */
export function registerReportCommand(program: Command): void {
  const report = program
    .command('report')
    .description('reports from the store: clicks, the funnel, attribution');
  registerModelReports(report);
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
          if (options.csv) printLines(csvRow(CSV_COLUMNS));
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
              if (options.csv) process.stdout.write(`${csvRow(CSV_COLUMNS.map((k) => row[k]))}\n`);
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

interface ModelReportOptions extends JsonOption {
  campaign?: string;
  from?: string;
  to?: string;
  groupBy?: string;
  model?: string;
  window?: string;
  exposureWindow?: string;
  halfLife?: string;
  conversion?: string;
  csv?: boolean;
}

/** Rows as CSV (RFC 4180, text cells neutralised), with nested values (intervals, with_assisted) as JSON cells. */
function toCsv(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return [csvRow(columns), ...rows.map((row) => csvRow(columns.map((c) => row[c])))].join('\n');
}

const money = (amount: number | null, currency: string | null) =>
  amount === null || currency === null
    ? '—'
    : new Intl.NumberFormat('en', { style: 'currency', currency }).format(
        amount /
          10 **
            (new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
              .maximumFractionDigits ?? 2),
      );
const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(2)}%`);

/** `chatmark report funnel|attribution`: the same reports as the API, read from the store. */
function registerModelReports(report: Command): void {
  for (const kind of ['funnel', 'attribution'] as const) {
    report
      .command(kind)
      .description(
        kind === 'funnel'
          ? 'the funnel (reach → clicks → chats → qualified → converted) with CPM, CPA, ROI and rates'
          : 'credited vs claimed per campaign or channel, immediate and assisted conversions',
      )
      .option('--campaign <slug>', 'one campaign (its slug)')
      .option('--from <date>', 'start (ISO date or time; default 30 days before --to)')
      .option('--to <date>', 'end (ISO date, inclusive, or time; default now)')
      .option(
        '--group-by <dimension>',
        kind === 'funnel' ? 'campaign | channel | source | variant | link | day' : 'campaign | channel',
      )
      .option(
        '--model <model>',
        'last_touch | first_touch | linear | time_decay | position_based | billboard',
      )
      .option('--window <duration>', 'click and chat-start window, e.g. 30d')
      .option('--exposure-window <duration>', 'exposure window, e.g. 24h')
      .option('--half-life <duration>', 'time_decay half-life, e.g. 7d')
      .option('--conversion <event>', "the conversion event (default: the campaign's primary, else purchase)")
      .option('--csv', 'print the rows as CSV')
      .addOption(jsonOption())
      .action(
        action(async (options: ModelReportOptions) => {
          if (options.csv && options.json)
            throw new ChatmarkError('usage', 'choose one of --csv and --json', 'csv');
          const { getCampaignBySlug } = await import('../../store/campaigns.repository.js');
          const { reportParams, describeParams } = await import('../../services/report-params.js');
          const { funnelReport, attributionReport } = await import('../../services/reports.service.js');
          await withStore(async (store) => {
            const campaign = options.campaign
              ? await getCampaignBySlug(store.db, options.campaign)
              : undefined;
            if (options.campaign && !campaign) {
              throw new ChatmarkError(
                'campaign_not_found',
                `No campaign with the slug "${options.campaign}"`,
                'campaign',
              );
            }
            const params = reportParams(
              { ...options, campaignId: campaign?.id },
              Date.now(),
              kind === 'funnel' ? undefined : ['campaign', 'channel'],
            );
            const parameters = describeParams(params);
            if (kind === 'funnel') {
              const result = await funnelReport(store.db, params);
              if (options.json)
                return printJson({
                  parameters: { ...parameters, conversion: result.conversion },
                  rows: result.rows,
                  unattributed: result.unattributed,
                });
              if (options.csv) return printLines(toCsv(result.rows as unknown as Record<string, unknown>[]));
              printLines(
                `funnel by ${params.groupBy}, ${parameters.from.slice(0, 10)} to ${parameters.to.slice(0, 10)}, ${params.model}, windows ${parameters.windows.click}/${parameters.windows.chat_started}/${parameters.windows.exposure}`,
                ...result.rows.map(
                  (r) =>
                    `${r.key}${r.currency ? ` (${r.currency})` : ''}: ${r.link_clicks} clicks → ${r.chats_started} chats → ${r.qualified} qualified → ${r.conversions} ${result.conversion} (+${r.assisted} assisted); spend ${money(r.spend, r.currency)}, revenue ${money(r.revenue, r.currency)}, CPA ${money(r.cpa, r.currency)}, ROI ${pct(r.roi)}, conversion rate ${pct(r.conversion_rate)}`,
                ),
                `${result.unattributed} unattributed ${result.conversion} events`,
              );
              return;
            }
            const result = await attributionReport(store.db, {
              ...params,
              groupBy: params.groupBy as 'campaign' | 'channel',
            });
            if (options.json)
              return printJson({ parameters: { ...parameters, conversion: result.conversion }, ...result });
            if (options.csv) return printLines(toCsv(result.rows as unknown as Record<string, unknown>[]));
            printLines(
              `${result.conversion} attribution by ${params.groupBy}, ${params.model}: ${result.conversions} conversions`,
              ...result.rows.map(
                (r) =>
                  `${r.key}: credited ${r.credited}, claimed ${r.claimed}, immediate ${r.immediate}, assisted ${r.assisted}`,
              ),
              `unattributed: ${result.unattributed.count}`,
            );
          });
          return 0;
        }),
      );
  }
}
