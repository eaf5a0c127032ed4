// The actor network: who acts on whom, edges weighted by event count, laid
// out by a small deterministic force simulation (no library).
import { clear, svgEl } from "./common.js";

const W = 520;
const H = 360;
const LABELS = 24;          // label only the busiest actors; the rest on hover

function layout(nodes, edges) {
  const n = nodes.length;
  nodes.forEach((node, i) => {           // start on a circle: same picture every time
    const angle = (2 * Math.PI * i) / n;
    node.x = W / 2 + (W / 3) * Math.cos(angle);
    node.y = H / 2 + (H / 3) * Math.sin(angle);
  });
  const k = Math.sqrt((W * H) / Math.max(n, 1)) * 0.45;
  let temperature = W / 8;
  for (let round = 0; round < 250; round += 1) {
    for (const v of nodes) { v.dx = 0; v.dy = 0; }
    for (let a = 0; a < n; a += 1) {
      for (let b = a + 1; b < n; b += 1) {
        const u = nodes[a];
        const v = nodes[b];
        const dx = u.x - v.x;
        const dy = u.y - v.y;
        const d = Math.hypot(dx, dy) || 0.01;
        if (d > 2.5 * k) continue;        // short-range: separate groups do not drift apart
        const f = (k * k) / d / d;
        u.dx += dx * f; u.dy += dy * f; v.dx -= dx * f; v.dy -= dy * f;
      }
    }
    for (const e of edges) {
      const dx = e.from.x - e.to.x;
      const dy = e.from.y - e.to.y;
      const d = Math.hypot(dx, dy) || 0.01;
      const f = d / k;
      e.from.dx -= dx * f; e.from.dy -= dy * f; e.to.dx += dx * f; e.to.dy += dy * f;
    }
    for (const v of nodes) {
      v.dx += (W / 2 - v.x) * 0.05;     // gravity keeps separate groups together
      v.dy += (H / 2 - v.y) * 0.05;
      const d = Math.hypot(v.dx, v.dy) || 1;
      const move = Math.min(d, temperature);
      v.x += (v.dx / d) * move;
      v.y += (v.dy / d) * move;
    }
    temperature *= 0.97;
  }
  fit(nodes);
}

/** Scale the layout to fill the picture (nodes never pile up against its edges). */
function fit(nodes) {
  const xs = nodes.map((v) => v.x);
  const ys = nodes.map((v) => v.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [mx, my] = [24, 16];
  for (const v of nodes) {
    v.x = x1 > x0 ? mx + ((v.x - x0) / (x1 - x0)) * (W - 2 * mx) : W / 2;
    v.y = y1 > y0 ? my + ((v.y - y0) / (y1 - y0)) * (H - 2 * my) : H / 2;
  }
}

/** Draw {nodes, edges}; onActor(id) is called when a node is clicked. */
export function drawNetwork(svg, data, onActor) {
  clear(svg);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const nodes = data.nodes.map((node) => ({ node, weight: 0 }));
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const edges = data.edges
    .filter((e) => byId.has(e.source) && byId.has(e.target))
    .map((e) => ({ edge: e, from: byId.get(e.source), to: byId.get(e.target) }));
  if (!edges.length) {
    svg.append(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no actor pairs"));
    return;
  }
  for (const e of edges) { e.from.weight += e.edge.events; e.to.weight += e.edge.events; }
  const used = nodes.filter((n) => n.weight > 0);
  layout(used, edges);
  const radius = (n) => 4 + 1.6 * Math.sqrt(n.weight);
  svg.append(svgEl("defs", {}, svgEl("marker", {
    id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto",
  }, svgEl("path", { d: "M0 0L10 5L0 10z", class: "arrow" }))));
  const lines = svgEl("g", { class: "edges" });
  for (const { edge, from, to } of edges) {
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const d = Math.hypot(dx, dy) || 1;
    const end = radius(to) + 1;
    lines.append(svgEl("line", {
      class: "edge", x1: from.x.toFixed(1), y1: from.y.toFixed(1),
      x2: (to.x - (dx / d) * end).toFixed(1), y2: (to.y - (dy / d) * end).toFixed(1),
      "stroke-width": (0.8 + 1.2 * Math.log2(1 + edge.events)).toFixed(2), "marker-end": "url(#arrow)",
    }, svgEl("title", {}, `${name(from.node)} → ${name(to.node)}: ${edge.events} event(s)`)));
  }
  const circles = svgEl("g", { class: "nodes" });
  const labels = svgEl("g", { class: "labels" });
  const labelled = new Set([...used].sort((a, b) => b.weight - a.weight).slice(0, LABELS));
  for (const n of used) {
    const title = [name(n.node), n.node.name_ar, n.node.country].filter(Boolean).join(" · ");
    const dot = svgEl("circle", { class: "node", cx: n.x.toFixed(1), cy: n.y.toFixed(1), r: radius(n).toFixed(1),
      "data-actor": n.node.id }, svgEl("title", {}, title));
    dot.addEventListener("click", () => onActor(n.node.id));
    circles.append(dot);
    if (labelled.has(n)) {
      const right = n.x > W * 0.6;      // labels point inwards so they are not cut at the edge
      labels.append(svgEl("text", { class: "label", x: (n.x + (right ? -1 : 1) * (radius(n) + 2)).toFixed(1),
        y: (n.y + 3).toFixed(1), "text-anchor": right ? "end" : "start" }, name(n.node)));
    }
  }
  svg.append(lines, circles, labels);
}

function name(node) {
  return node.name_en || node.name_ar || node.id;
}
