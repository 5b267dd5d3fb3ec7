import { z } from "zod";

/** The largest value an `Int` column holds on every provider (PostgreSQL int4); larger values overflow there. */
export const INT4_MAX = 2_147_483_647;
/** The earliest and latest calendar days accepted anywhere a date reaches the database. */
export const MIN_DAY = "1970-01-01";
export const MAX_DAY = "9999-12-31";
const MIN_TIME = Date.parse(`${MIN_DAY}T00:00:00.000Z`);
const MAX_TIME = Date.parse(`${MAX_DAY}T23:59:59.999Z`);

/** A whole number from 1 to INT4_MAX, for a value stored in an `Int` column (turn numbers, limits). */
export const PositiveInt4 = (name: string) =>
  z
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be positive`)
    .max(INT4_MAX, `${name} is at most ${INT4_MAX}`);

/** A `YYYY-MM-DD` day between MIN_DAY and MAX_DAY (year 0000 or 275760 are valid ISO but not storable everywhere). */
export const BoundedIsoDay = (name: string) =>
  z.iso
    .date({ message: `${name} is a date as YYYY-MM-DD` })
    .refine((value) => value >= MIN_DAY && value <= MAX_DAY, `${name} is between ${MIN_DAY} and ${MAX_DAY}`);

/** True for a valid Date within the storable range. */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= MIN_TIME && time <= MAX_TIME;
}
