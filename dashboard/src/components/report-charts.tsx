import { useId } from 'react';
import type { ServiceSeries } from '../../../protocol/reports.js';
import '../styles/reports.css';

const W = 640;
const H = 200;
const PAD = 8;
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface Line {
  name: string;
  /** `report-line-1` … `report-line-3`: the colour and dash, from the stylesheet (the CSP allows no inline style). */
  tone: 1 | 2 | 3;
  values: (number | null)[];
}

/**
 * SVG paths through the measured points: the line (a bucket with nothing measured breaks it) and the
 * points with no neighbour, drawn as dots so a lone measurement shows.
 */
function pathsOf(values: (number | null)[], max: number): { line: string; dots: string } {
  const step = values.length > 1 ? (W - 2 * PAD) / (values.length - 1) : 0;
  let line = '';
  let dots = '';
  values.forEach((v, i) => {
    if (v === null) return;
    const x = (PAD + i * step).toFixed(1);
    const y = (H - PAD - (max === 0 ? 0 : (v / max) * (H - 2 * PAD))).toFixed(1);
    const before = (values[i - 1] ?? null) !== null;
    const after = (values[i + 1] ?? null) !== null;
    if (!before && !after) dots += `M${x},${y} l0.01,0 `;
    else line += `${before ? 'L' : 'M'}${x},${y} `;
  });
  return { line: line.trim(), dots: dots.trim() };
}

/**
 * A line chart drawn as plain SVG. Its text alternative is the table of the same numbers, hidden
 * visually but read by screen readers; the SVG itself carries a one-line summary.
 */
export function LineChart({
  title,
  keys,
  lines,
  format,
  testId,
}: {
  title: string;
  keys: string[];
  lines: Line[];
  format: (v: number | null) => string;
  testId: string;
}) {
  const id = useId();
  const measured = lines.flatMap((l) => l.values).filter((v): v is number => v !== null);
  const max = measured.length ? Math.max(...measured) : 0;
  const summary = `${title}: ${lines
    .map((l) => {
      const vs = l.values.filter((v): v is number => v !== null);
      return vs.length
        ? `${l.name} from ${format(Math.min(...vs))} to ${format(Math.max(...vs))}`
        : `${l.name}: no data`;
    })
    .join('; ')}, ${keys.length} periods from ${keys[0] ?? ''} to ${keys[keys.length - 1] ?? ''}.`;
  return (
    <figure className="card report-chart" data-testid={testId}>
      <figcaption className="card-title" id={`${id}-title`}>
        {title}
      </figcaption>
      <ul className="report-legend" aria-hidden="true">
        {lines.map((l) => (
          <li key={l.name} className={`report-legend-item report-tone-${l.tone}`}>
            {l.name}
          </li>
        ))}
      </ul>
      <div className="report-plot">
        <span className="report-axis-max" aria-hidden="true">
          {format(max)}
        </span>
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
          <line className="report-baseline" x1={PAD} x2={W - PAD} y1={H - PAD} y2={H - PAD} />
          {lines.map((l) => {
            const { line, dots } = pathsOf(l.values, max);
            return (
              <g key={l.name} className={`report-tone-${l.tone}`}>
                {line && <path className={`report-line report-tone-${l.tone}`} d={line} />}
                {dots && <path className={`report-line report-dots report-tone-${l.tone}`} d={dots} />}
              </g>
            );
          })}
        </svg>
      </div>
      <div className="report-axis-x" aria-hidden="true">
        <span>{keys[0]}</span>
        <span>{keys[keys.length - 1]}</span>
      </div>
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {lines.map((l) => (
                <th scope="col" key={l.name}>
                  {l.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((k, i) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                {lines.map((l) => (
                  <td key={l.name}>{format(l.values[i] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** Conversations per hour of the week as a grid of cells, darker when busier; the table says the same. */
export function BusiestHours({ data }: { data: ServiceSeries }) {
  const id = useId();
  const max = Math.max(0, ...data.busiestHours.flat());
  let best = { day: 0, hour: 0, count: 0 };
  data.busiestHours.forEach((hours, day) => {
    hours.forEach((count, hour) => {
      if (count > best.count) best = { day, hour, count };
    });
  });
  const summary =
    best.count === 0
      ? 'Busiest hours: no conversations in the period.'
      : `Busiest hours (${data.tz}): most conversations start on ${DAYS[best.day]} at ${String(best.hour).padStart(2, '0')}:00 (${best.count}).`;
  const cell = 24;
  return (
    <figure className="card report-chart" data-testid="report-busiest-hours">
      <figcaption className="card-title" id={`${id}-title`}>
        Busiest hours <span className="muted">({data.tz})</span>
      </figcaption>
      <svg
        className="report-heatmap"
        viewBox={`0 0 ${40 + 24 * cell} ${7 * cell + 20}`}
        role="img"
        aria-label={summary}
      >
        {data.busiestHours.map((hours, day) => (
          <g key={DAYS[day]}>
            <text className="report-heatmap-label" x={0} y={day * cell + cell * 0.7}>
              {DAYS[day]?.slice(0, 3)}
            </text>
            {hours.map((count, hour) => (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: the hour is the cell's identity
                key={hour}
                className={count ? 'report-heat' : 'report-heat report-heat-none'}
                x={40 + hour * cell}
                y={day * cell}
                width={cell - 2}
                height={cell - 2}
                rx={3}
                fillOpacity={count && max ? 0.15 + (0.85 * count) / max : 1}
              />
            ))}
          </g>
        ))}
        {[0, 6, 12, 18].map((h) => (
          <text key={h} className="report-heatmap-label" x={40 + h * cell} y={7 * cell + 16}>
            {String(h).padStart(2, '0')}:00
          </text>
        ))}
      </svg>
      <div className="visually-hidden">
        <table>
          <caption>Conversations started per hour of the week ({data.tz})</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Busiest hour</th>
              <th scope="col">Conversations that day</th>
            </tr>
          </thead>
          <tbody>
            {data.busiestHours.map((hours, day) => {
              const top = hours.indexOf(Math.max(...hours));
              const total = hours.reduce((a, b) => a + b, 0);
              return (
                <tr key={DAYS[day]}>
                  <th scope="row">{DAYS[day]}</th>
                  <td>{total ? `${String(top).padStart(2, '0')}:00 (${hours[top]})` : '—'}</td>
                  <td>{total}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
