package dev.thimble.workbench.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.thimble.workbench.architecture.fixture.NodeHoldingViewModel;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The layering of docs/decisions/0005: a JavaFX-free service layer, and view-models that hold no Nodes. */
class WorkbenchLayersTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.thimble.workbench");

    @Test
    void theServiceLayerAndTheThreadingHelpersKnowNoJavaFx() {
        ArchRule rule = noClasses().that().resideInAnyPackage("dev.thimble.workbench.workspace..", "dev.thimble.workbench.concurrent..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the admin API will call the same service layer, and it must run without a window");
        rule.check(MAIN);
    }

    private static final ArchRule VIEW_MODELS_HOLD_NO_NODES = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .or().haveSimpleNameEndingWith("ViewModelBase")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.application..",
                    "org.fxmisc..", "atlantafx..", "org.kordamp..")
            .because("view-models are tested without a window (CONVENTIONS.md)");

    @Test
    void viewModelsHoldStateNotNodes() {
        VIEW_MODELS_HOLD_NO_NODES.check(MAIN);
    }

    @Test
    void theViewModelRuleCatchesAViewModelThatHoldsANode() {
        JavaClasses offender = new ClassFileImporter().importClasses(NodeHoldingViewModel.class);
        assertThatThrownBy(() -> VIEW_MODELS_HOLD_NO_NODES.check(offender)).hasMessageContaining("NodeHoldingViewModel");
    }

    @Test
    void theViewModelsNeverReachTheRuntimeHostDirectly() {
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.thimble.runtime.AppHost")
                .because("they go through the service layer (AppSession), off the UI thread");
        rule.check(MAIN);
    }
}
