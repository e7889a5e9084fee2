/**
 * Experiment statistics (spec/metrics.md §3–§4): the public API the experiments service, the HTTP
 * compare route and `chatmark compare` use.
 */
export {
  chiSquareCdf,
  chiSquareSurvival,
  normalCdf,
  normalPdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedPValue,
} from './distributions.js';
export { type PoissonTestResult, poissonTest } from './poisson.js';
export {
  type ArmCounts,
  type ComparisonOptions,
  compareMeans,
  compareProportions,
  type LiftInference,
  type MeanComparison,
  type MeanSummary,
  type ProportionComparison,
  pooledZTest,
  type ZTestResult,
} from './proportions.js';
export { relativeChange } from './relative-change.js';
export { type SampleSizeOptions, sampleSizePerArm } from './sample-size.js';
export {
  logBeta,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
} from './special.js';
export { SRM_P_THRESHOLD, type SrmResult, sampleRatioMismatch } from './srm.js';
export {
  DEFAULT_MIN_CONVERSIONS,
  type Guardrail,
  type MetricEffect,
  type Verdict,
  type VerdictInput,
  type VerdictName,
  type VerdictRule,
  verdict,
} from './verdict.js';
export { wilsonInterval, Z_95 } from './wilson.js';
