/** Where the process's configuration and database come from: the environment, then the file. */
import { openStore, type Store, type StoreOptions } from "@/db/client";
import { migrate } from "@/db/migrate";
import { loadConfig, type Config, type Env } from "@/lib/config/load";

export const DEFAULT_DATA_DIR = ".shipshape";

export function storeOptions(config: Config, env: Env = process.env): StoreOptions {
  const databaseUrl = env.DATABASE_URL || config.database_url;
  return databaseUrl ? { databaseUrl } : { dataDir: env.SHIPSHAPE_DATA_DIR || DEFAULT_DATA_DIR };
}

export interface Runtime {
  config: Config;
  store: Store;
}

/** Loads the configuration, opens its database and brings the schema up to date. */
export async function openRuntime(env: Env = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const store = await openStore(storeOptions(config, env));
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return { config, store };
}
