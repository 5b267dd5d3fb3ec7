-- CreateTable
CREATE TABLE "ClientAddressEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "addressKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "turnId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ClientAddressEvent_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ClientAddressEvent_addressKey_kind_createdAt_idx" ON "ClientAddressEvent"("addressKey", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "ClientAddressEvent_turnId_idx" ON "ClientAddressEvent"("turnId");

-- CreateIndex
CREATE INDEX "ClientAddressEvent_createdAt_idx" ON "ClientAddressEvent"("createdAt");
