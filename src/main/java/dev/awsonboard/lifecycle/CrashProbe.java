package dev.awsonboard.lifecycle;

/** Called at every point where a crash would leave work half done; tests crash the bot there. */
public interface CrashProbe {
    void reached(String point);

    CrashProbe NONE = point -> { };
}
