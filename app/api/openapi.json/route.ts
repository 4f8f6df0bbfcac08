/** GET /api/openapi.json: the OpenAPI 3.1 document of this API (lib/openapi/document.ts). */
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(openApiDocument());
}
