import {
  Bar,
  BarChart,
  CartesianGrid,
  type BarShapeProps,
  LabelList,
  Rectangle,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { FunnelRow } from '../../../src/http/contract/reports.js';
import { formatCompact, formatNumber } from '../format.js';

/** The shortest bar a count above 0 gets (a tenth of a decade), so a fractional credit still shows. */
const MIN_POSITION = 0.1;

/**
 * Where a count ends on the chart's axis: log10, shifted one decade so that 0 sits at the origin
 * and 1 one gridline out. A count of 0 has no bar; every count above 0 has one.
 *
 * @example funnelPosition(0) // 0; funnelPosition(1) // 1; funnelPosition(1000) // 4
 */
export function funnelPosition(count: number): number {
  if (!(count > 0)) return 0;
  return Math.max(Math.log10(count) + 1, MIN_POSITION);
}

/** The count at a gridline of the axis (the inverse of funnelPosition on whole decades). */
const countAt = (position: number) => (position <= 0 ? 0 : 10 ** (position - 1));

interface Stage {
  stage: string;
  count: number;
  position: number;
}

/**
 * The funnel reach → clicks → chats → qualified → converted as bars on a logarithmic axis.
 * Reach is often hundreds of times the clicks: on a linear axis every bar after it would be a
 * sliver, while on a log axis each bar shows its order of magnitude and the label its exact count.
 * Reach is left out when the row has none (null: a grouping without reach).
 */
export function FunnelChart({ row }: { row: FunnelRow }) {
  const stages: Stage[] = [
    ...(row.reach === null ? [] : [{ stage: 'Reach', count: row.reach }]),
    { stage: 'Clicks', count: row.link_clicks },
    { stage: 'Chats', count: row.chats_started },
    { stage: 'Qualified', count: row.qualified },
    { stage: 'Converted', count: row.conversions },
  ].map((s) => ({ ...s, position: funnelPosition(s.count) }));
  // At least 0, 1 and 10 on the axis, so that a lone count of 1 is not drawn as a full-width bar.
  const top = Math.max(2, Math.ceil(Math.max(...stages.map((s) => s.position))));
  const ticks = Array.from({ length: top + 1 }, (_, i) => i);
  const summary = stages.map((s) => `${s.stage.toLowerCase()} ${formatNumber(s.count)}`).join(', ');
  return (
    <figure className="funnel-chart">
      <div
        className="chart"
        role="img"
        aria-label={`Funnel: ${summary} (logarithmic scale)`}
        data-testid="funnel-chart"
      >
        <ResponsiveContainer width="100%" height={44 * stages.length + 30}>
          <BarChart data={stages} layout="vertical" margin={{ top: 0, right: 64, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis
              type="number"
              dataKey="position"
              domain={[0, top]}
              ticks={ticks}
              fontSize={12}
              tickFormatter={(position: number) => formatCompact(countAt(position))}
            />
            <YAxis type="category" dataKey="stage" width={80} fontSize={12} />
            <Tooltip
              formatter={(_position, _name, item) => formatNumber((item.payload as Stage).count)}
              isAnimationActive={false}
            />
            {/* A shape of our own keeps the empty bars of zero counts, so their 0 is labelled too. */}
            <Bar
              dataKey="position"
              name="Count"
              fill="#0f766e"
              isAnimationActive={false}
              shape={(bar: BarShapeProps) => (
                <Rectangle x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill={bar.fill} />
              )}
            >
              <LabelList
                dataKey="count"
                position="right"
                fontSize={12}
                formatter={(count) => formatNumber(Number(count))}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="hint">
        Logarithmic scale: from 1 on, each gridline is ten times the one before, so reach and the last
        conversions fit one chart. The number at each bar is its exact count.
      </figcaption>
    </figure>
  );
}
