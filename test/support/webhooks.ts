/** A WhatsApp Cloud API webhook (spec/channels.md §1.6 envelope) around the given `value` fields. */
export function whatsappEnvelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/**
 * spec/channels.md §1.6: a WhatsApp Cloud API webhook carrying one text message from `from`
 * (digits), as the platform posts it.
 */
export function whatsappTextMessage(text: string, id: string, from = '447911123456', name = 'Sheena Nelson') {
  return whatsappEnvelope({
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id, timestamp: '1763900000', type: 'text', text: { body: text } }],
  });
}
