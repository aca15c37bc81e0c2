package dev.thimble.runtime.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The runtime runs headless on a server: nothing in it may touch JavaFX (ARCHITECTURE.md). */
class RuntimeIsHeadlessTest {

    private static final ArchRule NO_JAVAFX = noClasses()
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("the runtime is headless; JavaFX belongs in workbench-app and the ui packages");

    @Test
    void nothingInTheRuntimeDependsOnJavaFx() {
        JavaClasses runtime = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.thimble.runtime");
        assertThat(runtime).as("runtime classes found to check").isNotEmpty();
        NO_JAVAFX.check(runtime);
    }
}
