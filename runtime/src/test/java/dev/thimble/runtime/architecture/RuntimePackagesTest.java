package dev.thimble.runtime.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.thimble.runtime.architecture.fixture.a.Asks;
import dev.thimble.runtime.architecture.fixture.b.Answers;
import dev.thimble.testing.architecture.ArchitectureRules;
import dev.thimble.testing.architecture.ArchitectureRules.KnownCycle;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runtime's packages form layers: no dependency cycle between them, and nothing touches JavaFX.
 * A dependency that still closes a cycle may be allowed by name in {@link #KNOWN_CYCLES} while it is
 * being removed (grep {@code KnownCycle.of}); today there is none.
 */
class RuntimePackagesTest {
    private static final String RUNTIME = "dev.thimble.runtime";
    private static final JavaClasses MAIN = ArchitectureRules.mainClasses(RUNTIME);

    /** Dependencies that still close a cycle, each with why; empty since issue 13 (errors, expressions, principal). */
    static final List<KnownCycle> KNOWN_CYCLES = List.of();

    @Test
    void thePackagesOfTheRuntimeFormNoCycle() {
        assertThat(MAIN).as("runtime classes found to check").isNotEmpty();
        ArchitectureRules.noCyclesBetweenPackages(RUNTIME, KNOWN_CYCLES).check(MAIN);
    }

    @Test
    void theLeavesDependOnNothingElseOfTheRuntime() {
        for (String leaf : List.of("errors", "expressions", "principal", "time")) {
            noClasses().that().resideInAPackage(RUNTIME + "." + leaf + "..")
                    .should().dependOnClassesThat(resideInAPackage(RUNTIME + "..")
                            .and(not(resideInAPackage(RUNTIME + "." + leaf + ".."))))
                    .as(leaf + " is a leaf").check(MAIN);
        }
    }

    /**
     * Below the edge, rooms throw domain failures ({@code errors.NotFound}, {@code Forbidden}, …), never
     * an HTTP status: only the client API ({@code server}) and the admin API ({@code admin}) make an
     * {@code ApiError}, and the edge maps every failure to the protocol's body.
     */
    @Test
    void onlyTheEdgeThrowsHttpErrors() {
        noClasses().that().resideInAPackage(RUNTIME + "..")
                .and(not(resideInAnyPackage(RUNTIME + ".server..", RUNTIME + ".admin..", RUNTIME + ".errors..")))
                .should().dependOnClassesThat().areAssignableTo(dev.thimble.runtime.errors.ApiError.class)
                .check(MAIN);
    }

    @Test
    void nothingInTheRuntimeDependsOnJavaFx() {
        ArchitectureRules.noJavaFxIn(RUNTIME).check(MAIN);
    }

    @Test
    void theCycleRuleCatchesACycleAndANamedExceptionAllowsIt() {
        String fixture = RUNTIME + ".architecture.fixture";
        JavaClasses cycle = new ClassFileImporter().importClasses(Asks.class, Answers.class);
        assertThatThrownBy(() -> ArchitectureRules.noCyclesBetweenPackages(fixture, List.of()).check(cycle))
                .hasMessageContaining("Cycle detected");
        ArchitectureRules.noCyclesBetweenPackages(fixture, List.of(
                KnownCycle.of("b", "a", "the fixture's deliberate cycle, to show an exception is honoured"))).check(cycle);
    }
}
