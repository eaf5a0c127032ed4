// The article page: the Arabic text (RTL) with entities, event triggers and
// quotes highlighted from their offsets, and the extracted records beside it.
// #event-ID in the URL focuses that event's evidence sentence.
import { bilingual, clear, el, getJSON, safeHref, status, typeBadge } from "./common.js";
import { focusPieces, renderText } from "./highlight.js";

let owners = new Map();

function spansOf(article) {
  const notes = article.annotations || {};
  const spans = [];
  (notes.entities || []).forEach((e, i) => spans.push({
    start: e.start, end: e.end, classes: ["ent", `ent-${e.type}`], key: `entity-${i}`,
    title: e.name_en ? `${e.name_en} (${e.type})` : e.type,
  }));
  (notes.quotes || []).forEach((q, i) => {
    if (q.content) spans.push({ start: q.content.start, end: q.content.end, classes: ["quote"], key: `quote-${i}`,
      title: `quote${q.speaker ? `: ${q.speaker.name_en || q.speaker.text}` : ""}` });
  });
  (notes.events || []).forEach((e, i) => {
    const id = eventId(article, i);
    if (e.sentence) spans.push({ start: e.sentence.start, end: e.sentence.end, classes: [], key: `event-${id}` });
    if (e.trigger) spans.push({ start: e.trigger.start, end: e.trigger.end, classes: ["trigger"],
      key: `trigger-${id}`, title: `${e.type}${e.cameo ? ` (CAMEO ${e.cameo})` : ""}` });
  });
  return spans;
}

function eventId(article, index) {
  return (article.event_ids || [])[index] ?? `n${index}`;
}

function focus(keys, item) {
  for (const node of document.querySelectorAll(".records-list li.active")) node.classList.remove("active");
  if (item) item.classList.add("active");
  return focusPieces(owners, keys);
}

function focusFromHash() {
  const match = /^#event-(\w+)$/.exec(location.hash);
  if (match) focus([`event-${match[1]}`], document.getElementById(`record-event-${match[1]}`));
}

function ar(text) {
  return el("span", { class: "ar", dir: "rtl", lang: "ar" }, text || "");
}

function person(p) {
  return p ? bilingual(p.name_en, p.text) : el("span", { class: "muted" }, "—");
}

function eventItem(article, e, i) {
  const id = eventId(article, i);
  const place = e.location ? [" at ", bilingual(e.location.name_en, e.location.text)] : [];
  const flags = [e.modality && e.modality !== "asserted" ? e.modality : null, e.negated ? "negated" : null,
    `confidence ${e.confidence}`].filter(Boolean).join(", ");
  return el("li", { id: `record-event-${id}` },
    el("a", { href: `#event-${id}` }, typeBadge(e.type), ` CAMEO ${e.cameo || "?"}`),
    ` ${e.date || ""}`,
    el("div", {}, person(e.source), " → ", person(e.target), place),
    el("div", { class: "muted" }, flags),
    ar(e.trigger ? e.trigger.text : ""));
}

function quoteItem(q, i) {
  const item = el("li", {});
  item.append(
    el("button", { type: "button", class: "link", onclick: () => focus([`quote-${i}`], item) },
      person(q.speaker), q.direct ? " said" : " said (indirectly)"),
    ar(q.content ? q.content.text : ""));
  return item;
}

function entityItems(entities) {
  const groups = new Map();
  entities.forEach((e, i) => {
    const key = `${e.type}\u0000${e.text}\u0000${e.name_en || ""}`;
    if (!groups.has(key)) groups.set(key, { entity: e, keys: [] });
    groups.get(key).keys.push(`entity-${i}`);
  });
  return [...groups.values()].map(({ entity, keys }) => {
    const item = el("li", {});
    item.append(el("button", { type: "button", class: "link", onclick: () => focus(keys, item) },
      el("span", { class: `swatch ent-${entity.type}` }), entity.name_en || "(no English name)",
      el("span", { class: "muted" }, ` ${entity.type}${keys.length > 1 ? ` ×${keys.length}` : ""}`)),
    ar(entity.text));
    return item;
  });
}

function fillList(id, items, empty) {
  const list = clear(document.getElementById(id));
  if (!items.length) list.append(el("li", { class: "muted empty" }, empty));
  for (const item of items) list.append(item);
}

function showMeta(article) {
  const title = article.title || "(untitled)";
  document.getElementById("title").textContent = title;
  document.title = `hadath — ${title}`;
  const href = safeHref(article.url);
  const parts = [article.outlet, article.published, article.focus_country && `focus ${article.focus_country}`,
    `${article.n_events} events · ${article.n_entities} entities · ${article.n_quotes} quotes`].filter(Boolean);
  const meta = clear(document.getElementById("meta"));
  meta.append(parts.join(" · "));
  if (href) meta.append(" · ", el("a", { href, rel: "noopener noreferrer nofollow" }, "source"));
}

async function main() {
  const id = location.pathname.split("/").filter(Boolean).pop();
  document.body.dataset.state = "loading";
  try {
    const article = await getJSON(`/api/articles/${encodeURIComponent(id)}`);
    const notes = article.annotations || {};
    showMeta(article);
    owners = renderText(document.getElementById("text"), article.text, spansOf(article));
    fillList("event-list", (notes.events || []).map((e, i) => eventItem(article, e, i)), "no events");
    fillList("quote-list", (notes.quotes || []).map(quoteItem), "no quotes");
    fillList("entity-list", entityItems(notes.entities || []), "no entities");
    fillList("duplicate-list", (article.near_duplicates || []).map((d) => el("li", {},
      el("a", { href: `/articles/${d.article_id}`, dir: "auto" }, d.title || `article ${d.article_id}`),
      el("span", { class: "muted" }, ` similarity ${d.similarity}`))), "none");
    focusFromHash();
    status("");
  } catch (error) {
    status(error.message, true);
  }
  document.body.dataset.state = "ready";
}

window.addEventListener("hashchange", focusFromHash);
main();
