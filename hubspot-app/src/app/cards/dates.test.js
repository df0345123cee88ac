// Dates on the card are the account's: shown and picked in its time zone, sent as instants.
import { describe, expect, it } from "vitest";

import { calendarDay, formatWhen, onDay } from "./dates.js";

describe("dates in the account's time zone", () => {
  it("shows an instant as the account's wall clock", () => {
    expect(formatWhen("2026-12-09T12:00:00Z", "America/New_York")).toBe("Wed, Dec 9, 7:00 AM");
    expect(formatWhen("2026-12-09T12:00:00Z", "Asia/Tokyo")).toBe("Wed, Dec 9, 9:00 PM");
    expect(formatWhen(null, "UTC")).toBe("unknown time");
  });

  it("takes the calendar day where the account is, not in UTC", () => {
    // 02:00 UTC on the 10th is still the evening of the 9th in Los Angeles.
    expect(calendarDay("2026-12-10T02:00:00Z", "America/Los_Angeles")).toEqual({ year: 2026, month: 11, date: 9 });
    expect(calendarDay("2026-12-10T02:00:00Z", "Europe/Berlin")).toEqual({ year: 2026, month: 11, date: 10 });
  });

  it("moves a date to another day at the same wall-clock time, across a daylight-saving change", () => {
    // 9:00 in New York is 14:00 UTC in winter and 13:00 UTC once clocks go forward (March 8, 2026).
    expect(onDay("2026-03-06T14:00:00Z", { year: 2026, month: 2, date: 9 }, "America/New_York")).toBe("2026-03-09T13:00:00.000Z");
    expect(onDay("2026-03-09T13:00:00Z", { year: 2026, month: 2, date: 6 }, "America/New_York")).toBe("2026-03-06T14:00:00.000Z");
    expect(onDay("2026-12-30T23:30:00Z", { year: 2027, month: 0, date: 4 }, "Europe/Berlin")).toBe("2027-01-03T23:30:00.000Z");
  });
});
