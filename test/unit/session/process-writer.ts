// A separate OS process that writes to a conversation, for the cross-process tests in lifecycle.test.ts.
// Protocol over IPC: the child sends "ready" once connected; on "go" it runs its write and sends the outcome.
import { createDbClient } from "../../../lib/db/create-client.ts";
import { PrismaSession } from "../../../lib/session/prisma-session.ts";

export interface WriterTask {
  url: string;
  sessionId: string;
  action: "beginTurn" | "addItems";
  label: string;
}

export type WriterOutcome = { ok: true } | { ok: false; code: string | null; message: string };

const task = JSON.parse(process.argv[2] ?? "{}") as WriterTask;
const { db } = createDbClient(task.url);
const session = new PrismaSession({ sessionId: task.sessionId, db });

async function write(): Promise<void> {
  if (task.action === "beginTurn") {
    await session.beginTurn(task.label);
    return;
  }
  await session.addItems([
    { type: "message", role: "user", content: `u${task.label}` },
    { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: `a${task.label}` }] },
  ]);
}

await db.$connect();
await db.conversation.count(); // open the connection before the race starts
process.on("message", (message) => {
  if (message !== "go") return;
  write().then(
    () => finish({ ok: true }),
    (error: unknown) => finish({ ok: false, code: (error as { code?: string })?.code ?? null, message: String(error) }),
  );
});
process.send?.("ready");

function finish(outcome: WriterOutcome): void {
  process.send?.(outcome, () => {
    void db.$disconnect().finally(() => process.exit(0));
  });
}
