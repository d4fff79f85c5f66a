package dev.bazahunt.telemetry;

/**
 * Reads the datetimes that CSV exports write, to epoch nanoseconds UTC:
 * <ul>
 *   <li>the Defender portal's Advanced Hunting export: {@code Oct 9, 2024 2:56:53 PM} (English month
 *       name, abbreviated or in full; 12-hour clock; no sub-second part);
 *   <li>Sentinel / Log Analytics: {@code 4/7/2025, 7:27:22.393 AM}, or day first on a 24-hour clock in
 *       other locales, {@code 26/03/2026, 15:18:18.790}; the order comes from a {@link CsvDateOrder};
 *   <li>anything {@link DefenderTimestamps} reads (ISO-8601), so a CSV written by other tools works too.
 * </ul>
 * Both exports write UTC: Log Analytics says so in the header ({@code Timestamp [UTC]}), and the portal
 * writes the time zone of its settings, UTC unless a user changed it. Fractions are kept exactly, to the
 * 100 ns tick.
 */
public final class ExportDatetimes {
    private static final String[] MONTHS = {
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december"};

    private ExportDatetimes() {}

    /** Which way a numeric date's first two fields must be read, as far as this one value tells. */
    public enum Evidence {
        /** The first field is above 12: it can only be the day. */
        DAY_FIRST,
        /** The second field is above 12: the first is the month. */
        MONTH_FIRST,
        /** Both fields are 12 or less, or the value is not a numeric date. */
        NONE
    }

    /** What a value says about the date order of its file; never throws. */
    public static Evidence evidence(String text) {
        Cursor at = new Cursor(text);
        if (!at.startsWithDigit()) {
            return Evidence.NONE;
        }
        int first = at.number(2);
        if (first < 0 || !at.accept('/')) {
            return Evidence.NONE;
        }
        int second = at.number(2);
        if (second < 0 || !at.accept('/')) {
            return Evidence.NONE;
        }
        if (first > 12 && second <= 12) {
            return Evidence.DAY_FIRST;
        }
        return second > 12 && first <= 12 ? Evidence.MONTH_FIRST : Evidence.NONE;
    }

    /** Whether the text is a numeric date such as {@code 4/7/2025, …}, whose order matters. */
    public static boolean isNumericDate(String text) {
        Cursor at = new Cursor(text);
        return at.startsWithDigit() && at.number(2) >= 0 && at.accept('/');
    }

    /**
     * Parses an export datetime.
     *
     * @throws MalformedTimestampException when the text is none of the forms above
     */
    public static long parseNanos(String text, CsvDateOrder order) {
        if (text == null) {
            throw new MalformedTimestampException("datetime is null");
        }
        Cursor at = new Cursor(text);
        if (at.startsWithLetter()) {
            return portal(at);
        }
        if (isNumericDate(text)) {
            return logAnalytics(at, order);
        }
        return DefenderTimestamps.parseNanos(text);
    }

    /** {@code Oct 9, 2024 2:56:53 PM}. */
    private static long portal(Cursor at) {
        int month = at.monthName();
        at.expect(' ');
        int day = at.required(2, "day");
        at.expect(',');
        at.expect(' ');
        int year = at.exactly(4, "year");
        at.expect(' ');
        return timeOfDay(at, year, month, day);
    }

    /** {@code 4/7/2025, 7:27:22.393 AM} or {@code 26/03/2026, 15:18:18.790}. */
    private static long logAnalytics(Cursor at, CsvDateOrder order) {
        int first = at.required(2, "date");
        at.expect('/');
        int second = at.required(2, "date");
        at.expect('/');
        int year = at.exactly(4, "year");
        at.accept(',');
        at.expect(' ');
        boolean dayFirst = order == CsvDateOrder.DMY;
        return timeOfDay(at, year, dayFirst ? second : first, dayFirst ? first : second);
    }

    /** {@code h:mm:ss}, an optional fraction, an optional {@code AM}/{@code PM}; then the ISO parser checks the date. */
    private static long timeOfDay(Cursor at, int year, int month, int day) {
        int hour = at.required(2, "hour");
        at.expect(':');
        int minute = at.exactly(2, "minute");
        at.expect(':');
        int second = at.exactly(2, "second");
        String fraction = at.fraction();
        if (at.accept(' ')) {
            boolean pm = at.meridiem();
            if (hour < 1 || hour > 12) {
                throw at.fail("hour " + hour + " does not exist on a 12-hour clock");
            }
            hour = hour % 12 + (pm ? 12 : 0);
        }
        at.expectEnd();
        if (month < 1 || month > 12) {
            throw at.fail("month " + month + " does not exist");
        }
        StringBuilder iso = new StringBuilder(32);
        DefenderTimestamps.pad(iso, year, 4).append('-');
        DefenderTimestamps.pad(iso, month, 2).append('-');
        DefenderTimestamps.pad(iso, day, 2).append('T');
        DefenderTimestamps.pad(iso, hour, 2).append(':');
        DefenderTimestamps.pad(iso, minute, 2).append(':');
        DefenderTimestamps.pad(iso, second, 2).append(fraction).append('Z');
        try {
            return DefenderTimestamps.parseNanos(iso);
        } catch (MalformedTimestampException invalid) {
            throw at.fail(invalid.getMessage());
        }
    }

    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        boolean startsWithDigit() {
            return !text.isEmpty() && text.charAt(0) >= '0' && text.charAt(0) <= '9';
        }

        boolean startsWithLetter() {
            return !text.isEmpty() && isLetter(text.charAt(0));
        }

        /** 1 to {@code max} digits as a number, or -1 when there is none. */
        int number(int max) {
            int value = 0;
            int digits = 0;
            while (digits < max && position < text.length() && isDigit(text.charAt(position))) {
                value = value * 10 + text.charAt(position++) - '0';
                digits++;
            }
            return digits == 0 ? -1 : value;
        }

        int required(int max, String what) {
            int value = number(max);
            if (value < 0) {
                throw fail("expected the " + what + " at position " + position);
            }
            return value;
        }

        int exactly(int count, String what) {
            int start = position;
            int value = number(count);
            if (position - start != count) {
                throw fail("expected " + count + " digits of " + what + " at position " + start);
            }
            return value;
        }

        boolean accept(char wanted) {
            if (position < text.length() && text.charAt(position) == wanted) {
                position++;
                return true;
            }
            return false;
        }

        void expect(char wanted) {
            if (!accept(wanted)) {
                throw fail("expected '" + wanted + "' at position " + position);
            }
        }

        /** An English month name, in full or its first three letters, any case. */
        int monthName() {
            int start = position;
            while (position < text.length() && isLetter(text.charAt(position))) {
                position++;
            }
            int length = position - start;
            for (int m = 0; m < MONTHS.length; m++) {
                String name = MONTHS[m];
                if ((length == 3 || length == name.length()) && length <= name.length()
                        && text.regionMatches(true, start, name, 0, length)) {
                    return m + 1;
                }
            }
            throw fail("'" + text.substring(start, position) + "' is not an English month name");
        }

        /** A decimal point and its digits as written, or "" when there is none. */
        String fraction() {
            if (position >= text.length() || text.charAt(position) != '.') {
                return "";
            }
            int start = position++;
            while (position < text.length() && isDigit(text.charAt(position))) {
                position++;
            }
            return text.substring(start, position);
        }

        /** {@code AM} or {@code PM}, any case; true for PM. */
        boolean meridiem() {
            if (position + 2 <= text.length() && (text.charAt(position + 1) == 'M' || text.charAt(position + 1) == 'm')) {
                char c = text.charAt(position);
                if (c == 'A' || c == 'a' || c == 'P' || c == 'p') {
                    position += 2;
                    return c == 'P' || c == 'p';
                }
            }
            throw fail("expected AM or PM at position " + position);
        }

        void expectEnd() {
            if (position != text.length()) {
                throw fail("unexpected text at position " + position);
            }
        }

        MalformedTimestampException fail(String why) {
            String quoted = text.length() <= 64 ? text : text.substring(0, 64) + "…";
            return new MalformedTimestampException("'" + quoted + "' is not an export datetime: " + why);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
    }
}
