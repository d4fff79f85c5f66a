package dev.bazahunt.telemetry;

/**
 * How a Log Analytics CSV export orders the day and month of a numeric date ({@code 4/7/2025} or
 * {@code 26/03/2026}): the exporting browser's locale decides, and the file does not say.
 */
public enum CsvDateOrder {
    /** Month first, as the US locale writes it: {@code 4/7/2025} is 7 April. */
    MDY,
    /** Day first, as most other locales write it: {@code 26/03/2026} is 26 March. */
    DMY;

    /** {@code mdy} or {@code dmy}, as the command line spells it; null for anything else. */
    public static CsvDateOrder fromOption(String value) {
        if ("mdy".equalsIgnoreCase(value)) {
            return MDY;
        }
        return "dmy".equalsIgnoreCase(value) ? DMY : null;
    }
}
