package dev.awsonboard.doctor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DoctorReportTest {

    @Test
    void rendersAnAlignedTableWithFixesUnderTheDetail() {
        String out = DoctorReport.render(List.of(
                CheckResult.ok("slack token", "bot aws-onboard"),
                CheckResult.fail("slack scopes", "missing files:write", "add it and reinstall"),
                CheckResult.warn("db", "slow\nreally", "")));

        assertThat(out).isEqualTo("""
                CHECK         STATUS  DETAIL
                slack token   OK      bot aws-onboard
                slack scopes  FAIL    missing files:write
                                      fix: add it and reinstall
                db            WARN    slow really

                1 of 3 checks failed, 1 warning.
                """);
    }

    @Test
    void onlyFailuresMakeTheExitCodeNonZero() {
        assertThat(DoctorReport.exitCode(List.of(CheckResult.ok("a", ""), CheckResult.warn("b", "", "")))).isZero();
        assertThat(DoctorReport.exitCode(List.of(CheckResult.ok("a", ""), CheckResult.fail("b", "", "")))).isEqualTo(1);
        assertThat(DoctorReport.summary(List.of(CheckResult.ok("a", "")))).isEqualTo("All 1 checks passed.");
    }
}
