package dev.awsonboard.doctor;

import dev.awsonboard.store.Database;

/** The request store opens and its schema migrates, exactly as at bot start-up. */
final class DatabaseCheck implements Check {
    private final String url;

    DatabaseCheck(String url) {
        this.url = url;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public CheckResult run() {
        try (Database db = Database.open(url)) {
            return CheckResult.ok(name(), db.safeUrl() + " opened, schema migrated");
        } catch (RuntimeException e) {
            return CheckResult.fail(name(), Database.redact(causes(e)),
                    "check DATABASE_URL, that the database is reachable, and that the bot may write there (for SQLite: the directory)");
        }
    }

    /** The messages of the exception and its causes, which name what failed (the URL parts are redacted above). */
    private static String causes(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 400; t = t.getCause()) {
            if (t.getMessage() != null && !out.toString().contains(t.getMessage())) {
                out.append(out.length() == 0 ? "" : ": ").append(t.getMessage().lines().findFirst().orElse(""));
            }
        }
        return out.toString();
    }
}
