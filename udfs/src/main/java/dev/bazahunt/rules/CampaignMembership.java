package dev.bazahunt.rules;

import java.io.Serializable;

/**
 * The campaign a rule hunts and the stage of its kill chain that a hit shows, written in a rule file as
 * {@code campaign: {name: BazaCall, stage: certutil-download}}.
 *
 * @param name the campaign, e.g. {@code BazaCall}
 * @param stage the stage a hit of this rule shows; null for a rule that ties several stages together
 *     (the correlation rule) rather than showing one
 */
public record CampaignMembership(String name, CampaignStage stage) implements Serializable {

    public CampaignMembership {
        RuleFields.require(name, "campaign name");
    }
}
