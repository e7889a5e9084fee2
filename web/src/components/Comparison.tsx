import type { Comparison, Verdict, VerdictRule } from '../../../src/http/contract/experiments.js';
import { formatNumber, formatPercent, formatPValue, formatSignedPercent, NONE } from '../format.js';
import { reasonText, RULE_TEXT, VERDICT_TEXT } from '../verdicts.js';
import { Tile } from './Tile.js';

/** The verdict, its reason in words and the rule that decided; "No verdict" when there is none. */
export function VerdictNote({
  verdict,
  reason,
  rule,
}: {
  verdict: Verdict | null;
  reason: string;
  rule: VerdictRule | 'health_check' | null;
}) {
  return (
    <div
      className={`verdict verdict-${verdict ?? 'none'}`}
      data-testid="verdict"
      data-verdict={verdict ?? ''}
    >
      <p className="verdict-head">
        <span className="verdict-name">{verdict ? VERDICT_TEXT[verdict] : 'No verdict'}</span>
        {rule && <span className="verdict-rule">{RULE_TEXT[rule]}</span>}
      </p>
      <p className="verdict-reason" data-testid="reason">
        {reasonText(reason)}
      </p>
    </div>
  );
}

const interval = (ci: [number, number] | null) =>
  ci ? `${formatSignedPercent(ci[0])} to ${formatSignedPercent(ci[1])}` : NONE;

/**
 * A comparison of a baseline and a variant as POST /api/experiments/compare and an experiment's
 * results answer it: the verdict with its reason, then the relative change, its 95% interval, the
 * p-value, the pooled z-test, the sample-ratio check and the minimum sample.
 */
export function ComparisonView({ result }: { result: Comparison }) {
  const proportions = result.mode === 'proportions' ? result : null;
  return (
    <div className="comparison" data-testid="comparison">
      <VerdictNote verdict={result.verdict} reason={result.reason} rule={result.rule} />
      <div className="tiles">
        <Tile
          label="Relative change"
          value={formatSignedPercent(result.relativeChange)}
          hint={
            proportions
              ? `${formatPercent(proportions.baselineRate)} → ${formatPercent(proportions.variantRate)}`
              : 'variant vs baseline'
          }
          testId="relative-change"
          raw={result.relativeChange}
        />
        <Tile
          label="95% interval"
          value={interval(result.ci)}
          hint={result.ci ? 'of the relative change' : 'none for plain values'}
          testId="ci"
          raw={result.ci}
        />
        <Tile
          label="p-value"
          value={formatPValue(result.pValue)}
          hint={
            result.mode === 'proportions'
              ? 't-test of the relative change'
              : result.z === null
                ? 'plain values carry no test'
                : `Poisson test, z = ${formatNumber(result.z, 4)}`
          }
          testId="p-value"
          raw={result.pValue}
        />
        {proportions && (
          <>
            <Tile
              label="Pooled z-test"
              value={`p = ${formatPValue(proportions.zTest.pValue)}`}
              hint={
                proportions.zTest.z === null
                  ? 'not computable'
                  : `z = ${formatNumber(proportions.zTest.z, 4)}`
              }
              testId="z-test-p"
              raw={proportions.zTest.pValue}
            />
            <Tile
              label="Sample ratio"
              value={!proportions.srm ? 'Not checked' : proportions.srm.mismatch ? 'Mismatch' : 'OK'}
              hint={
                !proportions.srm
                  ? 'give the planned split to check it'
                  : proportions.srm.pValue === null
                    ? 'nothing to check'
                    : `χ² p = ${formatPValue(proportions.srm.pValue)}${proportions.srm.mismatch ? ' (below 0.001)' : ''}`
              }
              testId="srm"
              raw={proportions.srm?.pValue}
            />
            <Tile
              label="Minimum sample"
              value={
                proportions.minimumSample === null
                  ? NONE
                  : `${formatNumber(proportions.minimumSample)} per arm`
              }
              hint={
                proportions.minimumSample === null
                  ? 'no change to detect'
                  : 'to detect this change (α 0.05, power 80%)'
              }
              testId="minimum-sample"
              raw={proportions.minimumSample}
            />
          </>
        )}
      </div>
    </div>
  );
}
