import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.js';
import { createExperiment } from '../api/endpoints.js';
import { DECISION_METRICS } from '../../../src/domain/stats/compare.js';
import type { DecisionMetric, Experiment, ExperimentBody } from '../../../src/http/contract/experiments.js';
import type { Link } from '../../../src/http/contract/links.js';
import { describeError } from '../messages.js';
import { METRIC_TEXT } from '../verdicts.js';
import { Field } from './Field.js';
import { Segmented } from './Segmented.js';

type Arm = 'none' | 'baseline' | 'variant';
const ARMS = [
  { value: 'none', label: 'Not in the test' },
  { value: 'baseline', label: 'Baseline' },
  { value: 'variant', label: 'Variant' },
] as const;

type FieldName =
  | 'name'
  | 'decisionMetric'
  | 'links'
  | 'weights'
  | 'minConversions'
  | 'plannedSampleSize'
  | 'minimumEffect'
  | 'rollbackThreshold';

/** The form field an API error names (`variantLinkIds.0` belongs to the links). */
function fieldOf(apiField: string | undefined): FieldName | undefined {
  if (!apiField) return undefined;
  const head = apiField.split('.')[0] ?? '';
  if (head === 'baselineLinkIds' || head === 'variantLinkIds') return 'links';
  if (head === 'expectedWeights') return 'weights';
  const known: readonly string[] = [
    'name',
    'decisionMetric',
    'minConversions',
    'plannedSampleSize',
    'minimumEffect',
    'rollbackThreshold',
  ];
  return known.includes(head) ? (head as FieldName) : undefined;
}

/** Links labelled `a`/`b` start in the baseline/variant: the usual A/B pair of a campaign. */
const initialArm = (link: Link): Arm =>
  link.variant === 'a' ? 'baseline' : link.variant === 'b' ? 'variant' : 'none';

const numberOrNaN = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * Defines an experiment on a campaign (POST /api/campaigns/:id/experiments): which of its links
 * are the baseline and which the variant, the decision metric, the planned split and the
 * thresholds of the verdict. Shown to editors and admins only.
 */
export function ExperimentForm({
  campaignId,
  links,
  onCreated,
}: {
  campaignId: number;
  links: readonly Link[];
  onCreated: (experiment: Experiment) => void;
}) {
  const [name, setName] = useState('');
  const [metric, setMetric] = useState<DecisionMetric>('conversion_rate');
  const [arms, setArms] = useState<Record<number, Arm>>(() =>
    Object.fromEntries(links.map((l) => [l.id, initialArm(l)])),
  );
  const [weights, setWeights] = useState<[string, string]>(['50', '50']);
  const [minConversions, setMinConversions] = useState('150');
  const [plannedSampleSize, setPlannedSampleSize] = useState('');
  const [minimumEffect, setMinimumEffect] = useState('0');
  const [rollbackThreshold, setRollbackThreshold] = useState('0');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const armOf = (link: Link) => arms[link.id] ?? 'none';
  const idsIn = (arm: Arm) => links.filter((l) => armOf(l) === arm).map((l) => l.id);

  function build(): { body: ExperimentBody; problems: Partial<Record<FieldName, string>> } {
    const problems: Partial<Record<FieldName, string>> = {};
    if (name.trim() === '') problems.name = 'Give the experiment a name.';
    const baselineLinkIds = idsIn('baseline');
    const variantLinkIds = idsIn('variant');
    if (baselineLinkIds.length === 0 || variantLinkIds.length === 0)
      problems.links = 'Put at least one link in the baseline and one in the variant.';
    let expectedWeights: [number, number] | null = null;
    if (weights[0].trim() !== '' || weights[1].trim() !== '') {
      const split: [number, number] = [numberOrNaN(weights[0]), numberOrNaN(weights[1])];
      if (!split.every((w) => Number.isFinite(w) && w > 0))
        problems.weights = 'Give both shares as positive numbers, or leave both empty.';
      expectedWeights = split;
    }
    const whole = (text: string, field: FieldName, min: number) => {
      const value = numberOrNaN(text);
      if (!Number.isInteger(value) || value < min) problems[field] = `Enter a whole number from ${min}.`;
      return value;
    };
    const percent = (text: string, field: FieldName) => {
      const value = numberOrNaN(text);
      if (!Number.isFinite(value) || value < 0) problems[field] = 'Enter a percentage of 0 or more.';
      return value / 100;
    };
    const body: ExperimentBody = {
      name: name.trim(),
      decisionMetric: metric,
      baselineLinkIds,
      variantLinkIds,
      expectedWeights,
      minConversions: whole(minConversions, 'minConversions', 0),
      plannedSampleSize:
        plannedSampleSize.trim() === '' ? null : whole(plannedSampleSize, 'plannedSampleSize', 1),
      minimumEffect: percent(minimumEffect, 'minimumEffect'),
      rollbackThreshold: percent(rollbackThreshold, 'rollbackThreshold'),
    };
    return { body, problems };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { body, problems } = build();
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      onCreated(await createExperiment(campaignId, body));
    } catch (error) {
      const field = fieldOf(error instanceof ApiError ? error.field : undefined);
      if (field) setErrors({ [field]: describeError(error) });
      else setFormError(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  const text = (
    label: string,
    error: string | undefined,
    value: string,
    onChange: (value: string) => void,
    hint?: string,
  ) => (
    <Field label={label} hint={hint} error={error}>
      {(props) => (
        <input
          {...props}
          type="number"
          inputMode="decimal"
          step="any"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label="New experiment">
      <div className="grid-2">
        <Field label="Experiment name" error={errors.name}>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Decision metric" error={errors.decisionMetric}>
          {(props) => (
            <select {...props} value={metric} onChange={(e) => setMetric(e.target.value as DecisionMetric)}>
              {DECISION_METRICS.map((m) => (
                <option key={m} value={m}>
                  {METRIC_TEXT[m]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className={errors.links ? 'has-error' : undefined}>
        <legend>Arms</legend>
        {links.length === 0 ? (
          <p className="hint">This campaign has no links to compare yet.</p>
        ) : (
          <ul className="arm-list">
            {links.map((link) => (
              <li key={link.id}>
                <span className="arm-link">
                  <code>{link.code}</code>
                  {link.variant && <span className="badge">variant {link.variant}</span>}
                  <span className="muted"> {link.channel}</span>
                </span>
                <Segmented
                  legend={`Arm of link ${link.code}`}
                  hideLegend
                  name={`arm-${link.id}`}
                  options={ARMS}
                  value={armOf(link)}
                  onChange={(arm) => setArms((old) => ({ ...old, [link.id]: arm }))}
                />
              </li>
            ))}
          </ul>
        )}
        {errors.links && <p className="field-error">{errors.links}</p>}
      </fieldset>
      <fieldset>
        <legend>Planned split of clicks</legend>
        <p className="hint">Leave both empty to skip the sample-ratio check.</p>
        <div className="grid-2">
          {text('Baseline share of clicks', errors.weights, weights[0], (v) => setWeights([v, weights[1]]))}
          {text('Variant share of clicks', undefined, weights[1], (v) => setWeights([weights[0], v]))}
        </div>
      </fieldset>
      <div className="grid-2">
        {text(
          'Minimum conversions',
          errors.minConversions,
          minConversions,
          setMinConversions,
          'in the larger arm before any verdict but hold',
        )}
        {text(
          'Planned sample per arm (optional)',
          errors.plannedSampleSize,
          plannedSampleSize,
          setPlannedSampleSize,
        )}
        {text(
          'Minimum effect (%)',
          errors.minimumEffect,
          minimumEffect,
          setMinimumEffect,
          'ship only when the whole interval is above it',
        )}
        {text(
          'Rollback threshold (%)',
          errors.rollbackThreshold,
          rollbackThreshold,
          setRollbackThreshold,
          'roll back when the whole interval is below minus this',
        )}
      </div>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy || links.length === 0}>
        {busy ? 'Saving…' : 'Create experiment'}
      </button>
    </form>
  );
}
