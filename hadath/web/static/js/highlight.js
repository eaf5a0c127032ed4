// Article text as DOM: the text is cut at every span boundary (offsets are
// Python code points) and each piece becomes a text node or a <span> whose
// classes are those of every span covering it.  Text goes in via textContent only.
import { clear, codePoints } from "./common.js";

/**
 * Render text into container with spans [{start, end, classes, title, key}].
 * Returns a Map key -> [elements] for the pieces each keyed span covers.
 */
export function renderText(container, text, spans) {
  const chars = codePoints(text);
  const n = chars.length;
  const valid = spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end)
    && s.start >= 0 && s.start < s.end && s.end <= n);
  const cuts = new Set([0, n]);
  for (const s of valid) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const byStart = [...valid].sort((a, b) => a.start - b.start);
  const owners = new Map();
  const fragment = document.createDocumentFragment();
  let next = 0;
  let active = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    while (next < byStart.length && byStart[next].start <= a) active.push(byStart[next++]);
    active = active.filter((s) => s.end > a);
    const piece = chars.slice(a, b).join("");
    if (!active.length) {
      fragment.append(document.createTextNode(piece));
      continue;
    }
    const node = document.createElement("span");
    node.textContent = piece;
    const classes = new Set();
    const titles = [];
    for (const s of active) {
      for (const c of s.classes || []) classes.add(c);
      if (s.title && !titles.includes(s.title)) titles.push(s.title);
      if (s.key !== undefined) {
        if (!owners.has(s.key)) owners.set(s.key, []);
        owners.get(s.key).push(node);
      }
    }
    if (classes.size) node.className = [...classes].join(" ");
    if (titles.length) node.title = titles.join(" · ");
    fragment.append(node);
  }
  clear(container).append(fragment);
  return owners;
}

/** Mark the pieces of keys as focused (and only them); scroll the first into view. */
export function focusPieces(owners, keys) {
  for (const node of document.querySelectorAll(".text .focus")) node.classList.remove("focus");
  const nodes = keys.flatMap((key) => owners.get(key) || []);
  for (const node of nodes) node.classList.add("focus");
  if (nodes.length) nodes[0].scrollIntoView({ block: "center", behavior: "instant" });
  return nodes.length;
}
