import { z } from 'zod';

/** `GET /:code`: the short code, and the query the short link carries (`qr=1`, ad click ids, …). */
export const redirectParams = z.object({ code: z.string() });
export const redirectQuery = z
  .object({ qr: z.string().optional().describe('1 when the visit came from the QR code') })
  .catchall(z.unknown())
  .describe('ad click ids (gclid, fbclid, …) are kept with the click');
