import { ChatmarkError } from '../../domain/errors.js';
import { type CostInput, recordCost } from '../../services/spend.service.js';
import { listCosts } from '../../store/costs.repository.js';
import type { Db } from '../../store/db.js';
import { currencyExponent, toMinorUnits } from '../../webhooks/minor-units.js';
import { cell, countCell, createLookups } from './cells.js';
import type { Importer, Row } from './import-csv.js';

/**
 * `chatmark import costs`: a campaign's spend for one day per row. Columns: `campaign` (slug) or
 * `campaign_id`, `date` (YYYY-MM-DD, UTC), `currency` (ISO 4217) and `spend` (a decimal in major
 * units, converted exactly: "19.99" USD is 1999, "1.005" USD is refused) or `spend_minor` (an
 * integer in minor units); optionally `impressions` and `reach`. The same campaign, day and
 * currency again replaces the day, so a corrected export can simply be imported again.
 *
 * @example await importCsv(store.db, 'costs.csv', costImporter(store.db));
 */
export function costImporter(db: Db): Importer<CostInput> {
  const lookups = createLookups(db);
  return {
    columns: ['campaign', 'campaign_id', 'date', 'spend', 'spend_minor', 'currency', 'impressions', 'reach'],
    required: [['campaign', 'campaign_id'], ['date'], ['spend', 'spend_minor'], ['currency']],
    async parse(row) {
      const campaign = await lookups.campaign(row);
      const date = dateOf(row);
      const currency = currencyOf(row);
      return {
        campaignId: campaign.id,
        date,
        spend: { amount: spendOf(row, currency), currency },
        impressions: countCell(row, 'impressions') ?? null,
        reach: countCell(row, 'reach') ?? null,
      };
    },
    async write(trx, batch, now) {
      let created = 0;
      for (const cost of batch) {
        // Counted before the write: the service replaces a day silently, the summary says so.
        const day = await listCosts(trx, cost.campaignId, cost.date, cost.date);
        if (!day.some((c) => c.spend.currency === cost.spend.currency)) created += 1;
        await recordCost(trx, cost, now);
      }
      return created;
    },
  };
}

function dateOf(row: Row): string {
  const value = cell(row, 'date');
  if (value === undefined) throw new ChatmarkError('missing_field', 'date is empty', 'date');
  // Date.parse rolls 2026-02-30 over to March; a round trip refuses days that do not exist.
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
  if (!valid || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)
    throw new ChatmarkError('invalid_date', `date "${value}" is not a day (YYYY-MM-DD)`, 'date');
  return value;
}

function currencyOf(row: Row): string {
  const value = cell(row, 'currency')?.toUpperCase();
  if (value === undefined) throw new ChatmarkError('missing_field', 'currency is empty', 'currency');
  if (currencyExponent(value) === undefined)
    throw new ChatmarkError(
      'invalid_currency',
      `currency "${value}" is not an ISO 4217 currency with a minor unit`,
      'currency',
    );
  return value;
}

/** Spend in integer minor units, from `spend` (major units) or `spend_minor`; both must agree. */
function spendOf(row: Row, currency: string): number {
  const major = cell(row, 'spend');
  const minor = countCell(row, 'spend_minor');
  if (major === undefined && minor === undefined)
    throw new ChatmarkError(
      'missing_field',
      'A row needs spend or spend_minor',
      'spend' in row ? 'spend' : 'spend_minor',
    );
  if (major === undefined) return minor ?? 0;
  const amount = toMinorUnits(major, currency);
  if (amount === undefined) {
    const places = currencyExponent(currency) ?? 0;
    throw new ChatmarkError(
      'invalid_amount',
      `spend "${major}" is not an exact ${currency} amount: a decimal in major units with at most ${places} decimal place${places === 1 ? '' : 's'}`,
      'spend',
    );
  }
  if (amount < 0) throw new ChatmarkError('invalid_amount', `spend "${major}" is negative`, 'spend');
  if (minor !== undefined && minor !== amount)
    throw new ChatmarkError(
      'conflicting_spend',
      `spend "${major}" is ${amount} minor units, not spend_minor ${minor}`,
      'spend_minor',
    );
  return amount;
}
