// Applies the committed migrations to DATABASE_URL (the server also does this on start).
import { applyMigrations } from "../lib/db/migrate.ts";

try {
  const result = await applyMigrations(process.env.DATABASE_URL || undefined);
  console.log(result.applied.length ? `${result.provider}: applied ${result.applied.join(", ")}` : `${result.provider}: up to date`);
} catch (error) {
  console.error(`db:deploy failed: ${(error as Error).message}`);
  process.exit(1);
}
