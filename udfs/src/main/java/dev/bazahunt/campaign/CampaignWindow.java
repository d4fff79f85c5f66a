package dev.bazahunt.campaign;

import java.time.Duration;

/** How a campaign window reads in incidents, the way users type it: {@code 48h}, {@code 90m}, {@code 30s}. */
final class CampaignWindow {
    private CampaignWindow() {}

    static String text(Duration window) {
        if (window.toSeconds() % 3600 == 0 && window.getNano() == 0) {
            return window.toHours() + "h";
        }
        if (window.toSeconds() % 60 == 0 && window.getNano() == 0) {
            return window.toMinutes() + "m";
        }
        return window.toMillis() + "ms";
    }
}
