package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.MfaCodes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MfaCodesTest {
    @Test
    void twoSixDigitCodesAreFoundInAReply() {
        assertThat(MfaCodes.find("123456 654321")).contains(new MfaCodes("123456", "654321"));
        assertThat(MfaCodes.find("codes: 123456, then 654321!")).contains(new MfaCodes("123456", "654321"));
        assertThat(MfaCodes.find("123456\n654321")).isPresent();
    }

    @Test
    void anythingButExactlyTwoCodesIsNotAReply() {
        assertThat(MfaCodes.find("123456")).isEmpty();
        assertThat(MfaCodes.find("123456 654321 111111")).isEmpty();
        assertThat(MfaCodes.find("1234567 654321")).isEmpty();
        assertThat(MfaCodes.find("hello")).isEmpty();
        assertThat(MfaCodes.find(null)).isEmpty();
        assertThat(MfaCodes.find("1".repeat(500))).isEmpty();
    }

    @Test
    void aFormFieldIsSixDigitsSpacesAllowed() {
        assertThat(MfaCodes.problem("123456")).isEmpty();
        assertThat(MfaCodes.problem("123 456")).isEmpty();
        assertThat(MfaCodes.problem("12345")).isPresent();
        assertThat(MfaCodes.problem("12345a")).isPresent();
        assertThat(MfaCodes.problem(null)).isPresent();
    }

    @Test
    void codesNeverPrintThemselves() {
        assertThat(new MfaCodes("123456", "654321").toString()).doesNotContain("123456", "654321");
    }
}
