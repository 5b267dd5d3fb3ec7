import { tool } from "@openai/agents";
import { create, all } from "mathjs";
import { z } from "zod";

const math = create(all!);
const evaluate = math.evaluate.bind(math);
// Expressions are arithmetic only: no assignment, imports or function definitions.
math.import(
  {
    import: () => { throw new Error("import is disabled"); },
    createUnit: () => { throw new Error("createUnit is disabled"); },
    parse: () => { throw new Error("parse is disabled"); },
    simplify: () => { throw new Error("simplify is disabled"); },
    derivative: () => { throw new Error("derivative is disabled"); },
  },
  { override: true },
);

/** Evaluates an arithmetic expression; errors come back as text the model can read. */
export function calculate(expression: string): string {
  if (expression.length > 500) return "Error: expression too long";
  if (/[=;]|\bfunction\b/.test(expression)) return "Error: only arithmetic expressions are allowed";
  try {
    const result = evaluate(expression);
    return typeof result === "number" || typeof result === "bigint" ? String(result) : math.format(result, { precision: 14 });
  } catch (error) {
    return `Error: ${(error as Error).message}`;
  }
}

export const calculatorTool = tool({
  name: "calculator",
  description: "Evaluate an arithmetic expression such as '(2 + 3) * 4' or 'sqrt(2) / 3'. Returns the result as text.",
  parameters: z.object({ expression: z.string().describe("The arithmetic expression") }),
  execute: async ({ expression }) => calculate(expression),
});

export const currentTimeTool = tool({
  name: "current_time",
  description: "Get the current date and time, optionally in an IANA time zone such as 'Europe/Paris'.",
  parameters: z.object({ timeZone: z.string().nullable().describe("IANA time zone, or null for UTC") }),
  execute: async ({ timeZone }) => {
    const zone = timeZone ?? "UTC";
    try {
      const text = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "long", timeZone: zone }).format(new Date());
      return `${text} (${zone})`;
    } catch {
      return `Error: unknown time zone "${zone}"`;
    }
  },
});

/** The built-in tools every agent has. */
export const builtInTools = [calculatorTool, currentTimeTool];
