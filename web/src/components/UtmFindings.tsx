import { isFixableUtmFinding, lintUtmValue, type UtmFinding } from '../../../src/domain/utm.js';
import { UTM_KEYS } from '../../../src/domain/utm.js';
import type { UtmKey, UtmValues as Utm } from '../../../src/domain/utm.js';

interface KeyedFinding extends UtmFinding {
  key: UtmKey;
}

/**
 * The naming-convention findings for the UTM values typed in (the same lint as `chatmark utm
 * lint`). Empty fields are left out: they take the campaign's defaults.
 *
 * @example utmFindings({ medium: 'Whats App' }) // [{ key: 'medium', code: 'not_normalized', fix: 'whats_app', … }, …]
 */
export function utmFindings(utm: Utm): KeyedFinding[] {
  return UTM_KEYS.flatMap((key) => {
    const value = utm[key];
    return value === undefined || value.trim() === ''
      ? []
      : lintUtmValue(key, value).map((f) => ({ ...f, key }));
  });
}

/**
 * The UTM values with every fixable finding applied, in the order the lint reports them, so a
 * medium is first normalised and then mapped to its vocabulary word. A value with personal data
 * is removed.
 */
export function fixUtmValues(utm: Utm, findings: readonly KeyedFinding[]): Utm {
  const fixed: Utm = { ...utm };
  for (const f of findings) {
    if (!isFixableUtmFinding(f)) continue;
    if (f.fix === null) delete fixed[f.key];
    else fixed[f.key] = f.fix;
  }
  return fixed;
}

/** The findings as a list, each with its one-click fix, and "Fix all" when there are several. */
export function UtmFindings({ utm, onFix }: { utm: Utm; onFix: (fixed: Utm) => void }) {
  const findings = utmFindings(utm);
  if (findings.length === 0) return null;
  const fixable = findings.filter(isFixableUtmFinding);
  return (
    <div className="utm-findings" data-testid="utm-findings">
      <ul className="warnings">
        {findings.map((f) => (
          <li key={`${f.key}-${f.code}`} data-code={f.code}>
            {f.message}{' '}
            {isFixableUtmFinding(f) && (
              <button
                type="button"
                className="button link small"
                onClick={() => onFix(fixUtmValues(utm, [f]))}
              >
                {f.fix === null ? `Remove utm_${f.key}` : `Use “${f.fix}”`}
              </button>
            )}
          </li>
        ))}
      </ul>
      {fixable.length > 1 && (
        <button
          type="button"
          className="button secondary small"
          onClick={() => onFix(fixUtmValues(utm, fixable))}
        >
          Fix all
        </button>
      )}
    </div>
  );
}
