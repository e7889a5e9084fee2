import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { createLink } from '../api/endpoints.js';
import { useCampaigns, usePreview } from '../api/hooks.js';
import { canWrite, useSession } from '../api/session.js';
import { LINK_CHANNELS as CHANNELS } from '../channels.js';
import { UTM_KEYS } from '../../../src/domain/utm.js';
import type { UtmValues as Utm } from '../../../src/domain/utm.js';
import type { Link, LinkBody, LinkChannel as Channel } from '../../../src/http/contract/links.js';
import { AppLink } from '../components/AppLink.js';
import { CopyButton } from '../components/CopyButton.js';
import { Field } from '../components/Field.js';
import { QrCode } from '../components/QrCode.js';
import { Loading } from '../components/States.js';
import { UtmFindings } from '../components/UtmFindings.js';
import { CARRIER_TEXT, CHANNEL_DEFS, type FieldDef, UTM_MEDIUMS } from '../channels.js';
import { describeError, errorField } from '../messages.js';
import { useLocation } from '../router.js';

const UTM_LABELS: Readonly<Record<(typeof UTM_KEYS)[number], string>> = {
  source: 'Source',
  medium: 'Medium',
  campaign: 'Campaign',
  term: 'Term',
  content: 'Content',
};

/** Drops empty strings, so the API sees only what the person filled in. */
function filled<T extends Record<string, string | undefined>>(values: T): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''),
  );
}

/**
 * The link builder: pick a channel, fill its fields, see the link as the recipient will get it
 * (previewed by the server as you type), then save it as a tracked short link with a QR code.
 */
export function BuilderPage() {
  const session = useSession();
  const campaigns = useCampaigns();
  const [channel, setChannel] = useState<Channel>('whatsapp');
  const [modes, setModes] = useState<Partial<Record<Channel, string>>>({});
  // Shared across channels: a phone typed for WhatsApp is still there after switching to SMS.
  const [values, setValues] = useState<Record<string, string>>({});
  const [text, setText] = useState('');
  const [utm, setUtm] = useState<Utm>({});
  // `?campaign=7` preselects a campaign (the campaign page links here that way).
  const { query } = useLocation();
  const [campaignId, setCampaignId] = useState(() =>
    /^\d+$/.test(query.get('campaign') ?? '') ? (query.get('campaign') ?? '') : '',
  );
  const [variant, setVariant] = useState('');
  const [code, setCode] = useState('');
  const [saved, setSaved] = useState<{ link: Link; for: string } | null>(null);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);

  const def = CHANNEL_DEFS[channel];
  const mode = def.modes.find((m) => m.id === modes[channel]) ?? def.modes[0];
  const fields = mode?.fields ?? [];

  const body = useMemo((): LinkBody | null => {
    const target = filled(Object.fromEntries(fields.map((f) => [f.name, values[f.name]])));
    // Nothing typed yet: no preview, and no "required" errors before the person starts.
    if (fields.filter((f) => f.required).every((f) => target[f.name] === undefined)) return null;
    return {
      channel,
      target,
      ...(def.text !== 'no' && text !== '' && { text }),
      ...(def.utm && Object.keys(filled(utm)).length > 0 && { utm: filled(utm) }),
      ...(campaignId !== '' && { campaignId: Number(campaignId) }),
      ...(variant.trim() !== '' && { variant: variant.trim() }),
    };
  }, [channel, fields, values, def, text, utm, campaignId, variant]);
  const bodyKey = JSON.stringify(body);
  const preview = usePreview(body);
  const current = saved?.for === `${bodyKey}|${code}` ? saved.link : null;
  const savedRef = useRef<HTMLElement>(null);
  // On a phone the result sits below the form: bring it into view once saved.
  useEffect(() => {
    if (saved) savedRef.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }, [saved]);

  // Which inputs are on screen, so an error about another field goes to the form's banner.
  const visible = new Set([
    ...fields.map((f) => f.name),
    ...(def.text !== 'no' ? ['text'] : []),
    ...(def.utm ? UTM_KEYS.map((k) => `utm.${k}`) : []),
    'campaignId',
    'variant',
    'code',
  ]);
  const previewError = body === null ? undefined : preview.error;
  const error = saveError ?? previewError;
  const errorAt = errorField(error);
  const fieldError = (name: string) => (error && errorAt === name ? describeError(error) : undefined);
  const bannerError = error && (errorAt === undefined || !visible.has(errorAt)) ? error : undefined;

  function setValue(name: string, value: string) {
    setValues((v) => ({ ...v, [name]: value }));
    setSaveError(undefined);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (body === null) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const link = await createLink({ ...body, ...(code.trim() !== '' && { code: code.trim() }) });
      setSaved({ link, for: `${bodyKey}|${code}` });
    } catch (reason) {
      setSaveError(reason);
    } finally {
      setSaving(false);
    }
  }

  function input(f: FieldDef) {
    return (
      <Field key={f.name} label={f.label} hint={f.hint} error={fieldError(f.name)}>
        {(props) =>
          f.options ? (
            <select
              {...props}
              value={values[f.name] ?? f.options[0]?.value}
              onChange={(e) => setValue(f.name, e.target.value)}
            >
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              {...props}
              name={f.name}
              type={f.type ?? 'text'}
              placeholder={f.placeholder}
              value={values[f.name] ?? ''}
              onChange={(e) => setValue(f.name, e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          )
        }
      </Field>
    );
  }

  return (
    <div className="page">
      <h1>Link builder</h1>
      <div className="builder">
        <form className="card builder-form" onSubmit={(e) => void save(e)} noValidate>
          <fieldset className="channels">
            <legend>Channel</legend>
            <div className="chips">
              {CHANNELS.map((c) => (
                <label key={c} className={c === channel ? 'chip selected' : 'chip'}>
                  <input
                    type="radio"
                    name="channel"
                    value={c}
                    checked={c === channel}
                    onChange={() => {
                      setChannel(c);
                      setSaveError(undefined);
                    }}
                  />
                  {CHANNEL_DEFS[c].label}
                </label>
              ))}
            </div>
          </fieldset>

          {def.modes.length > 1 && (
            <fieldset className="modes">
              <legend>Link to</legend>
              <div className="segmented">
                {def.modes.map((m) => (
                  <label key={m.id} className={m.id === mode?.id ? 'selected' : undefined}>
                    <input
                      type="radio"
                      name="mode"
                      value={m.id}
                      checked={m.id === mode?.id}
                      onChange={() => setModes((all) => ({ ...all, [channel]: m.id }))}
                    />
                    {m.label}
                  </label>
                ))}
              </div>
            </fieldset>
          )}

          <div className="grid-2">{fields.map(input)}</div>

          {def.text !== 'no' && (
            <Field
              label={def.textLabel ?? 'Prefilled text'}
              hint={
                def.text === 'warn'
                  ? `${def.label} links cannot carry text; it will be left out.`
                  : 'What the person sees in the message box, ready to send.'
              }
              error={fieldError('text')}
            >
              {(props) => (
                <textarea
                  {...props}
                  rows={3}
                  value={text}
                  placeholder="Hi! I’d like the spring offer"
                  onChange={(e) => setText(e.target.value)}
                />
              )}
            </Field>
          )}

          {def.utm && (
            <fieldset className="utm">
              <legend>UTM parameters</legend>
              <p className="hint">
                Empty fields take the campaign’s defaults. The page’s own UTM values win. Values are checked
                against the naming convention as you type.
              </p>
              <div className="grid-2">
                {UTM_KEYS.map((k) => (
                  <Field key={k} label={UTM_LABELS[k]} error={fieldError(`utm.${k}`)}>
                    {(props) => (
                      <input
                        {...props}
                        value={utm[k] ?? ''}
                        list={k === 'medium' ? 'utm-mediums' : undefined}
                        placeholder={k === 'medium' ? 'social' : k === 'source' ? 'instagram' : ''}
                        onChange={(e) => setUtm((u) => ({ ...u, [k]: e.target.value }))}
                        autoComplete="off"
                      />
                    )}
                  </Field>
                ))}
              </div>
              <UtmFindings utm={utm} onFix={setUtm} />
              <datalist id="utm-mediums">
                {UTM_MEDIUMS.map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
            </fieldset>
          )}

          <div className="grid-2">
            <Field
              label="Campaign"
              error={fieldError('campaignId')}
              hint={campaigns.error ? describeError(campaigns.error) : undefined}
            >
              {(props) => (
                <select
                  {...props}
                  value={campaignId}
                  onChange={(e) => setCampaignId(e.target.value)}
                  disabled={campaigns.loading && !campaigns.data}
                >
                  <option value="">
                    {campaigns.loading && !campaigns.data ? 'Loading campaigns…' : 'No campaign'}
                  </option>
                  {campaigns.data?.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({c.slug})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label="Variant"
              hint="Optional: compare versions of a link (A, B…)."
              error={fieldError('variant')}
            >
              {(props) => (
                <input
                  {...props}
                  value={variant}
                  onChange={(e) => setVariant(e.target.value)}
                  placeholder="A"
                />
              )}
            </Field>
          </div>

          {canWrite(session) ? (
            <>
              <Field
                label="Custom short code"
                hint="Optional; a random 7-character code otherwise."
                error={fieldError('code')}
              >
                {(props) => (
                  <input
                    {...props}
                    value={code}
                    onChange={(e) => {
                      setCode(e.target.value);
                      setSaveError(undefined);
                    }}
                    placeholder="spring-wa"
                    autoComplete="off"
                    spellCheck={false}
                  />
                )}
              </Field>
              {bannerError !== undefined && (
                <p className="form-error" role="alert">
                  {describeError(bannerError)}
                </p>
              )}
              <button type="submit" className="button primary" disabled={body === null || saving}>
                {saving ? 'Saving…' : 'Save as tracked link'}
              </button>
            </>
          ) : (
            <>
              {bannerError !== undefined && (
                <p className="form-error" role="alert">
                  {describeError(bannerError)}
                </p>
              )}
              <p className="muted">Your key is read-only: you can preview links but not save them.</p>
            </>
          )}
        </form>

        <aside className="builder-preview" aria-live="polite">
          {current && (
            <section className="card saved" ref={savedRef}>
              <h2>Tracked link saved</h2>
              <div className="short-url">
                <a href={current.shortUrl} target="_blank" rel="noreferrer">
                  {current.shortUrl}
                </a>
                <CopyButton text={current.shortUrl} />
              </div>
              <QrCode
                text={`${current.shortUrl}?qr=1`}
                fileName={`chatmark-${current.code}`}
                caption="Scans of this code are counted as QR clicks."
              />
              <AppLink to="/app/links">See all links</AppLink>
            </section>
          )}
          <PreviewCard body={body} preview={preview} />
        </aside>
      </div>
    </div>
  );
}

function PreviewCard({ body, preview }: { body: LinkBody | null; preview: ReturnType<typeof usePreview> }) {
  if (body === null) {
    return (
      <section className="card preview">
        <h2>Preview</h2>
        <p className="muted">Fill in the fields to see the link as the recipient will get it.</p>
      </section>
    );
  }
  const data = preview.error ? undefined : preview.data;
  return (
    <section className={preview.loading ? 'card preview is-loading' : 'card preview'}>
      <h2>Preview</h2>
      {!data && preview.loading && <Loading what="Building the link" />}
      {!data && !preview.loading && preview.error && (
        <p className="muted">Fix the highlighted field to see the preview.</p>
      )}
      {data && (
        <>
          <dl className="preview-list">
            <dt>Opens</dt>
            <dd>
              <a href={data.destinationPreview} target="_blank" rel="noreferrer" className="break">
                {data.destinationPreview}
              </a>
            </dd>
            {data.appUrl && (
              <>
                <dt>In the app</dt>
                <dd className="break mono">{data.appUrl}</dd>
              </>
            )}
            <dt>Ref token</dt>
            <dd>{CARRIER_TEXT[data.carrier]}</dd>
          </dl>
          {data.text !== null && (
            <div className="bubble-wrap">
              <p className="hint">As the recipient will see it, ready to send:</p>
              <p className="bubble">{data.text}</p>
            </div>
          )}
          {data.warnings.length > 0 && (
            <ul className="warnings">
              {data.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          <p className="hint">
            {data.carrier === 'cm_click' ? (
              <>
                <code>XXXXXXXX</code> stands for each click’s own id.
              </>
            ) : (
              <>
                <code>XXXX-XXXX</code> stands for each click’s own ref token.
              </>
            )}
          </p>
          <QrCode
            text={data.destinationPreview}
            fileName="chatmark-preview"
            caption="Untracked preview. Save as a tracked link for a QR code that counts scans."
            downloads={false}
          />
        </>
      )}
    </section>
  );
}
