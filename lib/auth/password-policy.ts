import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { APIError, getSessionFromCtx } from "better-auth/api";
import type { AuthHookContext } from "./hook-context";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
// zxcvbn score 2 = at least 10^6 guesses: refuses dictionary passwords, keyboard walks and the user's own name/e-mail.
const MIN_SCORE = 2;

/** Why a password is refused: a Better Auth-style error code and a sentence for the person choosing it. */
export interface PasswordProblem {
  code: "PASSWORD_TOO_SHORT" | "PASSWORD_TOO_LONG" | "PASSWORD_TOO_WEAK";
  message: string;
}

let factory: Promise<ZxcvbnFactory> | undefined;

// The dictionaries are large: loaded on the first password check, not at start.
function estimator(): Promise<ZxcvbnFactory> {
  factory ??= import("@zxcvbn-ts/language-common").then(
    (common) => new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
  );
  return factory;
}

const WEAK_MESSAGES: Record<string, string> = {
  userInputs: "Don't use your name or e-mail address as your password.",
  topTen: "This is one of the most common passwords.",
  topHundred: "This is one of the most common passwords.",
  common: "This is a commonly used password.",
  similarToCommon: "This is too similar to a commonly used password.",
};

/** The reason `password` is refused for this person, or null when it is acceptable. */
export async function passwordProblem(password: string, personal: (string | undefined)[] = []): Promise<PasswordProblem | null> {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return { code: "PASSWORD_TOO_SHORT", message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (length > MAX_PASSWORD_LENGTH) return { code: "PASSWORD_TOO_LONG", message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` };
  if (password.trim() === "") return { code: "PASSWORD_TOO_WEAK", message: "A password cannot be only spaces." };
  const inputs = personal.filter((value): value is string => Boolean(value)).flatMap((value) => [value, ...value.split(/[@.\s]+/)]);
  const result = (await estimator()).check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  const hint = WEAK_MESSAGES[result.feedback.warning ?? ""] ?? "This password is too easy to guess.";
  return { code: "PASSWORD_TOO_WEAK", message: `${hint} Try a few unrelated words.` };
}

const NEW_PASSWORD_FIELD: Record<string, "password" | "newPassword"> = {
  "/sign-up/email": "password",
  "/change-password": "newPassword",
  "/reset-password": "newPassword",
};

/** Before-hook part: refuses weak new passwords (400 `{code,message}`) and account deletion without a password. */
export async function enforceAccountPolicy(ctx: AuthHookContext): Promise<void> {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  if (ctx.path === "/delete-user") {
    if (typeof body.password !== "string" || body.password === "") {
      throw new APIError("BAD_REQUEST", { code: "PASSWORD_REQUIRED", message: "Enter your password to delete your account." });
    }
    return;
  }
  const field = ctx.path ? NEW_PASSWORD_FIELD[ctx.path] : undefined;
  if (!field || typeof body[field] !== "string") return;
  const user = ctx.path === "/change-password" ? (await getSessionFromCtx(ctx))?.user : undefined;
  const personal = [body.email, body.name, user?.email, user?.name].map((value) => (typeof value === "string" ? value : undefined));
  const problem = await passwordProblem(body[field], personal);
  if (problem) throw new APIError("BAD_REQUEST", problem);
}
