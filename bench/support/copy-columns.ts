import { getTableColumns } from "drizzle-orm";
import { deployments } from "@/db/schema";

/** The deployments columns a writer fills (the database fills id and stored_at), in table order. */
export const COPY_COLUMNS = Object.values(getTableColumns(deployments))
  .map((column) => column.name)
  .filter((name) => name !== "id" && name !== "stored_at");
