import { randomInt } from "node:crypto";

let lastMs = 0;
let counter = 0;

/**
 * A random id whose lexical order follows creation order within a process: 9 base-36 characters of time, a 3-character
 * counter and 5 random base-36 characters (≈ 26 bits, for ids made in the same millisecond, with the same counter, by
 * other processes). 17 characters: ids fill most of the bytes a turn stores (its row, its items' and usage rows'
 * references, and their indexes), so they are kept short. The time prefix has the width the earlier 24-character ids had, so old and new
 * ids still sort by time.
 */
export function newId(): string {
  const now = Date.now();
  counter = now === lastMs ? counter + 1 : 0;
  lastMs = now;
  return `${now.toString(36).padStart(9, "0")}${counter.toString(36).padStart(3, "0")}${randomInt(36 ** 5).toString(36).padStart(5, "0")}`;
}
