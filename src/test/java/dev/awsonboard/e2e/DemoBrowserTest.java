package dev.awsonboard.e2e;

import dev.awsonboard.demo.Demo;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.Totp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code aws-onboard demo} in a real browser (headless Chromium), clicked through as its people would:
 * a request in #general, an approval in #aws-approvals, the new person's DM with the QR code (decoded from
 * the image the page shows, as a phone scans it), Show password, the codes form, App Home, an offboarding,
 * and a person who reads Japanese. A screenshot of each step lands in target/demo-screenshots.
 */
class DemoBrowserTest {
    private static final String SAM = "U0SAMLEAD";
    private static final String PRIYA = "U0PRIYA01";
    private static final String KENJI = "U0KENJI01";
    private static final String ALICE = "U0ALICE01";
    private static final String YUKI = "U0YUKI001";
    private static final Path SHOTS = Path.of("target", "demo-screenshots");

    private Demo demo;
    private Chromium browser;
    private int shot;

    @BeforeEach
    void start() throws IOException {
        demo = Demo.start(0);
        browser = Chromium.launch();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aPersonIsOnboardedAndOffboardedThroughThePageAlone() throws Exception {
        open(SAM, "C0GENERAL");
        assertThat(browser.text("document.querySelector('#local-note').textContent")).contains("Nothing leaves this machine");
        command("/aws-onboard alice.chen @alice groups=developers first week");
        awaitFeed("is waiting for approval");
        snap("requested");

        open(PRIYA, "C0APPROVALS");
        awaitFeed("alice.chen");
        click("onboard_approve");

        open(ALICE, "dm");
        awaitTrue("document.querySelector('#feed .file img') !== null && document.querySelector('#feed .file img').complete"
                + " && document.querySelector('#feed .file img').naturalWidth > 0");
        snap("qr");
        // The phone: the QR the page shows, decoded from its pixels as an authenticator app reads it.
        String seed = TestBot.scanSeed(download(browser.text("document.querySelector('#feed .file img').src")));
        assertThat(browser.text("document.querySelector('#phone-codes').textContent"))
                .contains(Totp.code(seed, Instant.now()).substring(0, 3));

        click("onboard_show_password");
        awaitTrue("!document.querySelector('#modal-backdrop').hidden && document.querySelectorAll('#modal-blocks .section').length > 1");
        assertThat(browser.dialogs).hasSize(1); // Approve asked Priya to confirm
        String password = browser.text("[...document.querySelectorAll('#modal-blocks .section')].pop().textContent").strip();
        snap("password");
        browser.eval("document.querySelector('#modal-close').click()");
        awaitTrue("document.querySelector('#modal-backdrop').hidden");

        click("onboard_enter_codes");
        awaitTrue("document.querySelector('[data-action-id=\"code_1_input\"]') !== null");
        List<String> codes = Totp.twoConsecutiveCodes(seed, Instant.now());
        browser.eval("document.querySelector('[data-action-id=\"code_1_input\"]').value = '" + codes.get(0) + "';"
                + "document.querySelector('[data-action-id=\"code_2_input\"]').value = '" + codes.get(1) + "';"
                + "document.querySelector('#modal').requestSubmit(); true");
        awaitTrue("document.querySelector('#feed .file .gone') !== null");
        snap("done");
        assertThat(demo.iam().user("alice.chen").orElseThrow().mfaDevices()).hasSize(1);
        // What the modal showed is the console password, and with MFA on the console wants a code too.
        assertThat(demo.iam().signIn("alice.chen", password, null)).isEqualTo(FakeIam.SignIn.MFA_REQUIRED);
        assertThat(demo.iam().signIn("alice.chen", password + "x", null)).isEqualTo(FakeIam.SignIn.WRONG_PASSWORD);

        open(ALICE, "home");
        awaitTrue("document.querySelector('#feed .home') !== null && document.querySelector('#feed').textContent.includes('alice.chen')");
        snap("home");

        // Offboarding someone else is an approver's request (whoMayRequest), decided by another approver.
        open(PRIYA, "C0GENERAL");
        command("/aws-onboard offboard @alice left the company");
        awaitFeed("waiting for approval");
        open(KENJI, "C0APPROVALS");
        awaitTrue("document.querySelectorAll('#feed button[data-action-id=\"onboard_approve\"]').length > 0");
        click("onboard_approve");
        await().atMost(Chromium.patience()).until(() -> demo.iam().user("alice.chen").isEmpty());
        snap("offboarded");
    }

    @Test
    void aPersonWhoReadsJapaneseGetsTheirSetupInJapaneseAndThePageSpeaksIt() throws Exception {
        open(SAM, "C0GENERAL");
        command("/aws-onboard yuki.tanaka @yuki groups=readonly");
        awaitFeed("is waiting for approval");
        open(PRIYA, "C0APPROVALS");
        awaitFeed("yuki.tanaka");
        click("onboard_approve");

        open(YUKI, "dm");
        browser.eval("document.querySelector('[data-lang=\"ja\"]').click(); true");
        awaitTrue("document.querySelector('#feed .file img') !== null");
        awaitTrue("document.querySelector('#feed').textContent.includes('サインイン')");
        assertThat(browser.text("document.querySelector('#local-note').textContent")).contains("このマシンの外には何も送られません");
        snap("japanese");
    }

    // ---------------------------------------------------------------- a person at the page

    private void open(String person, String view) {
        browser.navigate("about:blank");
        browser.navigate(demo.url() + "#as=" + person + "&view=" + view);
        awaitTrue("typeof ui !== 'undefined' && ui.state !== null && ui.as === '" + person + "'");
    }

    private void command(String text) {
        browser.eval("document.querySelector('#compose-text').value = " + quote(text) + ";"
                + "document.querySelector('#composer').requestSubmit(); true");
    }

    /** Clicks the latest button with this action id in the feed, as the person sees it. */
    private void click(String actionId) {
        awaitTrue("document.querySelectorAll('#feed button[data-action-id=\"" + actionId + "\"]:not(:disabled)').length > 0");
        browser.eval("[...document.querySelectorAll('#feed button[data-action-id=\"" + actionId + "\"]')].pop().click(); true");
    }

    private void awaitFeed(String words) {
        awaitTrue("document.querySelector('#feed').textContent.includes(" + quote(words) + ")");
    }

    private void awaitTrue(String expression) {
        Callable<Boolean> holds = () -> browser.eval(expression).asBoolean(false);
        try {
            await().atMost(Chromium.patience()).until(holds);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("never true in the page: " + expression + "\nfeed: "
                    + browser.text("document.querySelector('#feed').textContent"), e);
        }
    }

    private void snap(String name) throws IOException {
        browser.screenshot(SHOTS.resolve(String.format("%02d-%s.png", ++shot, name)));
    }

    private static byte[] download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
