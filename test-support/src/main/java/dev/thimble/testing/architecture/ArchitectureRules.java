package dev.thimble.testing.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SliceRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The architecture rules every module checks, written once (the modules' tests compile this folder):
 * JavaFX only where a window is, and no dependency cycle between the packages of a module.
 */
public final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /** The main (non-test) classes of {@code basePackage}. */
    public static JavaClasses mainClasses(String basePackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }

    /** Nothing under {@code basePackage} uses JavaFX (the runtime is headless). */
    public static ArchRule noJavaFxIn(String basePackage) {
        return noClasses().that().resideInAPackage(basePackage + "..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("it runs headless; JavaFX belongs in workbench-app and the ui packages");
    }

    /**
     * Only {@code basePackage.ui} (and test fixtures under {@code basePackage.architecture.fixture})
     * uses JavaFX: the core of the module works, and is tested, without a window.
     */
    public static ArchRule javaFxOnlyInUi(String basePackage) {
        return noClasses()
                .that().resideInAPackage(basePackage + "..")
                .and().resideOutsideOfPackage(basePackage + ".ui..")
                .and().resideOutsideOfPackage(basePackage + ".architecture.fixture..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the core must work without JavaFX; views go in the ui package")
                .allowEmptyShould(true);
    }

    /**
     * A dependency that still closes a cycle between two packages, allowed by name until it is
     * removed. Grep for {@code KnownCycle.of} to find them all.
     *
     * @param from   the package (relative to the base, {@code ""} for the base package itself) whose classes depend
     * @param to     the package they depend on
     * @param reason why it is still there, and what removing it takes
     */
    public record KnownCycle(String from, String to, String reason) {
        public static KnownCycle of(String from, String to, String reason) {
            return new KnownCycle(from, to, reason);
        }
    }

    /**
     * No cycle between the packages directly under {@code basePackage} (each with its subpackages is
     * one slice; the base package's own classes are the slice {@code (base)}), except the dependencies
     * {@code allowed} names.
     */
    public static ArchRule noCyclesBetweenPackages(String basePackage, List<KnownCycle> allowed) {
        SliceRule cycles = SlicesRuleDefinition.slices().assignedFrom(topLevelPackagesOf(basePackage)).should().beFreeOfCycles();
        for (KnownCycle known : allowed) {
            cycles = cycles.ignoreDependency(in(basePackage, known.from()), in(basePackage, known.to()));
        }
        return cycles;
    }

    private static DescribedPredicate<JavaClass> in(String basePackage, String relative) {
        String pkg = relative.isEmpty() ? basePackage : basePackage + "." + relative;
        return new DescribedPredicate<>("in " + pkg) {
            @Override
            public boolean test(JavaClass c) {
                String p = c.getPackageName();
                return relative.isEmpty() ? p.equals(basePackage) : p.equals(pkg) || p.startsWith(pkg + ".");
            }
        };
    }

    /** One slice per package directly under {@code basePackage}; the base package's own classes are {@code (base)}. */
    public static SliceAssignment topLevelPackagesOf(String basePackage) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (p.equals(basePackage)) {
                    return SliceIdentifier.of("(base)");
                }
                if (!p.startsWith(basePackage + ".")) {
                    return SliceIdentifier.ignore();
                }
                String rest = p.substring(basePackage.length() + 1);
                int dot = rest.indexOf('.');
                return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
            }

            @Override
            public String getDescription() {
                return "the packages directly under " + basePackage;
            }
        };
    }
}
