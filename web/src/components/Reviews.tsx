import { useState } from 'react';
import { takeBaseline, saveReviewNotes } from '../api/endpoints.js';
import { useBaseline, useReviews } from '../api/hooks.js';
import { canWrite, useSession } from '../api/session.js';
import type { Baseline, Review, Reviews } from '../../../src/http/contract/experiments.js';
import { describeError } from '../messages.js';
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatPValue,
  formatSignedPercent,
} from '../format.js';
import { METRIC_TEXT } from '../verdicts.js';
import { AppLink } from './AppLink.js';
import { VerdictNote } from './Comparison.js';
import { Empty, ErrorNote, Loading } from './States.js';
import { Tile } from './Tile.js';

/**
 * The campaign's baseline snapshot (what the reviews expect) and its day 3, 7 and 14 reviews
 * (expected vs actual for the decision metric, the verdict and the root-cause notes). Taking a
 * baseline changes every review, so both live here and reload together.
 */
export function BaselineAndReviews({ campaignId }: { campaignId: number }) {
  const baseline = useBaseline(campaignId);
  const reviews = useReviews(campaignId);
  const reload = () => {
    baseline.reload();
    reviews.reload();
  };
  return (
    <>
      <section className="card" aria-labelledby="baseline-title">
        <h2 id="baseline-title">Baseline</h2>
        {baseline.error ? (
          <ErrorNote error={baseline.error} onRetry={baseline.reload} />
        ) : baseline.data === undefined ? (
          <Loading what="Loading the baseline" />
        ) : (
          <BaselineView campaignId={campaignId} baseline={baseline.data} onTaken={reload} />
        )}
      </section>
      <section className="card" aria-labelledby="reviews-title" data-testid="reviews">
        <h2 id="reviews-title">Reviews at day 3, 7 and 14</h2>
        {reviews.error ? (
          <ErrorNote error={reviews.error} onRetry={reviews.reload} />
        ) : !reviews.data ? (
          <Loading what="Loading the reviews" />
        ) : (
          <ReviewsView data={reviews.data} />
        )}
      </section>
    </>
  );
}

function BaselineView({
  campaignId,
  baseline,
  onTaken,
}: {
  campaignId: number;
  baseline: Baseline | null;
  onTaken: () => void;
}) {
  const session = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function take() {
    setBusy(true);
    setError(null);
    try {
      await takeBaseline(campaignId);
      setConfirming(false);
      onTaken();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const m = baseline?.metrics;
  return (
    <>
      {!baseline || !m ? (
        <Empty>
          <p>
            No baseline yet. Take one before launch: the reviews compare the campaign after launch with it.
          </p>
        </Empty>
      ) : (
        <>
          <p className="hint" data-testid="baseline-taken">
            Taken {formatDateTime(baseline.takenAt)}: everything counted up to then (conversion:{' '}
            <code>{m.conversion}</code>).
          </p>
          <div className="tiles">
            <Tile label="Link clicks" value={formatNumber(m.link_clicks)} hint="humans only" />
            <Tile
              label="Chats started"
              value={formatNumber(m.chats_started)}
              hint={`${formatPercent(m.click_to_message_rate)} of clicks`}
            />
            <Tile
              label="Qualified"
              value={formatNumber(m.qualified)}
              hint={`${formatPercent(m.qualification_rate)} of chats`}
            />
            <Tile
              label="Conversions"
              value={formatNumber(m.conversions)}
              hint={`${formatPercent(m.conversion_rate)} of chats`}
            />
          </div>
        </>
      )}
      {canWrite(session) &&
        (confirming ? (
          <div className="confirm" role="group" aria-label="Take a baseline">
            <p>
              Snapshot the campaign’s counts as of now? The reviews will compare with this snapshot instead
              {baseline ? ' of the current one' : ''}.
            </p>
            <div className="row">
              <button type="button" className="button primary" onClick={() => void take()} disabled={busy}>
                {busy ? 'Taking…' : 'Take baseline now'}
              </button>
              <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
            Take baseline
          </button>
        ))}
      {error !== null && <ErrorNote error={error} />}
    </>
  );
}

function ReviewsView({ data }: { data: Reviews }) {
  return (
    <>
      <p className="hint">
        Launched {formatDateTime(data.launchedAt)} · decision metric{' '}
        <strong>{METRIC_TEXT[data.metric] ?? data.metric}</strong>
        {data.experimentId !== null ? (
          <>
            {' '}
            with the thresholds of{' '}
            <AppLink to={`/app/experiments/${data.experimentId}`}>experiment #{data.experimentId}</AppLink>
          </>
        ) : (
          ' with the default thresholds'
        )}{' '}
        · expected:{' '}
        {data.baseline
          ? `${formatPercent(data.baseline.value)} (baseline of ${formatDate(data.baseline.takenAt)})`
          : 'no baseline'}
      </p>
      <div className="reviews">
        {data.reviews.map((r) => (
          <ReviewCard key={r.day} campaignId={data.campaignId} review={r} />
        ))}
      </div>
    </>
  );
}

const counted = (c: { x: number; n: number } | null | undefined) =>
  c ? `${formatNumber(c.x)} of ${formatNumber(c.n)}` : undefined;

function ReviewCard({ campaignId, review }: { campaignId: number; review: Review }) {
  return (
    <article className="review" data-testid={`review-${review.day}`} aria-label={`Day ${review.day} review`}>
      <h3>
        Day {review.day}{' '}
        <span className="muted">
          {review.due
            ? `· ${formatDate(review.from)} – ${formatDate(review.to)}`
            : `· due ${formatDateTime(review.dueAt)}`}
        </span>
      </h3>
      {review.due && (
        <div className="tiles">
          <Tile
            label="Expected"
            value={formatPercent(review.expected)}
            hint={counted(review.counts?.expected)}
          />
          <Tile
            label="Actual"
            value={formatPercent(review.actual)}
            hint={counted(review.counts?.actual)}
            raw={review.actual}
            testId="actual"
          />
          <Tile
            label="Change"
            value={formatSignedPercent(review.relativeChange)}
            hint={
              review.ci
                ? `95%: ${formatSignedPercent(review.ci[0])} to ${formatSignedPercent(review.ci[1])}`
                : undefined
            }
          />
          <Tile label="p-value" value={formatPValue(review.pValue)} />
        </div>
      )}
      <VerdictNote verdict={review.verdict} reason={review.reason} rule={review.rule} />
      <ReviewNotes campaignId={campaignId} review={review} />
    </article>
  );
}

function ReviewNotes({ campaignId, review }: { campaignId: number; review: Review }) {
  const session = useSession();
  const [notes, setNotes] = useState(review.notes ?? '');
  const [saved, setSaved] = useState<{ notes: string; at: string | null }>({
    notes: review.notes ?? '',
    at: review.notesUpdatedAt,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!canWrite(session)) {
    return (
      <p className="review-notes" data-testid="notes">
        <span className="muted">Notes: </span>
        {saved.notes === '' ? 'none yet' : saved.notes}
      </p>
    );
  }

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const answer = await saveReviewNotes(campaignId, review.day, notes);
      setSaved({ notes: answer.notes, at: answer.updatedAt });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  const id = `review-notes-${review.day}`;
  return (
    <div className="field review-notes">
      <label htmlFor={id}>Day {review.day} notes (root cause, what changed)</label>
      <textarea
        id={id}
        rows={3}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        data-testid="notes"
      />
      <div className="row">
        <button
          type="button"
          className="button secondary small"
          onClick={() => void save()}
          disabled={busy || notes === saved.notes}
        >
          {busy ? 'Saving…' : 'Save notes'}
        </button>
        {saved.at && (
          <span className="hint" role="status">
            {notes === saved.notes ? `Saved ${formatDateTime(saved.at)}` : 'Not saved yet'}
          </span>
        )}
      </div>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
