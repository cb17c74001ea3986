package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;

/** Slack's signed bytes reach the bot intact however they are framed: with a length, chunked, in UTF-8. */
class RequestBodiesTest {
    @TempDir
    Path dir;
    TestBot t;

    @BeforeEach
    void start() {
        t = TestBot.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aSlashCommandSentChunkedIsAcknowledgedAsOneWithALength() {
        String body = t.send.slashCommandBody(TestBot.REQUESTER, "C0REQUESTS", "/aws-onboard", "chunkedUser <@" + ALICE + ">",
                "trigger-chunked", t.slack.responseUrl("chunked"));

        HttpResponse<String> r = t.send.chunked(body, "application/x-www-form-urlencoded");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Got it");
        assertThat(t.bot.store().findByIamUserName("chunkedUser")).singleElement()
                .satisfies(req -> assertThat(req.targetUserId()).isEqualTo(ALICE));
    }

    @Test
    void codesTypedInADmInJapaneseVerifyAsTheUtf8BytesSlackSigned() {
        String id = t.requestSampleUser();
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        List<String> codes = t.codesFromQr(ALICE);
        String body = t.send.messageEventBody(ALICE, TestBot.dm(ALICE), "コードは " + codes.get(0) + " と " + codes.get(1) + " です");

        HttpResponse<String> r = t.send.raw(body, "application/json", Map.of(), t.send.now(), true);

        assertThat(r.statusCode()).as("the signature over the UTF-8 bytes holds").isEqualTo(200);
        t.awaitStatus(id, Status.DONE);
    }
}
