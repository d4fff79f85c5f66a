package dev.bazahunt.job.pipeline;

/** The last revision written for one AlertId and a digest of its content. A Flink POJO. */
public class RevisionMark {
    public int revision;
    public long digest;

    public RevisionMark() {}

    RevisionMark(int revision, long digest) {
        this.revision = revision;
        this.digest = digest;
    }
}
