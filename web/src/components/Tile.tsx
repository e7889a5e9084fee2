/**
 * One figure with its label and a hint under it. `raw` (the unformatted number, or numbers joined
 * by commas) goes into `data-value`, so tests can compare what is shown with what the API answered.
 */
export function Tile({
  label,
  value,
  hint,
  testId,
  raw,
}: {
  label: string;
  value: string;
  hint?: string | undefined;
  testId?: string | undefined;
  raw?: number | readonly number[] | null | undefined;
}) {
  return (
    <div
      className="tile"
      data-testid={testId}
      data-value={raw === null || raw === undefined ? undefined : String(raw)}
    >
      <div className="tile-label">{label}</div>
      <div className="tile-value">{value}</div>
      {hint && <div className="tile-hint">{hint}</div>}
    </div>
  );
}
