package io.jpgpool.core.routing;

import io.jpgpool.config.CheckTempTable;
import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.DisableLoadBalanceOnWrite;
import io.jpgpool.config.ObjectRelationship;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.RedirectRule;
import java.util.List;
import java.util.regex.Pattern;

/** The routing parameters of pgpool.conf, taken once per session so a reload never changes rules mid-session. */
public record RoutingConfig(
        ClusteringMode mode,
        boolean loadBalanceMode,
        boolean statementLevelLoadBalance,
        DisableLoadBalanceOnWrite disableLoadBalanceOnWrite,
        List<ObjectRelationship> dmlAdaptiveObjectRelationshipList,
        List<Pattern> writeFunctionList,
        List<Pattern> readOnlyFunctionList,
        List<Pattern> primaryRoutingQueryPatternList,
        List<RedirectRule> databaseRedirectPreferenceList,
        List<RedirectRule> appNameRedirectPreferenceList,
        boolean allowSqlComments,
        boolean ignoreLeadingWhiteSpace,
        CheckTempTable checkTempTable,
        boolean checkUnloggedTable,
        long delayThreshold,
        boolean preferLowerDelayStandby,
        boolean replicateSelect) {

    public static RoutingConfig from(PgpoolConfig c) {
        return new RoutingConfig(
                c.backendClusteringMode(),
                c.loadBalanceMode(),
                c.statementLevelLoadBalance(),
                c.disableLoadBalanceOnWrite(),
                c.dmlAdaptiveObjectRelationshipList(),
                c.writeFunctionList(),
                c.readOnlyFunctionList(),
                c.primaryRoutingQueryPatternList(),
                c.databaseRedirectPreferenceList(),
                c.appNameRedirectPreferenceList(),
                c.allowSqlComments(),
                c.ignoreLeadingWhiteSpace(),
                c.checkTempTable(),
                c.checkUnloggedTable(),
                c.delayThreshold(),
                c.preferLowerDelayStandby(),
                c.replicateSelect());
    }

    public boolean isStreaming() {
        return mode == ClusteringMode.STREAMING_REPLICATION || mode == ClusteringMode.LOGICAL_REPLICATION;
    }

    public boolean dmlAdaptive() {
        return disableLoadBalanceOnWrite == DisableLoadBalanceOnWrite.DML_ADAPTIVE;
    }

    /**
     * The object that counts as written with {@code name} under dml_adaptive, or null: the first entry of
     * {@code dml_adaptive_object_relationship_list} for it, as pgpool takes the first (case-insensitive).
     */
    public String relatedObject(String name, boolean function) {
        for (ObjectRelationship r : dmlAdaptiveObjectRelationshipList) {
            if (r.function() == function && r.object().equalsIgnoreCase(name)) {
                return r.related();
            }
        }
        return null;
    }

    public boolean isNative() {
        return mode == ClusteringMode.NATIVE_REPLICATION || mode == ClusteringMode.SNAPSHOT_ISOLATION;
    }
}
