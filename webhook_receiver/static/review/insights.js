// What reps did with the drafts: acceptance and edits by tone, and week by week, drawn as
// inline SVG bars with the same figures in tables (for screen readers and exact numbers).

import { api } from "./api.js";
import { fill, h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const BAR_HEIGHT = 22;
const LABEL_WIDTH = 140;
const CHART_WIDTH = 460;

export async function showInsights(view, params) {
  const scope = params.get("scope") === "team" ? "team" : "mine";
  const figures = await api("GET", `/api/v1/insights?scope=${scope}`);
  if (!view.stillShown()) return;
  const heading = h("h1", { tabindex: "-1" }, scope === "team" ? "Your team's drafts" : "Your drafts");
  fill(
    view.main,
    heading,
    h("p", { class: "muted" }, `Since ${new Date(figures.since).toLocaleDateString()}. `,
      scope === "team" ? h("a", { href: "#/insights" }, "Only mine") : h("a", { href: "#/insights?scope=team" }, "Whole team")),
    summary(figures.total),
    section("Accepted, by tone", figures.by_tone),
    section("Accepted, by week", figures.weekly),
    section("Accepted, by activity type", figures.by_activity_type),
  );
  heading.focus();
}

function summary(total) {
  return h(
    "p",
    { id: "insights-total" },
    `${total.accepted} accepted and ${total.rejected} rejected of ${total.offered} drafts`,
    ` (acceptance ${percent(total.acceptance_rate)}); ${total.edited} edited before sending`,
    `, mean edit ${percent(total.mean_edit_distance)}.`,
  );
}

function section(title, rows) {
  if (!rows.length) return h("section", {}, h("h2", {}, title), h("p", { class: "muted" }, "Nothing yet."));
  return h("section", { class: "insight" }, h("h2", {}, title), chart(title, rows), table(title, rows));
}

function chart(title, rows) {
  const svg = svgNode("svg", {
    role: "img",
    "aria-label": `${title}: ${rows.map((row) => `${row.key} ${percent(row.acceptance_rate)}`).join(", ")}`,
    viewBox: `0 0 ${LABEL_WIDTH + CHART_WIDTH + 60} ${rows.length * BAR_HEIGHT}`,
    width: "100%",
  });
  rows.forEach((row, index) => {
    const y = index * BAR_HEIGHT;
    const width = Math.round((row.acceptance_rate || 0) * CHART_WIDTH);
    svg.append(
      svgNode("text", { x: 0, y: y + 15 }, row.key),
      svgNode("rect", { x: LABEL_WIDTH, y: y + 3, width, height: BAR_HEIGHT - 6, class: "bar" }),
      svgNode("text", { x: LABEL_WIDTH + width + 6, y: y + 15 }, percent(row.acceptance_rate)),
    );
  });
  return svg;
}

function table(title, rows) {
  const headings = ["", "Offered", "Accepted", "Rejected", "Acceptance", "Edited", "Mean edit"];
  return h(
    "table",
    { class: "insight-table" },
    h("caption", {}, title),
    h("thead", {}, h("tr", {}, headings.map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, row.key),
          [row.offered, row.accepted, row.rejected, percent(row.acceptance_rate), row.edited,
            percent(row.mean_edit_distance)].map((value) => h("td", {}, String(value))),
        ),
      ),
    ),
  );
}

function svgNode(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function percent(share) {
  return share === null || share === undefined ? "–" : `${Math.round(share * 100)}%`;
}
