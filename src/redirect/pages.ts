/** The small pages of the redirect: not found, gone, "open the app", and the preview for bots. */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>${head}<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}a.button{display:inline-block;padding:.6rem 1.2rem;border-radius:.4rem;background:#1a7f5a;color:#fff;text-decoration:none}</style></head><body>${body}</body></html>`;
}

export function notFoundPage(): string {
  return page(
    'Link not found',
    '<h1>Link not found</h1><p>This link does not exist. Check that it was copied whole.</p>',
  );
}

export function gonePage(reason: 'archived' | 'expired' | 'exhausted'): string {
  const why = {
    archived: 'This link has been switched off by its owner.',
    expired: 'This link has expired.',
    exhausted: 'This link has reached the most clicks it allows.',
  }[reason];
  return page('Link no longer active', `<h1>Link no longer active</h1><p>${why}</p>`);
}

/**
 * Browsers refuse to follow a 302 to some app schemes (`viber://`), so this page opens the app
 * itself and keeps a button in case it didn't.
 */
export function openAppPage(appUrl: string, appName: string, fallback: string | null): string {
  const href = escapeHtml(appUrl);
  const alt = fallback
    ? `<p>No ${escapeHtml(appName)} on this device? <a href="${escapeHtml(fallback)}">Get ${escapeHtml(appName)}</a>.</p>`
    : '';
  return page(
    `Opening ${appName}…`,
    `<h1>Opening ${escapeHtml(appName)}…</h1><p><a class="button" href="${href}">Open ${escapeHtml(appName)}</a></p>${alt}<script>location.href=${JSON.stringify(appUrl).replace(/</g, '\\u003c')}</script>`,
    `<meta http-equiv="refresh" content="0;url=${href}">`,
  );
}

/**
 * What a link-preview fetcher (WhatsApp, Slack, …) sees of a link with a click limit: a title and
 * description for the preview card, never the destination, so a preview neither gives the link
 * away nor uses up one of its clicks.
 */
export function previewPage(title: string, description: string): string {
  const head = `<meta property="og:title" content="${escapeHtml(title)}"><meta property="og:description" content="${escapeHtml(description)}"><meta name="description" content="${escapeHtml(description)}">`;
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(description)}</p>`, head);
}
