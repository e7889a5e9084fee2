import { z } from 'zod';

/** What a platform's webhook answers: what the delivery recorded (platforms retry anything but 2xx). */
export const webhookResult = z.object({
  recorded: z.number().describe('chat starts (or orders) recorded'),
  duplicates: z.number().describe('already recorded by an earlier delivery'),
  ignored: z.number().describe('events Chatmark does not use'),
});
export type WebhookResult = z.output<typeof webhookResult>;

/** The verification challenge echoed back as text/plain. */
export const challengeAnswer = z.string().describe('hub.challenge, as text/plain');
