// The timeline: SVG bars of events per day on a continuous axis; over long
// spans days are summed into weeks or months so bars stay visible.
import { clear, svgEl } from "./common.js";

const W = 800;
const H = 150;
const LEFT = 34;
const BOTTOM = 18;
const TOP = 10;
const DAY = 86400000;

function dayNumber(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return match ? Date.UTC(+match[1], +match[2] - 1, +match[3]) / DAY : NaN;
}

function iso(day) {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Buckets {start, end (day numbers), events} from days, by day, week or month. */
function buckets(dated) {
  const first = dated[0].n;
  const span = dated[dated.length - 1].n - first + 1;
  const byIndex = new Map();
  let count;
  let range;
  if (span <= 1400) {
    const size = span <= 200 ? 1 : 7;
    count = Math.floor((span - 1) / size) + 1;
    range = (i) => [first + i * size, first + i * size + size - 1];
    for (const d of dated) {
      const i = Math.floor((d.n - first) / size);
      byIndex.set(i, (byIndex.get(i) || 0) + d.events);
    }
  } else {
    const start = new Date(first * DAY);
    const [y0, m0] = [start.getUTCFullYear(), start.getUTCMonth()];
    const end = new Date(dated[dated.length - 1].n * DAY);
    count = (end.getUTCFullYear() - y0) * 12 + end.getUTCMonth() - m0 + 1;
    range = (i) => [Date.UTC(y0, m0 + i, 1) / DAY, Date.UTC(y0, m0 + i + 1, 0) / DAY];
    for (const d of dated) {
      const day = new Date(d.n * DAY);
      const i = (day.getUTCFullYear() - y0) * 12 + day.getUTCMonth() - m0;
      byIndex.set(i, (byIndex.get(i) || 0) + d.events);
    }
  }
  const unit = span <= 200 ? "day" : span <= 1400 ? "week" : "month";
  return { count, unit, bars: [...byIndex].map(([i, events]) => ({ i, events, range: range(i) })) };
}

/** Draw days ([{date, events}], sorted); onRange(since, until) is called when a bar is clicked. */
export function drawTimeline(svg, days, onRange) {
  clear(svg);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const dated = days.map((d) => ({ ...d, n: dayNumber(d.date) })).filter((d) => Number.isFinite(d.n));
  if (!dated.length) {
    svg.append(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no dated events"));
    return;
  }
  dated.sort((a, b) => a.n - b.n);
  const { count, unit, bars } = buckets(dated);
  const most = bars.reduce((m, b) => Math.max(m, b.events), 1);
  const step = (W - LEFT) / count;
  const chart = H - BOTTOM - TOP;
  const group = svgEl("g", { class: "bars" });
  for (const bar of bars) {
    const height = Math.max(1.5, (chart * bar.events) / most);
    const [since, until] = bar.range.map(iso);
    const label = since === until ? since : `${since} to ${until}`;
    const rect = svgEl("rect", {
      class: "bar", x: (LEFT + bar.i * step).toFixed(2), y: (H - BOTTOM - height).toFixed(2),
      width: Math.max(step * 0.85, 0.8).toFixed(2), height: height.toFixed(2), "data-since": since,
    }, svgEl("title", {}, `${label}: ${bar.events} event(s)`));
    rect.addEventListener("click", () => onRange(since, until));
    group.append(rect);
  }
  svg.append(
    svgEl("line", { x1: LEFT, x2: W, y1: H - BOTTOM, y2: H - BOTTOM, stroke: "#99a" }),
    svgEl("text", { x: LEFT - 4, y: TOP + 8, "text-anchor": "end" }, String(most)),
    svgEl("text", { x: LEFT - 4, y: H - BOTTOM, "text-anchor": "end" }, "0"),
    svgEl("text", { x: LEFT, y: H - 4 }, dated[0].date),
    svgEl("text", { x: W / 2, y: H - 4, "text-anchor": "middle" }, `events per ${unit}`),
    svgEl("text", { x: W, y: H - 4, "text-anchor": "end" }, dated[dated.length - 1].date),
    group,
  );
}
