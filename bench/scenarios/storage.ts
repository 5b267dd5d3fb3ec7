import type { BenchContext } from "../lib/context";
import { formatCount, formatRatio } from "../lib/format";
import { ratio, ratioRow, single, type Scenario, type ScenarioOutcome } from "../lib/result";
import { SIMPLE_TABLES } from "../lib/simple-session";
import { columnBytes, grownObjects, storedObjects, totalBytes, type StoredObject } from "../lib/stored-bytes";
import { makeTempDir } from "../lib/temp-dir";
import { usageFixture, USAGE_TURNS } from "../lib/usage-fixture";

const MAX_RATIO = 1.5;
/** Tables holding at least this share of Forkline's bytes get a per-column breakdown on a miss. */
const COLUMN_BREAKDOWN_SHARE = 0.05;

function objectLine(object: StoredObject, turns: number): string {
  const per = (bytes: number) => formatCount(Math.round(bytes / turns));
  const kind = object.type === "index" ? `index on \`${object.table}\`` : "table";
  return `  - \`${object.name}\` (${kind}): ${per(object.bytes)} B/turn (payload ${per(object.payload)}, unused ${per(object.unused)})`;
}

async function runStorage(ctx: BenchContext): Promise<ScenarioOutcome> {
  const dir = makeTempDir(ctx.scenario, "storage");
  const fixture = await usageFixture(ctx.runDir);
  const grown = grownObjects(storedObjects(fixture.file, dir), storedObjects(fixture.emptyFile, dir));
  const isSimple = (object: StoredObject) => SIMPLE_TABLES.includes(object.table);
  const forkline = grown.filter((object) => !isSimple(object));
  const simple = grown.filter(isSimple);
  const perTurn = (objects: readonly StoredObject[]) => totalBytes(objects) / fixture.turns;

  const rows = [
    ratioRow(
      {
        figure: `stored bytes per turn (2 items + usage), ${formatCount(fixture.turns)} turns`,
        unit: "B",
        subject: single(perTurn(forkline)),
        baselineLabel: "(simple session: items + usage row)",
        baseline: single(perTurn(simple)),
      },
      MAX_RATIO,
    ),
  ];
  const facts = [
    "- Forkline, by table and index (bytes per turn: pages after `VACUUM`, growth over the same schema with no rows; largest first):",
    ...forkline.map((object) => objectLine(object, fixture.turns)),
    "- Simple session, the same way:",
    ...simple.map((object) => objectLine(object, fixture.turns)),
  ];
  const diagnosis: string[] = [];
  const [row] = rows;
  if (row?.pass === false) {
    const total = totalBytes(forkline);
    const allowed = MAX_RATIO * perTurn(simple);
    diagnosis.push(
      `- Forkline stores ${formatCount(Math.round(perTurn(forkline)))} B per turn, ${formatRatio(ratio(row))} the simple session's ` +
        `${formatCount(Math.round(perTurn(simple)))}; ${MAX_RATIO}× allows ${formatCount(Math.round(allowed))}, so ` +
        `${formatCount(Math.round(perTurn(forkline) - allowed))} B per turn must go. By table and index: see "What each figure is" below.`,
      "- Where the records' bytes go, per column (value bytes per turn, SQLite's record format, headers left out):",
    );
    for (const table of new Set(forkline.filter((object) => object.type === "table" && object.bytes >= COLUMN_BREAKDOWN_SHARE * total).map((object) => object.table))) {
      const columns = columnBytes(fixture.file, table).filter((column) => column.bytes > 0);
      diagnosis.push(`  - \`${table}\`: ${columns.map((column) => `${column.column} ${formatCount(Math.round(column.bytes / fixture.turns))}`).join(", ")}`);
    }
    for (const table of SIMPLE_TABLES) {
      const columns = columnBytes(fixture.file, table).filter((column) => column.bytes > 0);
      diagnosis.push(`  - simple \`${table}\`: ${columns.map((column) => `${column.column} ${formatCount(Math.round(column.bytes / fixture.turns))}`).join(", ")}`);
    }
    const indexes = forkline.filter((object) => object.type === "index");
    diagnosis.push(
      `- Indexes: ${formatCount(Math.round(totalBytes(indexes) / fixture.turns))} B per turn over ${indexes.length} indexes ` +
        `(the simple session: ${formatCount(Math.round(totalBytes(simple.filter((object) => object.type === "index")) / fixture.turns))} over ` +
        `${simple.filter((object) => object.type === "index").length}).`,
    );
  }
  return { rows, diagnosis, facts };
}

/** 7. Bytes stored per turn by Forkline's tables vs the simplest session storing the same items and a usage row. */
export const storageScenario: Scenario = {
  id: "7",
  title: "Stored bytes per turn",
  about:
    `A database holding only one conversation of ${formatCount(USAGE_TURNS)} turns written through \`PrismaSession.addItems\` (batches of 250 turns) ` +
    "and `storeRunUsage` (one usage row per turn), and the same items in the simple session's `SimpleItem` table with one `SimpleUsage` " +
    "row per turn (`bench/lib/simple-session.ts`: items with session id, position and JSON, a unique index on (sessionId, position); usage " +
    "counts, model and cost with an index on sessionId). Bytes: SQLite's `dbstat` (`SUM(pgsize)` per table and index) over a `VACUUM INTO` " +
    "copy, minus the same over the same schema with no rows, divided by the turns. Shares its seeded database with scenario 6.",
  command: "npm run bench -- --only=storage",
  run: runStorage,
};
