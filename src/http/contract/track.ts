import { z } from 'zod';

/** Landing-page visits (the denominator of `chat_start_rate`): the beacon's body, the pixel's query. */

export const visitBody = z.object({
  url: z.string().max(4096).optional(),
  referrer: z.string().max(4096).optional(),
  utm_source: z.string().max(200).optional(),
  utm_medium: z.string().max(200).optional(),
  utm_campaign: z.string().max(200).optional(),
  utm_term: z.string().max(200).optional(),
  utm_content: z.string().max(200).optional(),
  cm_click: z.string().max(64).optional(),
});
export type Visit = z.infer<typeof visitBody>;
export const pixelQuery = visitBody.partial();

/** An answer with no body (204). */
export const noContent = z.null().describe('No content').meta({ type: 'null' });
