-- CreateTable
CREATE TABLE "HistoryOperation" (
    "conversationId" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("conversationId", "operationId"),
    CONSTRAINT "HistoryOperation_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Branch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'branch',
    "headTurnId" TEXT,
    "baseTurnId" TEXT,
    "forkedFromTurnId" TEXT,
    "clearedHeadTurnId" TEXT,
    "snapshotOfBranchId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Branch_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Branch" ("baseTurnId", "conversationId", "createdAt", "forkedFromTurnId", "headTurnId", "id", "name", "updatedAt") SELECT "baseTurnId", "conversationId", "createdAt", "forkedFromTurnId", "headTurnId", "id", "name", "updatedAt" FROM "Branch";
DROP TABLE "Branch";
ALTER TABLE "new_Branch" RENAME TO "Branch";
CREATE INDEX "Branch_headTurnId_idx" ON "Branch"("headTurnId");
CREATE UNIQUE INDEX "Branch_conversationId_name_key" ON "Branch"("conversationId", "name");
CREATE TABLE "new_Turn" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "parentId" TEXT,
    "depth" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'turn',
    "compactionAt" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'in_progress',
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "model" TEXT,
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "stopRequested" BOOLEAN NOT NULL DEFAULT false,
    "runnerId" TEXT,
    "heartbeatAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    CONSTRAINT "Turn_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Turn_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Turn" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION
);
INSERT INTO "new_Turn" ("completedAt", "conversationId", "createdAt", "depth", "errorCode", "errorMessage", "heartbeatAt", "id", "itemCount", "model", "parentId", "runnerId", "status", "stopRequested") SELECT "completedAt", "conversationId", "createdAt", "depth", "errorCode", "errorMessage", "heartbeatAt", "id", "itemCount", "model", "parentId", "runnerId", "status", "stopRequested" FROM "Turn";
DROP TABLE "Turn";
ALTER TABLE "new_Turn" RENAME TO "Turn";
CREATE INDEX "Turn_conversationId_depth_idx" ON "Turn"("conversationId", "depth");
CREATE INDEX "Turn_parentId_idx" ON "Turn"("parentId");
CREATE INDEX "Turn_heartbeatAt_idx" ON "Turn"("heartbeatAt");
CREATE TABLE "new_TurnUsage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "turnId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TurnUsage_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TurnUsage" ("cachedInputTokens", "cachedPricePerMillion", "conversationId", "costMicros", "createdAt", "estimated", "firstOfTurn", "id", "inputPricePerMillion", "inputTokens", "model", "outputPricePerMillion", "outputTokens", "purpose", "reasoningTokens", "requests", "turnId") SELECT u."cachedInputTokens", u."cachedPricePerMillion", t."conversationId", u."costMicros", u."createdAt", u."estimated", u."id" IN (SELECT MIN("id") FROM "TurnUsage" GROUP BY "turnId"), u."id", u."inputPricePerMillion", u."inputTokens", u."model", u."outputPricePerMillion", u."outputTokens", u."purpose", u."reasoningTokens", u."requests", u."turnId" FROM "TurnUsage" u JOIN "Turn" t ON t."id" = u."turnId";
DROP TABLE "TurnUsage";
ALTER TABLE "new_TurnUsage" RENAME TO "TurnUsage";
CREATE INDEX "TurnUsage_turnId_idx" ON "TurnUsage"("turnId");
CREATE INDEX "TurnUsage_conversationId_idx" ON "TurnUsage"("conversationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
