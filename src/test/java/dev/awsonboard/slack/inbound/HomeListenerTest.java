package dev.awsonboard.slack.inbound;

import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.slack.language.InMemoryLanguages;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.Ids;
import dev.awsonboard.slack.webapi.SlackClients;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Home's language select: the choice is kept and the Home redrawn in it, or the person is told it was not. */
class HomeListenerTest {
    private static final String ALICE = "UALICE0001";
    private final FakeSlack slack = FakeSlack.start().addUser(ALICE, "alice");
    private final SlackNotifier notifier = new SlackNotifier(SlackClients.slack(slack.apiUrl()).methods(slack.botToken()),
            Optional.empty(), Set.of(), millis -> { });
    private final SlackRequests requests = new SlackRequests(URI.create("http://127.0.0.1:1"), "unused", Clock.systemUTC(), slack);
    private final List<String> redrawn = new ArrayList<>();

    @AfterEach
    void stop() {
        slack.close();
    }

    private Response pick(Languages languages, String value) {
        HomeListener listener = new HomeListener(redrawn::add, null, languages, notifier, Runnable::run);
        String body = requests.homeActionBody(ALICE, Ids.HOME_LANGUAGE, "static_select", value, slack.trigger());
        String payload = URLDecoder.decode(body.substring("payload=".length()), StandardCharsets.UTF_8);
        BlockActionRequest req = new BlockActionRequest(body, payload, new RequestHeaders(Map.of()));
        return listener.language(req, req.getContext());
    }

    @Test
    void choosingJapaneseKeepsTheChoiceAndRedrawsTheHomeInIt() {
        InMemoryLanguages languages = new InMemoryLanguages();

        Response ack = pick(languages, "ja");

        assertThat(ack.getStatusCode()).isEqualTo(200);
        assertThat(languages.chosen(ALICE)).contains(Locale.JAPANESE);
        assertThat(languages.forUser(ALICE).get("home.title")).isEqualTo("AWS アクセス");
        assertThat(redrawn).containsExactly(ALICE);
    }

    @Test
    void choosingSlacksSettingForgetsTheChoice() {
        InMemoryLanguages languages = new InMemoryLanguages();
        languages.choose(ALICE, Optional.of(Locale.JAPANESE));

        pick(languages, "slack");

        assertThat(languages.chosen(ALICE)).isEmpty();
        assertThat(redrawn).containsExactly(ALICE);
    }

    @Test
    void aChoiceThatCannotBeKeptIsSaidToThePersonAndNothingIsRedrawn() {
        pick(Languages.fixed(Texts.english()), "ja");

        assertThat(slack.messages("D" + ALICE)).extracting(FakeSlack.Message::text)
                .anyMatch(text -> text.contains("could not save your language"));
        assertThat(redrawn).isEmpty();
    }
}
