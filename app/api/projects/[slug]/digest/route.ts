import { UserError } from "@/lib/errors/user-error";
import { previewDigest } from "@/lib/digest/preview";
import { answer } from "@/app/api/respond";

export const dynamic = "force-dynamic";

/** GET /api/projects/SLUG/digest?week=DATE&format=text|html: the weekly email's plain-text or HTML part. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return answer(request, "viewer", async ({ store, config }) => {
    const url = new URL(request.url);
    const format = url.searchParams.get("format") ?? "html";
    if (format !== "text" && format !== "html") throw new UserError(`format: must be text or html, not "${format}"`, "invalid");
    const preview = await previewDigest(store, config, { project: slug, week: url.searchParams.get("week") || undefined, baseUrl: `http://${request.headers.get("host") ?? url.host}` });
    return format === "text"
      ? new Response(`Subject: ${preview.subject}\n\n${preview.text}`, { headers: { "content-type": "text/plain; charset=utf-8" } })
      : new Response(preview.html, { headers: { "content-type": "text/html; charset=utf-8" } });
  });
}
