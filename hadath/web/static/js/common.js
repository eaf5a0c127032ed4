// Helpers shared by the explorer's pages.  Article text and names only ever
// reach the page through textContent and attributes (never innerHTML), so a
// hostile article cannot inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/** An HTML element: el("a", {href: "/x", class: "y"}, "text", otherNode). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element (same calling convention as el). */
export function svgEl(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) {      // handlers only as functions, never attribute strings
      if (typeof value === "function") node.addEventListener(name.slice(2), value);
      continue;
    }
    node.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Remove every child of node. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** GET a JSON API path with query parameters; throws an Error with the API's detail. */
export async function getJSON(path, params) {
  const query = params ? params.toString() : "";
  const response = await fetch(query ? `${path}?${query}` : path, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null;
  }
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : response.statusText;
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

/** Show a message (or an error) in the page's status line. */
export function status(message, isError = false) {
  const node = document.getElementById("status");
  if (!node) return;
  node.textContent = message || "";
  node.classList.toggle("error", Boolean(isError));
}

/** Slice a string by Python (code point) offsets, which is what the API gives. */
export function codePoints(text) {
  return Array.from(text || "");
}

/** English name of a PLOVER actor (falls back to its Arabic text). */
export function actorName(actor) {
  if (!actor) return "";
  return actor.entity_name || actor.name_en || actor.raw_text || actor.text || actor.identifier_id || "";
}

/** A name shown in English, with the Arabic on hover. */
export function bilingual(english, arabic, extra = {}) {
  const label = english || arabic || "—";
  const node = el("span", { title: arabic && arabic !== label ? arabic : null, ...extra }, label);
  if (!english && arabic) {
    node.setAttribute("dir", "rtl");
    node.setAttribute("lang", "ar");
  }
  return node;
}

/** Only http(s) links from article metadata become hrefs (no javascript: URLs). */
export function safeHref(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

export const TYPE_QUAD = {
  AGREE: 2, CONSULT: 1, SUPPORT: 1, CONCEDE: 2, COOPERATE: 2, AID: 2, RETREAT: 2, REQUEST: 1,
  ACCUSE: 3, REJECT: 3, THREATEN: 3, PROTEST: 3, SANCTION: 3, MOBILIZE: 3, COERCE: 4, ASSAULT: 4,
};

/** A coloured badge for a PLOVER type. */
export function typeBadge(type) {
  return el("span", { class: `type quad-${TYPE_QUAD[type] || 0}` }, type || "?");
}
