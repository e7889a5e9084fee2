import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.js';
import { compareArms } from '../api/endpoints.js';
import type { CompareBody, Comparison } from '../../../src/http/contract/experiments.js';
import { describeError } from '../messages.js';
import { ComparisonView } from './Comparison.js';
import { Field } from './Field.js';
import { Segmented } from './Segmented.js';

type Mode = 'proportions' | 'values';

const MODES = [
  { value: 'proportions', label: 'Rates (x out of n)' },
  { value: 'values', label: 'Plain values' },
] as const;

const FIELDS = ['bn', 'bx', 'vn', 'vx', 'wb', 'wv', 'b', 'v'] as const;
type FieldName = (typeof FIELDS)[number];

/** The API's field names (`baseline.x`, `weights.1`) as this form's inputs. */
const API_FIELD: Readonly<Record<string, FieldName>> = {
  'baseline.n': 'bn',
  'baseline.x': 'bx',
  'variant.n': 'vn',
  'variant.x': 'vx',
  weights: 'wb',
  'weights.0': 'wb',
  'weights.1': 'wv',
  baseline: 'b',
  variant: 'v',
};

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * Builds the request from the inputs, or names the inputs that are missing or not numbers.
 * The server checks the rest (successes above units, negative counts) and its error lands on
 * the field it names.
 */
function toBody(mode: Mode, values: Record<FieldName, string>, counts: boolean) {
  const errors: Partial<Record<FieldName, string>> = {};
  const read = (name: FieldName) => {
    const value = number(values[name]);
    if (!Number.isFinite(value)) errors[name] = 'Enter a number.';
    return value;
  };
  let body: CompareBody;
  if (mode === 'values') {
    body = { baseline: read('b'), variant: read('v'), ...(counts && { counts: true }) };
  } else {
    const split = values.wb.trim() !== '' || values.wv.trim() !== '';
    const weights: [number, number] | undefined = split ? [read('wb'), read('wv')] : undefined;
    body = {
      baseline: { n: read('bn'), x: read('bx') },
      variant: { n: read('vn'), x: read('vx') },
      ...(weights && { weights }),
    };
  }
  return { body, errors };
}

/**
 * A comparison of two numbers typed in (POST /api/experiments/compare, nothing stored): two
 * rates with the planned split for the sample-ratio check, or two plain values.
 */
export function CompareForm() {
  const [mode, setMode] = useState<Mode>('proportions');
  const [values, setValues] = useState<Record<FieldName, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<FieldName, string>,
  );
  const [counts, setCounts] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<Comparison | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (name: FieldName) => (text: string) => setValues((old) => ({ ...old, [name]: text }));
  const input = (name: FieldName, label: string, hint?: string) => (
    <Field label={label} hint={hint} error={errors[name]}>
      {(props) => (
        <input
          {...props}
          type="number"
          inputMode="decimal"
          step="any"
          value={values[name]}
          onChange={(e) => set(name)(e.target.value)}
        />
      )}
    </Field>
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { body, errors: missing } = toBody(mode, values, counts);
    setErrors(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      setResult(await compareArms(body));
    } catch (error) {
      setResult(null);
      const field = error instanceof ApiError && error.field ? API_FIELD[error.field] : undefined;
      if (field) setErrors({ [field]: describeError(error) });
      else setFormError(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label="Compare a baseline and a variant">
      <Segmented
        legend="Compare"
        name="compare-mode"
        options={MODES}
        value={mode}
        onChange={(m) => {
          setMode(m);
          setErrors({});
          setFormError(null);
          setResult(null);
        }}
      />
      {mode === 'proportions' ? (
        <>
          <div className="grid-2">
            <fieldset>
              <legend>Baseline</legend>
              {input('bn', 'Baseline units', 'e.g. chats started')}
              {input('bx', 'Baseline successes', 'e.g. purchases among them')}
            </fieldset>
            <fieldset>
              <legend>Variant</legend>
              {input('vn', 'Variant units')}
              {input('vx', 'Variant successes')}
            </fieldset>
          </div>
          <fieldset>
            <legend>Planned split (optional)</legend>
            <p className="hint">
              The share of traffic each arm should get, e.g. 50 and 50: the sample-ratio check compares the
              units with it.
            </p>
            <div className="grid-2">
              {input('wb', 'Baseline share')}
              {input('wv', 'Variant share')}
            </div>
          </fieldset>
        </>
      ) : (
        <>
          <div className="grid-2">
            {input('b', 'Baseline value')}
            {input('v', 'Variant value')}
          </div>
          <label className="check field">
            <input type="checkbox" checked={counts} onChange={(e) => setCounts(e.target.checked)} />
            Both are counts over equal periods (Poisson test)
          </label>
        </>
      )}
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Comparing…' : 'Compare'}
        </button>
      </div>
      {result && (
        <section className="result" aria-label="Comparison result" aria-live="polite">
          <ComparisonView result={result} />
        </section>
      )}
    </form>
  );
}
