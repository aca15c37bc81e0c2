package dev.thimble.debugger.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.thimble.debugger.architecture.fixture.CoreClassThatUsesJavaFx;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core of this module is testable without a window: only {@code dev.thimble.debugger.ui} may use JavaFX. */
class JavaFxStaysInUiTest {

    private static final ArchRule JAVAFX_ONLY_IN_UI = noClasses()
            .that().resideInAPackage("dev.thimble.debugger..")
            .and().resideOutsideOfPackage("dev.thimble.debugger.ui..")
            .and().resideOutsideOfPackage("dev.thimble.debugger.architecture.fixture..")
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("the core must work without JavaFX; views go in the ui package")
            .allowEmptyShould(true);

    @Test
    void onlyTheUiPackageUsesJavaFx() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.thimble.debugger");
        JAVAFX_ONLY_IN_UI.check(main);
    }

    @Test
    void theRuleCatchesACoreClassThatUsesJavaFx() {
        JavaClasses offender = new ClassFileImporter().importClasses(CoreClassThatUsesJavaFx.class);
        ArchRule sameRuleWithoutTheFixtureExemption = noClasses()
                .that().resideOutsideOfPackage("dev.thimble.debugger.ui..")
                .should().dependOnClassesThat().resideInAPackage("javafx..");
        assertThatThrownBy(() -> sameRuleWithoutTheFixtureExemption.check(offender))
                .hasMessageContaining("CoreClassThatUsesJavaFx");
    }
}
