package dev.bazahunt.telemetry;

/**
 * Converts Defender datetimes to and from epoch nanoseconds UTC.
 *
 * <p>KQL datetimes are 100 ns ticks, so Defender writes up to seven fractional digits
 * ({@code 2021-07-20T14:02:58.1034567Z}). Going through {@code java.util.Date} or epoch millis would
 * drop the last four digits, and the correlation joins on process creation times that must match
 * exactly. So this is a small hand parser without regex or {@code DateTimeFormatter}: it runs on every
 * datetime column of every event.
 *
 * <p>Accepted, as Defender, Sentinel and common exporters write them:
 * <ul>
 *   <li>{@code yyyy-MM-dd}, then {@code T}, {@code t} or a space (pandas), then {@code HH:mm:ss};
 *   <li>optionally {@code .} and 1 to 9 fractional digits. KQL keeps 7 (100 ns ticks); pandas writes 9
 *       ({@code 03:08:14.159814200}). Digits finer than a tick are dropped toward the earlier tick, so
 *       every parsed value is a whole number of ticks and the same instant compares equal whatever
 *       the exporter;
 *   <li>then {@code Z} or {@code z}, a numeric offset {@code ±HH:mm}, {@code ±HHmm} or {@code ±HH} of
 *       at most 18 hours (ISO-8601's and {@code java.time}'s bound), or nothing. No offset means UTC:
 *       every Defender and Sentinel datetime is UTC, and the exporters that drop the offset
 *       ({@code 2021-08-02 13:32:07}) drop a {@code +00:00}.
 * </ul>
 * The range is that of a {@code long} of nanoseconds: 1677-09-21T00:12:43.1452242Z to
 * 2262-04-11T23:47:16.8547758Z in whole ticks.
 */
public final class DefenderTimestamps {
    /** KQL's precision: seven fractional digits, one tick = 100 ns. */
    public static final int MAX_FRACTION_DIGITS = 7;
    /** Nanosecond digits, as pandas writes them; the last two are finer than a tick and dropped. */
    private static final int MAX_PARSED_FRACTION_DIGITS = 9;
    /** ISO-8601 offsets reach at most 18 hours either way. */
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;
    private static final long NANOS_PER_TICK = 100L;

    private DefenderTimestamps() {}

    /**
     * Parses an ISO-8601 datetime with an offset to epoch nanoseconds UTC, exactly.
     *
     * @throws MalformedTimestampException if the text is not such a datetime, names an impossible date
     *     or time, or lies outside the range of a {@code long} of nanoseconds (years 1677 to 2262)
     */
    public static long parseNanos(CharSequence text) {
        if (text == null) {
            throw new MalformedTimestampException("datetime is null");
        }
        Cursor at = new Cursor(text);
        int year = at.digits(4, "year");
        at.expect('-');
        int month = at.digits(2, "month");
        at.expect('-');
        int day = at.digits(2, "day");
        at.expectDateTimeSeparator();
        int hour = at.digits(2, "hour");
        at.expect(':');
        int minute = at.digits(2, "minute");
        at.expect(':');
        int second = at.digits(2, "second");
        long fractionNanos = at.optionalFraction();
        int offsetSeconds = at.offset();
        at.expectEnd();

        if (month < 1 || month > 12) {
            throw at.fail("month " + month + " does not exist");
        }
        if (day < 1 || day > daysInMonth(year, month)) {
            throw at.fail("day " + day + " does not exist in " + year + "-" + month);
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw at.fail("time of day out of range");
        }
        long epochSecond = epochDay(year, month, day) * SECONDS_PER_DAY
                + hour * 3600L + minute * 60L + second - offsetSeconds;
        return toEpochNanos(epochSecond, fractionNanos, at);
    }

    /**
     * {@code epochSecond * 10^9 + fractionNanos} without a spurious overflow: before 1970 the product
     * alone can lie below {@code Long.MIN_VALUE} while the sum does not (the earliest tick,
     * 1677-09-21T00:12:43.1452242Z, is {@code -9223372037 s + 0.1452242 s}), so the fraction is folded
     * into the seconds first.
     */
    private static long toEpochNanos(long epochSecond, long fractionNanos, Cursor at) {
        try {
            if (epochSecond < 0 && fractionNanos > 0) {
                return Math.addExact(Math.multiplyExact(epochSecond + 1, NANOS_PER_SECOND), fractionNanos - NANOS_PER_SECOND);
            }
            return Math.addExact(Math.multiplyExact(epochSecond, NANOS_PER_SECOND), fractionNanos);
        } catch (ArithmeticException overflow) {
            throw at.fail("outside the range of epoch nanoseconds (1677-09-21 to 2262-04-11)");
        }
    }

    /**
     * Formats epoch nanoseconds UTC the way Defender writes datetimes: always seven fractional digits
     * and {@code Z}, e.g. {@code 2021-07-20T14:02:58.1034567Z}. For every value {@link #parseNanos}
     * returns, {@code parseNanos(format(n)) == n}. Digits finer than a 100 ns tick cannot come from
     * parsing; if present they are truncated toward the earlier tick.
     */
    public static String format(long epochNanos) {
        long epochSecond = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        long ticks = Math.floorMod(epochNanos, NANOS_PER_SECOND) / NANOS_PER_TICK;
        long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);

        // Civil-from-days (Howard Hinnant's algorithm), valid for the whole proleptic Gregorian range.
        long shifted = epochDay + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        StringBuilder out = new StringBuilder(28);
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2).append('.');
        pad(out, ticks, MAX_FRACTION_DIGITS).append('Z');
        return out.toString();
    }

    /** Appends {@code value} in decimal, zero-padded to {@code width} digits. */
    static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    private static boolean isLeapYear(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                return isLeapYear(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days-from-civil (Howard Hinnant's algorithm): days since 1970-01-01 of a Gregorian date. */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    /** Reads the text left to right; every failure names the text and what was wrong. */
    private static final class Cursor {
        private final CharSequence text;
        private int position;

        Cursor(CharSequence text) {
            this.text = text;
        }

        int digits(int count, String what) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                char c = position < text.length() ? text.charAt(position) : '\0';
                if (c < '0' || c > '9') {
                    throw fail("expected " + count + " digits of " + what + " at position " + position);
                }
                value = value * 10 + (c - '0');
                position++;
            }
            return value;
        }

        void expect(char wanted) {
            if (position >= text.length() || text.charAt(position) != wanted) {
                throw fail("expected '" + wanted + "' at position " + position);
            }
            position++;
        }

        void expectDateTimeSeparator() {
            char c = position < text.length() ? text.charAt(position) : '\0';
            if (c == 'T' || c == 't' || c == ' ') {
                position++;
            } else {
                throw fail("expected 'T' or a space between date and time at position " + position);
            }
        }

        /** Returns the fraction of a second in nanoseconds, or 0 when there is no fraction. */
        long optionalFraction() {
            if (position >= text.length() || text.charAt(position) != '.') {
                return 0;
            }
            position++;
            long nanos = 0;
            int digits = 0;
            while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
                if (++digits > MAX_PARSED_FRACTION_DIGITS) {
                    throw fail("more than " + MAX_PARSED_FRACTION_DIGITS + " fractional digits (finer than a nanosecond)");
                }
                nanos = nanos * 10 + (text.charAt(position) - '0');
                position++;
            }
            if (digits == 0) {
                throw fail("no digits after the decimal point");
            }
            for (int i = digits; i < MAX_PARSED_FRACTION_DIGITS; i++) {
                nanos *= 10;
            }
            return nanos - nanos % NANOS_PER_TICK;
        }

        /**
         * Returns the offset from UTC in seconds: {@code Z} and no offset are 0, {@code +02:00},
         * {@code +0200} and {@code +02} are 7200.
         */
        int offset() {
            if (position >= text.length()) {
                return 0;
            }
            char sign = text.charAt(position);
            if (sign == 'Z' || sign == 'z') {
                position++;
                return 0;
            }
            if (sign != '+' && sign != '-') {
                throw fail("expected 'Z' or an offset at position " + position);
            }
            position++;
            int hours = digits(2, "offset hours");
            int minutes = 0;
            if (position < text.length()) {
                if (text.charAt(position) == ':') {
                    position++;
                }
                minutes = digits(2, "offset minutes");
            }
            int seconds = hours * 3600 + minutes * 60;
            if (minutes > 59 || seconds > MAX_OFFSET_SECONDS) {
                throw fail("offset out of range (at most ±18:00)");
            }
            return sign == '-' ? -seconds : seconds;
        }

        void expectEnd() {
            if (position != text.length()) {
                throw fail("unexpected text after the datetime at position " + position);
            }
        }

        MalformedTimestampException fail(String why) {
            return new MalformedTimestampException("'" + quoted() + "' is not an ISO-8601 datetime: " + why);
        }

        private String quoted() {
            return text.length() <= 64 ? text.toString() : text.subSequence(0, 64) + "…";
        }
    }
}
