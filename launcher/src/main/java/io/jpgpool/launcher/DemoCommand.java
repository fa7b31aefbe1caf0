package io.jpgpool.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jpgpool demo}: placeholder until the cluster kit is wired in. */
@Command(name = "demo", description = "Run jpgpool in front of a demo cluster it brings itself.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
