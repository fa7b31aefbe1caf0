package io.jpgpool.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of proxy-core depend on each other in one direction only, and only the server (this package)
 * wires them all together: cluster at the bottom; routing, catalog, auth, net, backend above it; runtime (what
 * every session shares); failover, health and session on top of runtime; admin over those.
 */
class PackageCyclesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jpgpool.core");

    @Test
    void thePackagesOfProxyCoreFormNoCycle() {
        slices().matching("io.jpgpool.core.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void nothingDependsOnTheServerThatWiresThemTogether() {
        noClasses().that().resideInAPackage("io.jpgpool.core.*..")
                .should().dependOnClassesThat().resideInAPackage("io.jpgpool.core")
                .check(CLASSES);
    }

    @Test
    void sessionsKnowNothingOfTheFailoverMachineryOrTheAdminLayer() {
        noClasses().that().resideInAPackage("io.jpgpool.core.session..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jpgpool.core.failover..",
                        "io.jpgpool.core.health..", "io.jpgpool.core.admin..")
                .check(CLASSES);
    }
}
