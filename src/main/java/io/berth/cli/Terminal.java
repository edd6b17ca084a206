package io.berth.cli;

/** Whether a person watches: progress bars are drawn only on a terminal, never into cron mail or a journal. */
final class Terminal {
    private Terminal() {
    }

    /** True when standard error is a terminal a bar can be redrawn on (the JVM has a console, and it is a terminal). */
    static boolean standardErrorIsATerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22 and later say whether the console is a terminal; Java 21 has a console only then.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
