import { scaleBand, scaleLinear } from "d3-scale";
import { stack } from "d3-shape";

import { cn } from "@/lib/utils";

/*
 * A stacked bar chart rendered on the server as SVG: no client JavaScript. d3-scale places the
 * bars and picks round ticks; d3-shape stacks the series. The SVG stretches to its box (so the
 * bars fill any width, 390 px to wide screens) while the axis labels are HTML that does not
 * stretch; colours are theme variables, so light and dark follow the rest of the UI. Screen
 * readers get the summary as the image's name and every value in a visually hidden table.
 */

export interface ChartSeries<K extends string> {
  key: K;
  label: string;
  /** Tailwind fill for the bars and the legend's swatch, e.g. "fill-success". */
  fill: string;
}

export interface ChartColumn<K extends string> {
  /** The axis label, short ("Jul", "3 Jun"). */
  tick: string;
  /** The row's name in the table ("July 2026"). */
  name: string;
  /** Null when there is nothing to show for the column: drawn as an outline, said as `none`. */
  values: Record<K, number> | null;
  /** More about the column, for the table only ("5 on time, 1 late"). */
  note?: string;
}

const W = 600;
const H = 160;

export function StackedBarChart<K extends string>({
  title,
  summary,
  series,
  columns,
  max,
  format = (value) => value.toLocaleString("en"),
  tickEvery = 1,
  narrowTickEvery = 1,
  none = "no data",
  tableNote,
  noteHeading = "Details",
  className,
}: {
  title: string;
  /** One sentence that says what the chart shows: the image's accessible name. */
  summary: string;
  series: readonly ChartSeries<K>[];
  columns: readonly ChartColumn<K>[];
  /** The top of the value axis; by default the largest stack, rounded up. */
  max?: number;
  format?: (value: number) => string;
  /** Label every nth column, counted back from the last one (always labelled). */
  tickEvery?: number;
  /** On a phone, label only every nth of those (the labels would run into each other). */
  narrowTickEvery?: number;
  /** What a column without values is called in the legend and the table. */
  none?: string;
  tableNote?: string;
  /** The heading of the table's column of notes, when columns have them. */
  noteHeading?: string;
  className?: string;
}) {
  const keys = series.map((s) => s.key);
  const rows = columns.map((column) => column.values ?? null);
  const largest = Math.max(
    1,
    ...rows.map((values) => (values ? keys.reduce((sum, key) => sum + values[key], 0) : 0)),
  );
  const x = scaleBand<number>()
    .domain(columns.map((_, index) => index))
    .range([0, W])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const y = scaleLinear()
    .domain([0, max ?? largest])
    .range([H, 0]);
  if (max === undefined) y.nice(4);
  const ticks = y.ticks(4).filter((tick) => Number.isInteger(tick) || max !== undefined);
  const layers = stack<Record<K, number>, K>().keys(keys)(
    rows.map(
      (values) => values ?? (Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>),
    ),
  );
  const percent = (value: number, of: number) => `${(value / of) * 100}%`;
  const hasNone = rows.some((values) => values === null);
  const hasNotes = columns.some((column) => column.note !== undefined);

  return (
    <figure className={cn("flex min-w-0 flex-col gap-2", className)}>
      <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2">
        <div aria-hidden className="relative h-40 w-9 text-right text-[11px] text-muted-foreground">
          {ticks.map((tick) => (
            <span
              key={tick}
              className="absolute right-0 -translate-y-1/2 leading-none tabular-nums"
              style={{ top: percent(y(tick), H) }}
            >
              {format(tick)}
            </span>
          ))}
        </div>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${title}: ${summary}`}
          className="h-40 w-full overflow-visible"
        >
          <title>{`${title}: ${summary}`}</title>
          {ticks.map((tick) => (
            <line
              key={tick}
              x1={0}
              x2={W}
              y1={y(tick)}
              y2={y(tick)}
              className="stroke-border"
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {rows.map((values, index) =>
            values === null ? (
              <rect
                key={index}
                x={x(index)}
                y={0}
                width={x.bandwidth()}
                height={H}
                className="fill-none stroke-muted-foreground/50"
                strokeDasharray="3 3"
                vectorEffect="non-scaling-stroke"
              />
            ) : null,
          )}
          {layers.map((layer, at) => (
            <g key={layer.key} className={series[at]!.fill}>
              {layer.map(([low, high], index) =>
                high > low ? (
                  <rect
                    key={index}
                    x={x(index)}
                    y={y(high)}
                    width={x.bandwidth()}
                    height={y(low) - y(high)}
                  />
                ) : null,
              )}
            </g>
          ))}
        </svg>
        <div />
        <div aria-hidden className="relative h-4 text-[11px] text-muted-foreground">
          {columns.map((column, index) => {
            // Counted back from the last column, which is always labelled; the first and last
            // labels align with their bar's outer edge so that they never stick out of the chart.
            const back = columns.length - 1 - index;
            if (back % tickEvery !== 0) return null;
            const edge = index === 0 ? "start" : index === columns.length - 1 ? "end" : "middle";
            const at =
              (x(index) ?? 0) +
              (edge === "start" ? 0 : edge === "end" ? x.bandwidth() : x.bandwidth() / 2);
            return (
              <span
                key={column.name}
                className={cn(
                  "absolute whitespace-nowrap",
                  (back / tickEvery) % narrowTickEvery !== 0 && "max-sm:hidden",
                  edge === "middle" && "-translate-x-1/2",
                  edge === "end" && "-translate-x-full",
                )}
                style={{ left: percent(at, W) }}
              >
                {column.tick}
              </span>
            );
          })}
        </div>
      </div>
      <ul aria-hidden className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground">
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1">
            <svg viewBox="0 0 10 10" className={cn("size-3", s.fill)}>
              <rect width={10} height={10} rx={2} />
            </svg>
            {s.label}
          </li>
        ))}
        {hasNone ? (
          <li className="flex items-center gap-1">
            <span className="inline-block size-3 rounded-[2px] border border-dashed border-muted-foreground/70" />
            {none}
          </li>
        ) : null}
      </ul>
      {/* sr-only on a table itself does not hide it: a table sizes to its content. */}
      <div className="sr-only">
        <table>
          <caption>
            {title}
            {tableNote ? `. ${tableNote}` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
              {hasNotes ? <th scope="col">{noteHeading}</th> : null}
            </tr>
          </thead>
          <tbody>
            {columns.map((column) => (
              <tr key={column.name}>
                <th scope="row">{column.name}</th>
                {series.map((s) => (
                  <td key={s.key}>{column.values ? format(column.values[s.key]) : none}</td>
                ))}
                {hasNotes ? <td>{column.note ?? ""}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
