// The map: country outlines (world.json, precomputed equirectangular paths)
// and one circle per place, sized by its number of events.
import { clear, svgEl } from "./common.js";

let world = null;

function loadWorld() {
  if (!world) {
    world = fetch("/static/world.json").then((response) => {
      if (!response.ok) throw new Error(`world outline: ${response.status}`);
      return response.json();
    });
  }
  return world;
}

/** The part of the world to show: the places (padded), or the whole world without any. */
function viewBox(points, outline) {
  const full = [0, 0, outline.width, Math.round(outline.height * 0.83)]; // down to ~60°S
  if (!points.length) return full;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const minSpan = 24 / outline.scale;                                   // at least 24 degrees wide
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const width = Math.max(x1 - x0, minSpan) * 1.3;
  const height = Math.max(y1 - y0, minSpan / 2) * 1.3;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return [cx - width / 2, cy - height / 2, width, height].map((v) => Math.round(v));
}

/**
 * Draw places ({name, lat, lon, country, events}) on svg.  onPlace(place) and
 * onCountry(iso3) are called on clicks; activeCountry is shaded.
 */
export async function drawMap(svg, places, { onPlace, onCountry, activeCountry }) {
  const outline = await loadWorld();
  const project = (lon, lat) => [(lon + 180) / outline.scale, (90 - lat) / outline.scale];
  const located = places.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  const points = located.map((p) => project(p.lon, p.lat));
  const view = viewBox(points, outline);
  clear(svg);
  svg.setAttribute("viewBox", view.join(" "));
  const countries = svgEl("g", { class: "countries" });
  for (const country of outline.countries) {
    const active = country.iso3 && country.iso3 === activeCountry;
    const path = svgEl("path", { d: country.d, class: active ? "country active" : "country",
      "data-iso3": country.iso3 }, svgEl("title", {}, country.name));
    if (country.iso3) path.addEventListener("click", () => onCountry(country.iso3));
    countries.append(path);
  }
  svg.append(countries);
  const most = located.reduce((m, p) => Math.max(m, p.events), 1);
  const unit = view[2] / 120;
  const dots = svgEl("g", { class: "places" });
  // biggest first, so that small circles stay clickable on top
  const order = located.map((p, i) => i).sort((a, b) => located[b].events - located[a].events);
  for (const i of order) {
    const place = located[i];
    const [x, y] = points[i];
    const r = unit * (0.8 + 3.2 * Math.sqrt(place.events / most));
    const label = `${place.name || "unnamed place"} (${place.country || "?"}): ${place.events} event(s)`;
    const dot = svgEl("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), class: "place",
      "data-events": place.events }, svgEl("title", {}, label));
    dot.addEventListener("click", (event) => {
      event.stopPropagation();
      onPlace(place);
    });
    dots.append(dot);
  }
  svg.append(dots);
}
