-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "systemPrompt" TEXT;

-- AlterTable
ALTER TABLE "Turn" ADD COLUMN "instructions" TEXT;
ALTER TABLE "Turn" ADD COLUMN "maxOutputTokens" INTEGER;
ALTER TABLE "Turn" ADD COLUMN "temperature" REAL;

-- CreateTable
CREATE TABLE "UserSettings" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "theme" TEXT NOT NULL DEFAULT 'system',
    "defaultModel" TEXT,
    "systemPrompt" TEXT,
    "temperature" REAL,
    "maxOutputTokens" INTEGER,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "UserSettings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
