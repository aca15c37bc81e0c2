package dev.thimble.debugger.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.thimble.debugger.architecture.fixture.CoreClassThatUsesJavaFx;
import dev.thimble.testing.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core of this module is testable without a window: only {@code dev.thimble.debugger.ui} may use JavaFX. */
class JavaFxStaysInUiTest {

    private static final ArchRule JAVAFX_ONLY_IN_UI = ArchitectureRules.javaFxOnlyInUi("dev.thimble.debugger");

    @Test
    void onlyTheUiPackageUsesJavaFx() {
        JAVAFX_ONLY_IN_UI.check(ArchitectureRules.mainClasses("dev.thimble.debugger"));
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
