package dev.awsonboard.lifecycle.model;

/** A chat message the bot posted, so it can be updated later. */
public record MessageRef(String channel, String ts) {
    public String encode() {
        return channel + ":" + ts;
    }

    public static MessageRef decode(String encoded) {
        int colon = encoded.indexOf(':');
        return new MessageRef(encoded.substring(0, colon), encoded.substring(colon + 1));
    }
}
