package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.telemetry.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The streams the hunt produces; each mode attaches its own sinks to them. */
public record HuntOutputs(
        DataStream<AlertRecord> alerts,
        DataStream<DeadLetter> deadLetters,
        DataStream<CorrelationEvent> lateForCorrelation,
        DataStream<String> exclusionAudit) {}
