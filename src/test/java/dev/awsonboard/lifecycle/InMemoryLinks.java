package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.port.Links;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link Links} in memory, as the JDBC adapter behaves: one link per UserId and per name ignoring case. */
public final class InMemoryLinks implements Links {
    private static final Comparator<Link> BY_NAME = Comparator.comparing(l -> l.iamUserName().toLowerCase(Locale.ROOT));

    private final Map<String, Link> byUserId = new LinkedHashMap<>();

    @Override
    public synchronized Optional<Link> byUserId(String iamUserId) {
        return Optional.ofNullable(byUserId.get(iamUserId));
    }

    @Override
    public synchronized Optional<Link> byName(String iamUserName) {
        return byUserId.values().stream().filter(l -> l.iamUserName().equalsIgnoreCase(iamUserName)).findFirst();
    }

    @Override
    public synchronized List<Link> ofPerson(String slackUserId) {
        return byUserId.values().stream().filter(l -> l.slackUserId().equals(slackUserId)).sorted(BY_NAME).toList();
    }

    @Override
    public synchronized List<Link> all() {
        return byUserId.values().stream().sorted(BY_NAME).toList();
    }

    @Override
    public synchronized void apply(LinkChange change) {
        if (change instanceof LinkChange.Remove remove) {
            byUserId.remove(remove.iamUserId());
            return;
        }
        Link l = ((LinkChange.Put) change).link();
        byUserId.values().removeIf(o -> o.iamUserName().equalsIgnoreCase(l.iamUserName()));
        byUserId.put(l.iamUserId(), l);
    }
}
