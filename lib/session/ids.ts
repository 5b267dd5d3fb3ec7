import { randomBytes } from "node:crypto";

let lastMs = 0;
let counter = 0;

/** A random id whose lexical order follows creation order within a process (time prefix + counter). */
export function newId(): string {
  const now = Date.now();
  counter = now === lastMs ? counter + 1 : 0;
  lastMs = now;
  return `${now.toString(36).padStart(9, "0")}${counter.toString(36).padStart(3, "0")}${randomBytes(6).toString("hex")}`;
}
