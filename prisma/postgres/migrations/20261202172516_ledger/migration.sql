-- DropForeignKey
ALTER TABLE "TurnUsage" DROP CONSTRAINT "TurnUsage_turnId_fkey";

-- AlterTable
ALTER TABLE "ClientAddressEvent" ADD COLUMN     "userId" TEXT;

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "budgetMicros" INTEGER;

-- AlterTable
ALTER TABLE "TurnUsage" ADD COLUMN     "cacheSavingsMicros" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "priceFrom" TEXT,
ADD COLUMN     "scope" TEXT NOT NULL DEFAULT 'turn',
ADD COLUMN     "userId" TEXT NOT NULL DEFAULT 'local',
ALTER COLUMN "turnId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "UserSettings" ADD COLUMN     "monthlyBudgetMicros" INTEGER;

-- CreateIndex
CREATE INDEX "TurnUsage_userId_createdAt_idx" ON "TurnUsage"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "TurnUsage" ADD CONSTRAINT "TurnUsage_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: the payer of each row is the owner of its conversation, title calls become conversation overhead, and
-- cache savings follow from the price snapshot.
UPDATE "TurnUsage" u SET "userId" = c."userId" FROM "Conversation" c WHERE c."id" = u."conversationId";
UPDATE "TurnUsage" SET "scope" = 'conversation' WHERE "purpose" = 'title';
UPDATE "TurnUsage" SET "cacheSavingsMicros" = ((LEAST("cachedInputTokens", "inputTokens")::BIGINT * ("inputPricePerMillion" - "cachedPricePerMillion") + 500000) / 1000000)::INTEGER
WHERE "inputPricePerMillion" IS NOT NULL AND "cachedPricePerMillion" IS NOT NULL AND "cachedInputTokens" > 0;
