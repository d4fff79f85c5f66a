package dev.bazahunt.telemetry;

import java.nio.charset.StandardCharsets;

/** Run in a JVM without the vector module by {@code RawPrefilterFallbackTest}: prints what it decides. */
public final class ScanWithoutVectorModule {
    private ScanWithoutVectorModule() {}

    public static void main(String[] args) {
        byte[] download = "{\"c\":\"x.exe -urlcache -split -f http://a/b\"}\n{\"c\":\"benign\"}".getBytes(StandardCharsets.UTF_8);
        long stop = RawPrefilter.scan(download, 0, 0, download.length, true);
        System.out.println(RawPrefilter.scanKind() + "|" + RawPrefilter.kind(stop) + "|"
                + RawPrefilter.mayMatter("{\"c\":\"benign\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
