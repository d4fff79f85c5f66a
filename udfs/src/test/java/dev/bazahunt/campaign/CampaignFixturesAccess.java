package dev.bazahunt.campaign;

import dev.bazahunt.alert.Alert;
import java.util.List;

/** The full-chain incident, for tests of other packages (the alert schema). */
public final class CampaignFixturesAccess {
    private CampaignFixturesAccess() {}

    public static List<Alert> fullChainIncidents() {
        return CampaignFixtures.incidents().incidents(CampaignFixtures.fullChain(), 1);
    }
}
