package dev.bazahunt.rules;

/** Ids of the rules in {@link RuleCatalog#standard()}, for code that must name one rule. */
public final class RuleIds {

    /** Sentinel's "Dropping payload via certutil" hunting query, ported unchanged. */
    public static final String CERTUTIL_DOWNLOAD = "f5ff5b00-a90e-40b8-b241-9427a8ec5189";

    /**
     * The certutil download hunt with the Sentinel query's evasions closed: https, no -split, Unicode
     * option characters, verb abbreviations, renamed and relocated copies. See {@link HardenedCertutilRule}.
     */
    public static final String CERTUTIL_DOWNLOAD_HARDENED = "395090bd-f47c-4d17-800d-50a30fba3db4";

    /** The renamed-certutil download tied to the Excel macro that staged it. */
    public static final String BAZACALL_CORRELATION = "6115fe87-e990-4ade-b52f-b35ebea0864d";

    /** One BazaCall campaign incident per device: every pack hit within the campaign window. */
    public static final String BAZACALL_CAMPAIGN_INCIDENT = "2a3ad1a6-46c5-4d36-bd99-08e07db7f0f1";

    private RuleIds() {}
}
