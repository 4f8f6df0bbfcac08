/**
 * The weekly email's "off track" section and the forecast on its charts. Week i (Mondays
 * 2026-01-05 … 2026-03-23, i = 0…11) has 20 − i deployments on its Wednesday: (20 − i) / 7 per
 * day, a straight line falling 1/7 a week. The email is for the week of 2026-03-23, so the
 * forecast reads those twelve weeks; at Thursday 23 April (i = 15) the line is at 5 / 7 ≈ 0.71.
 */
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { expect, it } from "vitest";
import { chartImages, renderDigest } from "@/lib/digest/render";
import { digestLinks } from "@/lib/digest/links";
import { weeklySummary } from "@/lib/digest/summary";
import { setTarget } from "@/lib/targets/store";
import { shiftDate } from "@/lib/time/window";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { deployment, insertDeployments } from "@/test/support/records";

const config = testConfig();
const SET = new Date("2026-01-01T00:00:00Z");
const WEEK = "2026-03-23";

/** Opaque pixels of a PNG near the forecast line's colour, #6a3d9a (lib/targets/forecast-chart.ts). */
async function forecastPixels(png: Buffer): Promise<number> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - 0x6a) <= 12 && Math.abs(data[i + 1]! - 0x3d) <= 12 && Math.abs(data[i + 2]! - 0x9a) <= 12) count++;
  }
  return count;
}

describeEachDriver("the weekly email's forecasts", (store) => {
  async function seed() {
    const records = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 20 - i }, (_, k) => deployment(`w${i}-${k}`, `${shiftDate("2026-01-07", 7 * i)}T${String(k).padStart(2, "0")}:10:00Z`)),
    ).flat();
    await insertDeployments(store(), records);
  }

  it("gives off-track targets a section of their own, in the text and the HTML, and draws their forecast on the chart", async () => {
    await seed();
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 1, owner: "Ana Lima", due: "2026-04-23", setBy: "po" }, SET);
    // On track (0 % failures every week, target at most 10 %) and not enough data (no commits: no lead time): not in the section.
    await setTarget(store(), config, { project: "fraud", kpi: "change_failure_rate", value: 10, due: "2026-04-23", setBy: "po" }, SET);
    await setTarget(store(), config, { project: "fraud", kpi: "lead_time_for_changes", value: 24, due: "2026-04-23", setBy: "po" }, SET);

    const summary = await weeklySummary(store(), config, { project: "fraud", week: WEEK });
    expect(summary.offTrack.map((item) => item.words)).toEqual(["off track — at this pace 0.71 / day by 23 Apr, target 1 / day"]);
    const rendered = await renderDigest(summary, digestLinks("https://kpi.acme.example", summary), { images: "cid" });
    expect(rendered.text).toContain(
      "OFF TRACK FOR THEIR DUE DATE\n- Deployment frequency (Ana Lima, due 23 Apr 2026): off track — at this pace 0.71 / day by 23 Apr, target 1 / day\n",
    );
    expect(rendered.html).toContain("Off track for their due date");
    expect(rendered.html).toContain("(Ana Lima, due 23 Apr 2026): off track — at this pace 0.71 / day by 23 Apr, target 1 / day");

    // The deployment frequency chart carries the forecast; the lead time chart has none.
    expect(summary.trends.map((trend) => [trend.id, trend.forecast?.status ?? null])).toEqual([
      ["deployment_frequency", "off_track"],
      ["lead_time_for_changes", null],
    ]);
    const [frequency, leadTime] = chartImages(summary);
    expect(await forecastPixels(frequency!.content)).toBeGreaterThan(20);
    expect(await forecastPixels(leadTime!.content)).toBe(0);
  });

  it("has no off-track section when no target is off track, and the same charts as ever", async () => {
    await seed();
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 0.5, owner: "Ana Lima", due: "2026-04-23", setBy: "po" }, SET);
    const summary = await weeklySummary(store(), config, { project: "fraud", week: WEEK });
    expect(summary.offTrack).toEqual([]);
    const rendered = await renderDigest(summary, digestLinks("https://kpi.acme.example", summary), { images: "cid" });
    expect(rendered.text).not.toContain("OFF TRACK");
    expect(rendered.html).not.toContain("Off track");
    expect(summary.trends.map((trend) => trend.id)).toEqual(["deployment_frequency", "lead_time_for_changes"]);
    expect(await forecastPixels(chartImages(summary)[0]!.content)).toBe(0);
  });

  it("charts an off-track KPI the email does not chart otherwise, with its numbers in the trends table", async () => {
    await seed();
    // A lower-is-better KPI off track: one rolled-back deployment a week more, 1 / (21 − i) of the
    // week's deployments — change failure rate rising from 4.8 % to 10 %, far above a target of 1 %.
    const failures = Array.from({ length: 12 }, (_, i) => deployment(`f${i}`, `${shiftDate("2026-01-08", 7 * i)}T12:00:00Z`, { status: "rolled_back" }));
    await insertDeployments(store(), failures);
    await setTarget(store(), config, { project: "fraud", kpi: "change_failure_rate", value: 1, owner: "Bo", due: "2026-04-23", setBy: "po" }, SET);
    const summary = await weeklySummary(store(), config, { project: "fraud", week: WEEK });
    expect(summary.offTrack.map((item) => item.row.id)).toEqual(["change_failure_rate"]);
    expect(summary.trends.map((trend) => trend.id)).toEqual(["deployment_frequency", "lead_time_for_changes", "change_failure_rate"]);
    const rendered = await renderDigest(summary, digestLinks("https://kpi.acme.example", summary), { images: "cid" });
    expect(rendered.images).toHaveLength(3);
    expect(rendered.text).toMatch(/^Week of\s+Deployment frequency\s+Lead time for changes\s+Change failure rate$/m);
    const cfr = chartImages(summary).find((image) => image.filename === "change_failure_rate.png")!;
    expect(await forecastPixels(cfr.content)).toBeGreaterThan(20);
  });
});
