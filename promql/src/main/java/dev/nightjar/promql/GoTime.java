package dev.nightjar.promql;

/**
 * Calendar fields of a Unix time in UTC the way Prometheus' date functions compute them: the float
 * is first converted to a 64-bit integer as Go does on amd64 (truncation; NaN, infinities and
 * values out of range become the minimum int64), and the calendar arithmetic runs over Go's
 * unsigned "absolute" seconds, which wrap for such extreme values instead of failing. So
 * {@code year(vector(NaN))} is 292277026596, as in Prometheus.
 */
final class GoTime {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long DAYS_PER_400_YEARS = 365 * 400 + 97;
    private static final long DAYS_PER_100_YEARS = 365 * 100 + 24;
    private static final long DAYS_PER_4_YEARS = 365 * 4 + 1;
    /** The year of absolute second zero. */
    private static final long ABSOLUTE_ZERO_YEAR = -292_277_022_399L;
    /** Seconds from year 1 to 1970. */
    private static final long UNIX_TO_INTERNAL = (1969 * 365 + 1969 / 4 - 1969 / 100 + 1969 / 400) * SECONDS_PER_DAY;
    /** Seconds from the absolute zero year to year 1 (31556952 s is a mean Gregorian year). */
    private static final long INTERNAL_TO_ABSOLUTE = -(ABSOLUTE_ZERO_YEAR - 1) * 31_556_952L;

    private static final int[] DAYS_BEFORE = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

    final long year;
    /** 1 to 12. */
    final int month;
    /** 1 to 31. */
    final int day;
    /** 1 to 366. */
    final int yearDay;
    /** 0 (Sunday) to 6. */
    final int weekday;

    final int hour;
    final int minute;

    private GoTime(long year, int month, int day, int yearDay, int weekday, int hour, int minute) {
        this.year = year;
        this.month = month;
        this.day = day;
        this.yearDay = yearDay;
        this.weekday = weekday;
        this.hour = hour;
        this.minute = minute;
    }

    /** Go's float64 to int64 conversion on amd64. */
    static long toInt64(double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) v;
    }

    static GoTime ofUnixSeconds(double v) {
        long seconds = toInt64(v);
        // Unsigned arithmetic that wraps, as Go's uint64 does.
        long abs = seconds + UNIX_TO_INTERNAL + INTERNAL_TO_ABSOLUTE;
        long secondOfDay = Long.remainderUnsigned(abs, SECONDS_PER_DAY);
        long d = Long.divideUnsigned(abs, SECONDS_PER_DAY);
        // The absolute zero year starts on a Monday.
        int weekday = (int) Long.remainderUnsigned(abs + SECONDS_PER_DAY, 7 * SECONDS_PER_DAY) / (int) SECONDS_PER_DAY;

        long n = d / DAYS_PER_400_YEARS;
        long y = 400 * n;
        d -= DAYS_PER_400_YEARS * n;
        n = d / DAYS_PER_100_YEARS;
        n -= n >> 2; // the last day of a 400-year cycle belongs to its fourth century
        y += 100 * n;
        d -= DAYS_PER_100_YEARS * n;
        n = d / DAYS_PER_4_YEARS;
        y += 4 * n;
        d -= DAYS_PER_4_YEARS * n;
        n = d / 365;
        n -= n >> 2; // likewise the last day of a 4-year cycle
        y += n;
        d -= 365 * n;

        long year = y + ABSOLUTE_ZERO_YEAR;
        int yday = (int) d;
        int month;
        int day;
        int dayInCommonYear = yday;
        if (leap(year) && yday >= 31 + 28) {
            dayInCommonYear = yday == 31 + 28 ? -1 : yday - 1;
        }
        if (dayInCommonYear < 0) {
            month = 2;
            day = 29;
        } else {
            month = 1;
            while (DAYS_BEFORE[month] <= dayInCommonYear) {
                month++;
            }
            day = dayInCommonYear - DAYS_BEFORE[month - 1] + 1;
        }
        return new GoTime(
                year, month, day, yday + 1, weekday, (int) (secondOfDay / 3600), (int) (secondOfDay % 3600 / 60));
    }

    int daysInMonth() {
        if (month == 2) {
            return leap(year) ? 29 : 28;
        }
        return DAYS_BEFORE[month] - DAYS_BEFORE[month - 1];
    }

    private static boolean leap(long year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }
}
