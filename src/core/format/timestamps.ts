/**
 * Scenario Lab timestamps are naive local times (docs/format.md#timestamps): isoformat in JSON, `%Y-%m-%d %H:%M:%S` in
 * markdown. The database stores what SQLAlchemy writes (docs/format.md#value-encoding). Plain string work on purpose: a
 * Date would apply the machine's time zone to times that have none.
 */

/** Date, `T` or space, time, optional fraction of 1-6 digits. */
const NAIVE_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * `2025-11-24T09:48:35.886395`, `2025-11-24T09:48:35` or `2025-11-24 09:48:35` →
 * `2025-11-24 09:48:35.886395` (space, exactly six fractional digits). Undefined for anything
 * else (time zones, out-of-range fields, free text).
 */
export function toSqlDatetime(isoOrMarkdown: string): string | undefined {
  const match = NAIVE_DATETIME.exec(isoOrMarkdown.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  if (!inRange(month, 1, 12) || !inRange(day, 1, 31) || !inRange(hour, 0, 23) || !inRange(minute, 0, 59) || !inRange(second, 0, 59)) {
    return undefined;
  }
  // ".123" means 123 milliseconds, so pad on the right (SQLAlchemy would read "123" as microseconds).
  return `${year}-${month}-${day} ${hour}:${minute}:${second}.${fraction.padEnd(6, '0')}`;
}

function inRange(digits: string, min: number, max: number): boolean {
  const value = Number(digits);
  return value >= min && value <= max;
}

/** A clock time (ms since the epoch, e.g. a file modification time) as Scenario Lab writes times: naive, in the machine's local time zone. */
export function localSqlTime(ms: number): string {
  const t = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${pad(t.getFullYear(), 4)}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(Math.min(micros, 999_999), 6)}`;
}

/** The inverse of localSqlTime(): an SQL datetime read as local time, in ms since the epoch; undefined for anything else. */
export function localTimeMs(sqlDatetime: string): number | undefined {
  const match = NAIVE_DATETIME.exec(sqlDatetime.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = ''] = match.map((part) => part ?? '');
  return new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(6, '0')) / 1000).getTime();
}
