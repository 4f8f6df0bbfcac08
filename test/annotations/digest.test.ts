/**
 * The weekly email marks annotations (lib/digest/): its charts get a thin line with a short
 * label at each marked week, and the email lists the week's notes and events in words — in the
 * HTML and the text part — on both databases.
 */
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { expect, it } from "vitest";
import { addNote } from "@/lib/annotations/store";
import { shortLabel, trendChartPng } from "@/lib/digest/chart";
import { digestLinks } from "@/lib/digest/links";
import { chartMarks, digestText, renderDigest } from "@/lib/digest/render";
import { weekAnnotations, weeklySummary } from "@/lib/digest/summary";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { deployment, insertDeployments, insertReleases } from "@/test/support/records";

const config = testConfig();
/** The week of Monday 12 October 2026; its chart's eight weeks start on Monday 24 August. */
const WEEK = "2026-10-12";

describeEachDriver("annotations in the weekly email", (store) => {
  it("lists the week's notes and events, and marks the charts' weeks", async () => {
    await insertDeployments(store(), [deployment("d1", "2026-10-13T10:00:00Z"), deployment("d2", "2026-09-01T10:00:00Z")]);
    await insertReleases(store(), [{ repo: "acme/fraud-api", tag: "v1.10.0", name: "Release v1.10.0", publishedAt: "2026-10-14T09:00:00Z" }]);
    await addNote(store(), config, { project: "fraud", at: "2026-10-15", text: "moved to the new cluster", createdBy: "ed" });
    await addNote(store(), config, { project: "fraud", at: "2026-09-02", kpi: "lead_time_for_changes", text: "two reviewers per pull request", createdBy: "ed" });
    await addNote(store(), config, { project: "fraud", at: "2026-10-19", text: "the week after", createdBy: "ed" });

    const summary = await weeklySummary(store(), config, { project: "fraud", week: WEEK });
    expect(summary.trendWeeks[0]).toBe("2026-08-24");
    expect(weekAnnotations(summary).map((a) => a.text)).toEqual(["Release v1.10.0", "moved to the new cluster"]);

    // The week of 31 Aug is index 1, of 12 Oct index 7; the lead-time note marks only the lead-time chart.
    expect(chartMarks(summary, "deployment_frequency")).toEqual([{ index: 7, label: "Release v1.10.0 +1" }]);
    expect(chartMarks(summary, "lead_time_for_changes")).toEqual([
      { index: 1, label: "two reviewers per pull…" },
      { index: 7, label: "Release v1.10.0 +1" },
    ]);

    const text = digestText(summary, digestLinks("https://shipshape.example", summary));
    expect(text).toContain("NOTES AND EVENTS THIS WEEK\n- Wed 14 Oct · Release v1.10.0\n- Thu 15 Oct · moved to the new cluster\n\nTRENDS, LAST 8 WEEKS");
    const { html } = await renderDigest(summary, digestLinks("https://shipshape.example", summary), { images: "data" });
    expect(html).toContain("Notes and events this week");
    expect(html).toContain("Thu 15 Oct · moved to the new cluster");
  });
});

it("draws a mark as a thin purple line with its label, inside the chart", async () => {
  const series = { title: "Deployment frequency", unit: "per_day" as const, labels: ["Aug 24", "Aug 31", "Sep 7", "Sep 14"], values: [1, 2, 1.5, 2] };
  const purple = async (png: Buffer) => {
    const image = await loadImage(png);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 80 && data[i]! < 140 && data[i + 1]! < 90 && data[i + 2]! > 130) count += 1;
    return count;
  };
  expect(await purple(trendChartPng(series))).toBe(0);
  expect(await purple(trendChartPng({ ...series, marks: [{ index: 2, label: "moved to the new cluster" }] }))).toBeGreaterThan(40);
  expect(shortLabel("moved to the new cluster")).toBe("moved to the new cluster");
  expect(shortLabel("feature store switched to streaming ingestion")).toBe("feature store switched…");
  expect(shortLabel("supercalifragilisticexpialidocious")).toBe("supercalifragilisticexpia…");
  expect(shortLabel("Release v1.10.0")).toBe("Release v1.10.0");
});
