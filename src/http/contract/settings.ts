import { z } from 'zod';

/** Server settings the dashboard shows (admin only): whether each secret is set, never its value. */

export const webhookStatus = z.object({
  platform: z.string(),
  name: z.string(),
  url: z.string().describe('The address to paste into the platform'),
  configured: z.boolean().describe('Every required setting is set: the webhook accepts calls'),
  settings: z.array(
    z.object({
      variable: z.string().describe('The environment variable to set on the server'),
      required: z.boolean(),
      configured: z.boolean(),
      purpose: z.string(),
    }),
  ),
});
export type WebhookStatus = z.output<typeof webhookStatus>;

export const webhookSetup = z.object({ webhooks: z.array(webhookStatus) });
export type WebhookSetup = z.output<typeof webhookSetup>;
