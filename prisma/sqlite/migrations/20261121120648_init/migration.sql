-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL DEFAULT 'local',
    "title" TEXT,
    "activeBranchId" TEXT,
    "historyLimit" INTEGER,
    "forkedFromConversationId" TEXT,
    "forkedFromTurnId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Turn" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "parentId" TEXT,
    "depth" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'in_progress',
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "model" TEXT,
    "userText" TEXT,
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "stopRequested" BOOLEAN NOT NULL DEFAULT false,
    "runnerId" TEXT,
    "heartbeatAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    CONSTRAINT "Turn_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Turn_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Turn" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION
);

-- CreateTable
CREATE TABLE "Item" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "turnId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "role" TEXT,
    "type" TEXT NOT NULL,
    "toolName" TEXT,
    "callId" TEXT,
    "content" TEXT NOT NULL,
    CONSTRAINT "Item_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Branch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "headTurnId" TEXT,
    "baseTurnId" TEXT,
    "forkedFromTurnId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Branch_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TurnUsage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "turnId" TEXT NOT NULL,
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

-- CreateIndex
CREATE INDEX "Conversation_userId_updatedAt_idx" ON "Conversation"("userId", "updatedAt");

-- CreateIndex
CREATE INDEX "Turn_conversationId_depth_idx" ON "Turn"("conversationId", "depth");

-- CreateIndex
CREATE INDEX "Turn_parentId_idx" ON "Turn"("parentId");

-- CreateIndex
CREATE INDEX "Turn_status_idx" ON "Turn"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Item_turnId_position_key" ON "Item"("turnId", "position");

-- CreateIndex
CREATE INDEX "Branch_headTurnId_idx" ON "Branch"("headTurnId");

-- CreateIndex
CREATE UNIQUE INDEX "Branch_conversationId_name_key" ON "Branch"("conversationId", "name");

-- CreateIndex
CREATE INDEX "TurnUsage_turnId_idx" ON "TurnUsage"("turnId");
