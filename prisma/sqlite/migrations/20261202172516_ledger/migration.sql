-- AlterTable
ALTER TABLE "ClientAddressEvent" ADD COLUMN "userId" TEXT;

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "budgetMicros" INTEGER;

-- AlterTable
ALTER TABLE "UserSettings" ADD COLUMN "monthlyBudgetMicros" INTEGER;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TurnUsage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "turnId" TEXT,
    "conversationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL DEFAULT 'local',
    "scope" TEXT NOT NULL DEFAULT 'turn',
    "firstOfTurn" BOOLEAN NOT NULL DEFAULT false,
    "purpose" TEXT NOT NULL DEFAULT 'turn',
    "model" TEXT,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "cachedInputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "reasoningTokens" INTEGER NOT NULL DEFAULT 0,
    "estimated" BOOLEAN NOT NULL DEFAULT false,
    "costMicros" INTEGER,
    "inputPricePerMillion" INTEGER,
    "cachedPricePerMillion" INTEGER,
    "outputPricePerMillion" INTEGER,
    "priceFrom" TEXT,
    "cacheSavingsMicros" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TurnUsage_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_TurnUsage" ("cachedInputTokens", "cachedPricePerMillion", "conversationId", "costMicros", "createdAt", "estimated", "firstOfTurn", "id", "inputPricePerMillion", "inputTokens", "model", "outputPricePerMillion", "outputTokens", "purpose", "reasoningTokens", "requests", "turnId") SELECT "cachedInputTokens", "cachedPricePerMillion", "conversationId", "costMicros", "createdAt", "estimated", "firstOfTurn", "id", "inputPricePerMillion", "inputTokens", "model", "outputPricePerMillion", "outputTokens", "purpose", "reasoningTokens", "requests", "turnId" FROM "TurnUsage";
DROP TABLE "TurnUsage";
ALTER TABLE "new_TurnUsage" RENAME TO "TurnUsage";
-- Backfill: the payer of each row is the owner of its conversation, title calls become conversation overhead, and
-- cache savings follow from the price snapshot.
UPDATE "TurnUsage" SET "userId" = COALESCE((SELECT c."userId" FROM "Conversation" c WHERE c."id" = "TurnUsage"."conversationId"), 'local');
UPDATE "TurnUsage" SET "scope" = 'conversation' WHERE "purpose" = 'title';
UPDATE "TurnUsage" SET "cacheSavingsMicros" = (MIN("cachedInputTokens", "inputTokens") * ("inputPricePerMillion" - "cachedPricePerMillion") + 500000) / 1000000
WHERE "inputPricePerMillion" IS NOT NULL AND "cachedPricePerMillion" IS NOT NULL AND "cachedInputTokens" > 0;
CREATE INDEX "TurnUsage_turnId_idx" ON "TurnUsage"("turnId");
CREATE INDEX "TurnUsage_conversationId_idx" ON "TurnUsage"("conversationId");
CREATE INDEX "TurnUsage_userId_createdAt_idx" ON "TurnUsage"("userId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
