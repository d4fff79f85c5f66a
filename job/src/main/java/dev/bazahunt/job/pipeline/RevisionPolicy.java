package dev.bazahunt.job.pipeline;

/** When an alert is written. */
public enum RevisionPolicy {
    /**
     * Replay: once, when its correlation window has closed, with all the evidence the window holds.
     * Every alert has Revision 1.
     */
    FINAL,
    /**
     * Live: as soon as it exists, then again with a higher Revision whenever its evidence grows, so an
     * upserting SIEM always holds the complete alert. The last revision equals replay's alert.
     */
    EVERY_CHANGE
}
