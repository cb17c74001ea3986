package dev.awsonboard.doctor;

/** One thing the doctor verifies. A check reports problems as a result; an exception it throws counts as FAIL. */
public interface Check {

    /** The row's name, used also when {@link #run()} throws. */
    String name();

    CheckResult run();

    /** A check whose body gets its own row name, for the results it builds. */
    static Check of(String name, java.util.function.Function<String, CheckResult> body) {
        return new Check() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run() {
                return body.apply(name);
            }
        };
    }
}
