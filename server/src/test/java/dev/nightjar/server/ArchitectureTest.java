package dev.nightjar.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency directions of docs/architecture.md, checked on the compiled classes of every module
 * the server assembles (Maven's enforcer checks the same at the artifact level).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nightjar");
    }

    /** The rules below pass trivially on an empty import; make sure every module's classes were seen. */
    @Test
    void importsEveryModuleTheRulesTalkAbout() {
        for (String pkg : new String[] {
            "dev.nightjar.core",
            "dev.nightjar.db",
            "dev.nightjar.auth",
            "dev.nightjar.ingest",
            "dev.nightjar.api",
            "dev.nightjar.webapp",
            "dev.nightjar.server",
            "dev.nightjar.storage.lucene",
            "dev.nightjar.storage.tsdb",
            "dev.nightjar.promql"
        }) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("classes of %s imported", pkg)
                    .isTrue();
        }
    }

    @Test
    void coreDependsOnNoFrameworkAndNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.nightjar.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta..",
                        "com.vaadin..",
                        "org.apache.lucene..",
                        "com.google.protobuf..",
                        "dev.nightjar.storage..",
                        "dev.nightjar.db..",
                        "dev.nightjar.auth..",
                        "dev.nightjar.ingest..",
                        "dev.nightjar.api..",
                        "dev.nightjar.alerting..",
                        "dev.nightjar.ai..",
                        "dev.nightjar.webapp..",
                        "dev.nightjar.server..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheServer() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.nightjar.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.nightjar.server..")
                .check(classes);
    }

    @Test
    void uiAndAiNeverTouchAStorageImplementation() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.nightjar.webapp..",
                        "dev.nightjar.ai..",
                        "dev.nightjar.api..",
                        "dev.nightjar.alerting..",
                        "dev.nightjar.ingest..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.nightjar.storage.lucene..", "dev.nightjar.storage.tsdb..", "org.apache.lucene..")
                .check(classes);
    }

    @Test
    void backendLayersDoNotReachUpwards() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.nightjar.ingest..",
                        "dev.nightjar.api..",
                        "dev.nightjar.alerting..",
                        "dev.nightjar.db..",
                        "dev.nightjar.auth..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.nightjar.ai..", "dev.nightjar.webapp..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.nightjar.ai..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.nightjar.webapp..")
                .check(classes);
    }

    @Test
    void onlyTheIdentityPackageTouchesItsEntities() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.nightjar.db.identity..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Entity")
                .andShould()
                .dependOnClassesThat()
                .resideInAPackage("dev.nightjar.db.identity..")
                .check(classes);
    }
}
