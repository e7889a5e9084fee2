import { z } from 'zod';
import { ChatmarkError } from '../../domain/errors.js';
import { parsePhone } from '../../domain/phone.js';
import type { IdentityHasher } from '../../services/identity.js';
import { type ExposureInput, recordExposures } from '../../services/spend.service.js';
import type { Db } from '../../store/db.js';
import { cell, createLookups, textCell } from './cells.js';
import type { Importer, Row } from './import-csv.js';

const IDENTITY_COLUMNS = ['external_id', 'email', 'phone'] as const;
// A time without a zone means a different instant on every machine, so it is refused, not guessed.
const isoTime = z.iso.datetime({ offset: true });

/**
 * `chatmark import exposures`: one message sent to one contact per row. Columns: `sent_at` (ISO
 * time with Z or an offset), one or more of `external_id` / `email` / `phone` (`country`, ISO
 * 3166, lets a phone be written in national format), `campaign` (slug) or `campaign_id`, and
 * optionally `link` (short code) or `link_id`, `channel`, `idempotency_key`. The limits are the
 * HTTP API's (`POST /api/exposures`), so a row means the same whichever way it arrives.
 *
 * @example await importCsv(store.db, 'sends.csv', exposureImporter(store.db, identities));
 */
export function exposureImporter(db: Db, identities: IdentityHasher): Importer<ExposureInput> {
  const lookups = createLookups(db);
  return {
    columns: [
      'sent_at',
      ...IDENTITY_COLUMNS,
      'country',
      'campaign',
      'campaign_id',
      'link',
      'link_id',
      'channel',
      'idempotency_key',
    ],
    required: [['sent_at'], IDENTITY_COLUMNS, ['campaign', 'campaign_id']],
    async parse(row) {
      const sentAt = sentAtOf(row);
      const contact = contactOf(row, identities);
      const campaign = await lookups.campaign(row);
      const link = await lookups.link(row);
      if (link && link.campaignId !== null && link.campaignId !== campaign.id)
        throw new ChatmarkError(
          'conflicting_link',
          `link "${link.code}" belongs to another campaign than "${campaign.slug}"`,
          cell(row, 'link') === undefined ? 'link_id' : 'link',
        );
      return {
        contact,
        campaignId: campaign.id,
        linkId: link?.id ?? null,
        channel: textCell(row, 'channel', 32) ?? null,
        sentAt,
        idempotencyKey: textCell(row, 'idempotency_key', 200),
      };
    },
    write: (trx, batch, now) => recordExposures(trx, identities, batch, now),
  };
}

function sentAtOf(row: Row): number {
  const value = cell(row, 'sent_at');
  if (value === undefined) throw new ChatmarkError('missing_field', 'sent_at is empty', 'sent_at');
  if (!isoTime.safeParse(value).success)
    throw new ChatmarkError(
      'invalid_time',
      `sent_at "${value}" is not an ISO 8601 time with Z or an offset (2026-03-01T10:00:00Z)`,
      'sent_at',
    );
  return Date.parse(value);
}

/**
 * The row's contact, checked here so that a bad cell refuses its row with the column's name (the
 * service would refuse the whole batch). The phone goes on in E.164, so `country` is applied
 * once and the service hashes the same number the HTTP API would.
 */
function contactOf(row: Row, identities: IdentityHasher): ExposureInput['contact'] {
  const externalId = textCell(row, 'external_id', 200);
  const email = textCell(row, 'email', 320);
  if (email !== undefined) identities.email(email, 'email');
  const phoneCell = cell(row, 'phone');
  const phone =
    phoneCell === undefined ? undefined : parsePhone(phoneCell, cell(row, 'country'), 'phone').e164;
  if (externalId === undefined && email === undefined && phone === undefined) {
    const column = IDENTITY_COLUMNS.find((name) => name in row) ?? 'external_id';
    throw new ChatmarkError('missing_field', 'A row needs external_id, email or phone', column);
  }
  return { externalId, email, phone };
}
