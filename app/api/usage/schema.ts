import { z } from "zod";
import { BoundedIsoDay } from "@/lib/validation/bounds";

const DAY_MS = 24 * 60 * 60 * 1000;

/** `?from&to` (YYYY-MM-DD, inclusive; default: the last 30 days) as UTC midnights. */
export const UsageRange = z
  .object({ from: BoundedIsoDay("from").optional(), to: BoundedIsoDay("to").optional() })
  .transform(({ from, to }) => {
    const end = to ? new Date(`${to}T00:00:00Z`) : new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
    const start = from ? new Date(`${from}T00:00:00Z`) : new Date(end.getTime() - 29 * DAY_MS);
    return { from: start, to: end };
  })
  .refine((range) => range.from.getTime() <= range.to.getTime(), "from must not be after to");

/** `?format&group` of the usage export, with the range. */
export const UsageExportQuery = z.object({
  format: z.enum(["csv", "json"], { message: 'format is "csv" or "json"' }).default("csv"),
  group: z.enum(["conversation", "model", "day", "call"], { message: 'group is "conversation", "model", "day" or "call"' }).default("call"),
  from: z.string().optional(),
  to: z.string().optional(),
});
