package io.jpgpool.launcher.logging;

/**
 * Which of pgpool's processes a jpgpool thread does the work of, for {@code %a} outside a session (pgpool prints
 * the process's application name: main, health_check, sr_check_worker, pcp_main...) and {@code %P} (elog.c's
 * process_name: MAIN, CHILD, WORKER, PCP CHILD...).
 *
 * @param applicationName pgpool's application name of that process
 * @param processName     pgpool's process name ("" where pgpool prints none, as for the health check)
 */
record ProcessNames(String applicationName, String processName) {
    private static final ProcessNames MAIN = new ProcessNames("main", "MAIN");

    static ProcessNames of(String thread) {
        if (thread.startsWith("jpgpool-io")) {
            // an event loop outside a session (its MDC would say): a child before the client has logged in
            return new ProcessNames("child", "CHILD");
        }
        if (thread.startsWith("jpgpool-health-check")) {
            return new ProcessNames("health_check", "");
        }
        if (thread.startsWith("jpgpool-background")) {
            return new ProcessNames("sr_check_worker", "WORKER");
        }
        if (thread.startsWith("jpgpool-pcp-io")) {
            return new ProcessNames("pcp_child", "PCP WORKER");
        }
        if (thread.startsWith("jpgpool-pcp")) {
            return new ProcessNames("pcp_main", "PCP CHILD");
        }
        if (thread.startsWith("jpgpool-follow-primary")) {
            return new ProcessNames("follow_child", "UTILITY");
        }
        if (thread.equals("main") || thread.startsWith("jpgpool-") || thread.startsWith("SIG")) {
            // the failover coordinator, start, stop and the signal handlers ("SIGHUP handler": reload) do what
            // pgpool's main process does
            return MAIN;
        }
        return new ProcessNames(thread, "");
    }
}
