import fs from "node:fs";
import path from "node:path";

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Creates the SQLite file's directory (0700) and the file itself (0600) when they do not exist yet. SQLite gives the
 * -wal and -shm files the database file's mode, so conversations never become readable by other local users.
 */
export function prepareSqliteFile(filePath: string): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: PRIVATE_DIR });
  try {
    fs.closeSync(fs.openSync(filePath, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(3, "0");

/** One line per database directory or file that other local users can read or write (for a start-up warning). */
export function sqliteFileWarnings(filePath: string): string[] {
  const warnings: string[] = [];
  const dir = path.dirname(filePath);
  const check = (target: string, wanted: number, fix: string) => {
    let mode: number;
    try {
      mode = fs.statSync(target).mode;
    } catch {
      return;
    }
    if ((mode & 0o077) !== 0) warnings.push(`${target} is open to other users (mode ${octal(mode)}, want ${octal(wanted)}): ${fix}`);
  };
  check(dir, PRIVATE_DIR, `chmod 700 ${dir}`);
  for (const file of [filePath, `${filePath}-wal`, `${filePath}-shm`]) check(file, PRIVATE_FILE, `chmod 600 ${file}`);
  return warnings;
}
