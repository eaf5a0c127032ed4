// The events page: filters (kept in the URL, so views can be shared and the
// back button works), the events table with "more", the map, timeline and network.
import { bilingual, clear, codePoints, el, getJSON, status, typeBadge } from "./common.js";
import { drawMap } from "./map.js";
import { drawNetwork } from "./network.js";
import { drawTimeline } from "./timeline.js";

const FILTERS = ["since", "until", "type", "cameo_root", "actor", "country", "actor_country", "outlet",
  "min_confidence", "bbox", "include_unreal", "exclude_historical"];
// rows per request; ?limit=N in the address changes it
const PAGE = Math.min(1000, Math.max(1, Number(new URLSearchParams(location.search).get("limit")) || 50));

const form = document.getElementById("filters");
const tbody = document.querySelector("#events tbody");
const more = document.getElementById("more");
let cursor = null;
let generation = 0;               // answers to an older set of filters are dropped

function filtersFrom(search) {
  const all = new URLSearchParams(search);
  const params = new URLSearchParams();
  for (const [key, value] of all) if (FILTERS.includes(key) && value !== "") params.append(key, value);
  return params;
}

function fillForm(params) {
  for (const field of form.elements) {
    if (!field.name) continue;
    if (field.name === "type") {
      const chosen = params.getAll("type");
      for (const option of field.options) option.selected = chosen.includes(option.value);
    } else if (field.type === "checkbox") {
      field.checked = params.get(field.name) === "true";
    } else if (field.tagName === "SELECT") {
      const value = params.get(field.name) || "";
      if (value && ![...field.options].some((o) => o.value === value)) field.append(el("option", { value }, value));
      field.value = value;
    } else {
      field.value = params.get(field.name) || "";
    }
  }
}

function formFilters() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    const text = key === "bbox" ? String(value).replace(/\s+/g, "") : String(value).trim();
    if (text !== "") params.append(key, key.endsWith("country") ? text.toUpperCase() : text);
  }
  return params;
}

function navigate(params) {
  const query = params.toString();
  history.pushState(null, "", query ? `/?${query}` : "/");
  fillForm(params);
  load(params);
}

function applyFilter(changes) {
  const params = formFilters();
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  navigate(params);
}

// -- the table ------------------------------------------------------------------

function participant(actor) {
  return actor ? bilingual(actor.entity_name, actor.raw_text) : el("span", { class: "muted" }, "—");
}

function evidence(item) {
  const chars = codePoints(item.text);
  const info = item.text_info || {};
  const a = info.trigger_start - info.start;
  const b = info.trigger_end - info.start;
  if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a < b && b <= chars.length)) return [item.text];
  return [chars.slice(0, a).join(""), el("b", {}, chars.slice(a, b).join("")), chars.slice(b).join("")];
}

function eventRow(item) {
  const place = item.event_loc;
  const precision = item.date_precision && item.date_precision !== "day" ? ` (${item.date_precision})` : "";
  return el("tr", { "data-event-id": item.id },
    el("td", { class: "nowrap" }, item.date || "", el("span", { class: "muted" }, precision)),
    el("td", {}, typeBadge((item.event || [])[0])),
    el("td", {}, item.cameo || ""),
    el("td", {}, participant((item.actor || [])[0]), " → ", participant((item.recipient || [])[0])),
    el("td", {}, place ? bilingual(place.resolved_place, place.extracted_place) : ""),
    el("td", { class: "evidence", dir: "rtl", lang: "ar" },
      el("a", { href: `/articles/${item.article_id}#event-${item.id}`, title: "open the article at this sentence" },
        evidence(item))),
    el("td", { class: "num" }, item.story_mentions ?? ""));
}

async function loadEvents(params, fresh, gen) {
  const query = new URLSearchParams(params);
  query.set("limit", String(PAGE));
  if (fresh) query.set("total", "true");
  else if (cursor) query.set("cursor", cursor);
  const page = await getJSON("/api/events", query);
  if (gen !== generation) return;
  if (fresh) {
    clear(tbody);
    document.getElementById("count").textContent = `(${page.total ?? "?"})`;
  }
  for (const item of page.items) tbody.append(eventRow(item));
  if (fresh && !page.items.length) {
    tbody.append(el("tr", {}, el("td", { colspan: 7, class: "muted" }, "No events match these filters.")));
  }
  cursor = page.next_cursor;
  more.hidden = !cursor;
}

// -- the pictures ---------------------------------------------------------------

function placeBox(place) {
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const d = 0.01;
  return [clamp(place.lon - d, -180, 180), clamp(place.lat - d, -90, 90), clamp(place.lon + d, -180, 180),
    clamp(place.lat + d, -90, 90)].map((v) => v.toFixed(4)).join(",");
}

async function loadMap(params, gen) {
  const data = await getJSON("/api/map", params);
  if (gen !== generation) return;
  await drawMap(document.getElementById("map"), data.places, {
    onPlace: (place) => applyFilter({ bbox: placeBox(place), country: null }),
    onCountry: (iso3) => applyFilter({ country: iso3, bbox: null }),
    activeCountry: params.get("country"),
  });
}

async function loadTimeline(params, gen) {
  const data = await getJSON("/api/timeline", params);
  if (gen !== generation) return;
  drawTimeline(document.getElementById("timeline"), data.days, (since, until) => applyFilter({ since, until }));
}

async function loadNetwork(params, gen) {
  const query = new URLSearchParams(params);
  query.set("limit", "60");
  const data = await getJSON("/api/network", query);
  if (gen !== generation) return;
  drawNetwork(document.getElementById("network"), data, (actor) => applyFilter({ actor }));
}

async function load(params) {
  generation += 1;
  const gen = generation;
  cursor = null;
  document.body.dataset.state = "loading";
  status("Loading…");
  const results = await Promise.allSettled([loadEvents(params, true, gen), loadMap(params, gen),
    loadTimeline(params, gen), loadNetwork(params, gen)]);
  if (gen !== generation) return;
  const failed = results.find((r) => r.status === "rejected");
  status(failed ? String(failed.reason.message || failed.reason) : "", Boolean(failed));
  document.body.dataset.state = "ready";
}

// -- lists for the form (outlets, actors) and the header ------------------------

async function loadChoices() {
  const [stats, actors] = await Promise.all([getJSON("/api/stats"), getJSON("/api/actors", new URLSearchParams({ limit: "300" }))]);
  const span = stats.first_event_date ? ` · ${stats.first_event_date} to ${stats.last_event_date}` : "";
  document.getElementById("stats").textContent =
    `${stats.articles} articles · ${stats.events} events · ${stats.actors} actors${span}`;
  const outlet = form.elements.outlet;
  const chosen = outlet.value;
  for (const row of stats.outlets) {
    if (![...outlet.options].some((o) => o.value === row.outlet)) {
      outlet.append(el("option", { value: row.outlet }, `${row.outlet} (${row.articles})`));
    }
  }
  outlet.value = chosen;
  const list = document.getElementById("actor-list");
  for (const actor of actors.items) list.append(el("option", { value: actor.id }, actor.name_en || actor.name_ar || ""));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  navigate(formFilters());
});
document.getElementById("reset").addEventListener("click", () => navigate(new URLSearchParams()));
more.addEventListener("click", async () => {
  more.disabled = true;
  try {
    await loadEvents(filtersFrom(location.search), false, generation);
  } catch (error) {
    status(error.message, true);
  } finally {
    more.disabled = false;
  }
});
window.addEventListener("popstate", () => {
  const params = filtersFrom(location.search);
  fillForm(params);
  load(params);
});

const initial = filtersFrom(location.search);
fillForm(initial);
load(initial);
loadChoices().catch((error) => status(error.message, true));
