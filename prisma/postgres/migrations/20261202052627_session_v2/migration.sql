-- DropIndex
DROP INDEX "Turn_status_idx";

-- AlterTable
ALTER TABLE "Branch" ADD COLUMN     "clearedHeadTurnId" TEXT,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'branch',
ADD COLUMN     "snapshotOfBranchId" TEXT;

-- AlterTable
ALTER TABLE "Turn" DROP COLUMN "userText",
ADD COLUMN     "compactionAt" INTEGER,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'turn';

-- AlterTable: conversationId is filled from the owning turn before it becomes required, firstOfTurn marks the first row of each turn
ALTER TABLE "TurnUsage" ADD COLUMN     "conversationId" TEXT,
ADD COLUMN     "firstOfTurn" BOOLEAN NOT NULL DEFAULT false;
UPDATE "TurnUsage" u SET "conversationId" = t."conversationId" FROM "Turn" t WHERE t."id" = u."turnId";
UPDATE "TurnUsage" SET "firstOfTurn" = true WHERE "id" IN (SELECT MIN("id") FROM "TurnUsage" GROUP BY "turnId");
ALTER TABLE "TurnUsage" ALTER COLUMN "conversationId" SET NOT NULL;

-- CreateTable
CREATE TABLE "HistoryOperation" (
    "conversationId" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HistoryOperation_pkey" PRIMARY KEY ("conversationId","operationId")
);

-- CreateIndex
CREATE INDEX "Turn_heartbeatAt_idx" ON "Turn"("heartbeatAt");

-- CreateIndex
CREATE INDEX "TurnUsage_conversationId_idx" ON "TurnUsage"("conversationId");

-- AddForeignKey
ALTER TABLE "HistoryOperation" ADD CONSTRAINT "HistoryOperation_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
