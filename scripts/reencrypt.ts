// Rewrites stored message content into the form the current keys ask for (docs/security.md, "Key rotation"):
//   FORKLINE_ENCRYPTION_KEY=<new> FORKLINE_ENCRYPTION_KEYS_OLD=<old,...> npx tsx scripts/reencrypt.ts [--dry-run]
// - with a current key: every plaintext or old-key value is encrypted with it (enabling encryption, rotation);
// - with only FORKLINE_ENCRYPTION_KEYS_OLD: every value is decrypted back to plaintext (turning encryption off).
// Safe to run while the server is up; run it again if it reports values changed meanwhile. Exit code 1 when some
// values could not be decrypted with the configured keys (they are left untouched).
import { configuredCipher } from "../lib/crypto/content-cipher.ts";
import { reencryptDatabase } from "../lib/db/reencrypt.ts";
import { createDbClient } from "../lib/db/create-client.ts";

const dryRun = process.argv.includes("--dry-run");

let cipher;
try {
  cipher = configuredCipher();
} catch (error) {
  console.error(`reencrypt: ${(error as Error).message}`);
  process.exit(1);
}
if (cipher.readKeyIds.length === 0) {
  console.error("reencrypt: set FORKLINE_ENCRYPTION_KEY (and FORKLINE_ENCRYPTION_KEYS_OLD for the keys to rotate away from).");
  process.exit(1);
}

const { db, provider } = createDbClient(process.env.DATABASE_URL || undefined);
const target = cipher.writeKeyId ? `key ${cipher.writeKeyId}` : "plaintext";
console.log(`reencrypt (${provider}): rewriting message content to ${target}${dryRun ? " (dry run)" : ""}; readable keys: ${cipher.readKeyIds.join(", ")}`);
try {
  const result = await reencryptDatabase({ db, cipher, dryRun });
  for (const [table, counts] of [["Item.content", result.items], ["Turn.instructions", result.turnInstructions]] as const) {
    console.log(`  ${table}: ${counts.rewritten} ${dryRun ? "to rewrite" : "rewritten"}, ${counts.unchanged} already ${target}, ${counts.unreadable} unreadable`);
  }
  if (result.items.unreadable + result.turnInstructions.unreadable > 0) {
    console.error("reencrypt: some values were written with a key that is not configured; add it to FORKLINE_ENCRYPTION_KEYS_OLD and run again.");
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`reencrypt failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
