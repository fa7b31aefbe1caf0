package io.jpgpool.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters that differ between a running configuration and a newly read one, split by whether
 * a reload applies them. Names are as in pgpool.conf, indexed ones with their index
 * ({@code backend_weight1}).
 *
 * @param reloadable      changed parameters whose context is reload or session
 * @param restartRequired changed parameters that only take effect at the next start
 */
public record ReloadDiff(List<String> reloadable, List<String> restartRequired) {

    public ReloadDiff {
        reloadable = List.copyOf(reloadable);
        restartRequired = List.copyOf(restartRequired);
    }

    public boolean isEmpty() {
        return reloadable.isEmpty() && restartRequired.isEmpty();
    }

    /** Every changed parameter. */
    public List<String> changed() {
        List<String> all = new ArrayList<>(reloadable);
        all.addAll(restartRequired);
        return all;
    }
}
