// Dates as the account keeps them: shown and picked in the HubSpot account's time zone, sent
// to the API as instants.
const DAY_MS = 86_400_000;

export function formatWhen(iso, timeZone, locale = "en-US") {
  if (!iso) return "unknown time";
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(iso));
}

// The calendar day of an instant in the zone, as DateInput takes it (month from 0).
export function calendarDay(iso, timeZone) {
  const parts = zoneParts(new Date(iso).getTime(), timeZone);
  return { year: parts.year, month: parts.month - 1, date: parts.day };
}

// The instant on another calendar day at the same wall-clock time in the zone, so a follow-up
// the model set for 9:00 stays at 9:00 when the rep moves it, across a daylight-saving change.
export function onDay(iso, day, timeZone) {
  const instant = new Date(iso).getTime();
  const from = calendarDay(iso, timeZone);
  const days = (Date.UTC(day.year, day.month, day.date) - Date.UTC(from.year, from.month, from.date)) / DAY_MS;
  const shifted = instant + days * DAY_MS;
  return new Date(shifted + zoneOffset(instant, timeZone) - zoneOffset(shifted, timeZone)).toISOString();
}

function zoneOffset(instant, timeZone) {
  const p = zoneParts(instant, timeZone);
  const wallClock = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallClock - Math.floor(instant / 1000) * 1000;
}

function zoneParts(instant, timeZone) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return Object.fromEntries(["year", "month", "day", "hour", "minute", "second"].map((key) => [key, Number(parts[key])]));
}
